// Cohere v2 chat stream (`POST /v2/chat` with "stream": true: SSE, `event: <type>` and
// `data: {"type": <type>, …}` per event, then `data: [DONE]`) → OpenAI chat.completion.chunk
// events, read as Cohere's API reference and its SDK define the events:
//   - every chunk has the gateway's id, created and model (StreamIdentity), choices[0].index 0,
//     object "chat.completion.chunk"; the first delta carries role "assistant"; finish_reason is
//     null on all of them;
//   - content-start / content-delta: delta.message.content.text → delta.content (thinking pieces
//     have no text and add nothing, as in the whole answer, chat_answer.h);
//   - tool-call-start: delta.message.tool_calls {id, function {name, arguments}} → one
//     delta.tool_calls entry {index, id, type "function", function {name, arguments}}, indexes
//     counted across the stream; tool-call-delta: delta.message.tool_calls.function.arguments →
//     {index, function {arguments}} of the call started last;
//   - message-end: the finishing chunk (finish_reason "tool_calls" when a call was streamed, else
//     map_finish_reason(delta.finish_reason)), one usage-only chunk (`"choices":[]`, prompt /
//     completion tokens from delta.usage.tokens as chat_answer.h reads them), then `data:
//     [DONE]`; nothing is read after it (Cohere's own [DONE] included);
//   - a message-end with a non-empty delta.error → `data: {"error":{"message":"CohereException -
//     <error>","type":"api_error","param":null,"code":"500"}}` (errors.h) and the stream ends;
//   - message-start, content-end, tool-plan-delta, tool-call-end, citation-start/-end, comments
//     and event:/id: lines → nothing; data that is not JSON or has no string `type` is skipped
//     (and counted);
//   - bytes that are not SSE (a JSON error body answering the request) are passed through
//     unchanged; a stream cut before message-end gets no ending: the relay sees it cut short.
// LiteLLM's CohereV2ModelResponseIterator reads message-end and tool-call deltas at paths Cohere
// does not send (README.md): it streams the text but never the calls, the finish reason or the
// usage. This translator reads what Cohere sends, so a stream logs what the whole answer logs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "providers/stream_translator.h"

namespace llmtap::providers::cohere {

struct StreamIdentity {
  std::string id;  // "chatcmpl-…", the same on every chunk
  std::int64_t created = 0;
  std::string model;
};

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity);

}  // namespace llmtap::providers::cohere
