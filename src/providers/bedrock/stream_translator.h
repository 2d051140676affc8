// Bedrock ConverseStream (`POST /model/{modelId}/converse-stream`: AWS event-stream frames,
// eventstream.h, each a JSON event named by its :event-type header) → OpenAI
// chat.completion.chunk events, as LiteLLM's AWSEventStreamDecoder.converse_chunk_parser and its
// CustomStreamWrapper make them (README.md):
//   - every chunk has the gateway's id, created and model (StreamIdentity), choices[0].index 0;
//     the first delta carries role "assistant"; finish_reason is null on all but the finish chunk;
//   - contentBlockStart with start.toolUse → one delta.tool_calls entry {index, id: toolUseId,
//     type "function", function {name (the client's, when the request renamed it), arguments
//     ""}}, indexes counted across the stream; contentBlockDelta delta.toolUse.input → {index,
//     function {arguments: the fragment}} of that call; a contentBlockStop of a call that had no
//     input → its arguments "{}" (a client's next turn parses them);
//   - contentBlockDelta delta.text → delta.content; delta.reasoningContent.text →
//     delta.reasoning_content (signatures and redacted content add nothing);
//   - json_mode: the json_tool_call tool's start is left out and its input streamed as
//     delta.content, as LiteLLM does;
//   - messageStop {stopReason} and metadata {usage} (Bedrock sends metadata last): once both are
//     in, the finishing chunk (map_finish_reason(stopReason), "tool_calls" for "stop" when a call
//     was streamed), one usage-only chunk (usage.h, as the whole answer's) and `data: [DONE]`;
//     at finish() after a messageStop without metadata, the same with zero usage; a stream cut
//     before messageStop gets no ending (the relay sees it cut short); nothing is read after the
//     ending;
//   - messageStart and unknown event types → nothing; an event whose payload is not a JSON
//     object is skipped;
//   - an exception message (:message-type exception, e.g. throttlingException) or an error
//     message (:error-code / :error-message) → `data: {"error":{…}}` with errors.h's
//     map_stream_exception() (also stream_error()), and the stream ends;
//   - a frame error (bad CRC, bad header…) → the error event of LiteLLM's catch-all
//     (APIConnectionError, 500, "BedrockException - <what is wrong with the frame>") and nothing
//     more is read; a message past the decoder's limit is overflow() instead;
//   - bytes that cannot start an event stream (a first byte ≥ 0x02 would announce a message of
//     32 MiB or more: a JSON or HTML body answering the request) are passed through unchanged,
//     so the relay reports them as it does for OpenAI upstreams.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "providers/bedrock/converse_request.h"
#include "providers/stream_translator.h"

namespace llmtap::providers::bedrock {

struct StreamIdentity {
  std::string id;  // "chatcmpl-…", the same on every chunk
  std::int64_t created = 0;
  std::string model;
  bool json_mode = false;                  // ConverseRequest::json_mode
  std::vector<RenamedTool> renamed_tools;  // ConverseRequest::renamed_tools
};

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity);

}  // namespace llmtap::providers::bedrock
