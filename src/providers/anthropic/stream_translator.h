// Anthropic Messages API stream (SSE: message_start, content_block_start/delta/stop,
// message_delta, message_stop, ping, error) → OpenAI chat.completion.chunk events, as LiteLLM's
// CustomStreamWrapper sends them to an OpenAI client (src/providers/README.md):
//   - every chunk has the gateway's id and created (StreamIdentity) and the model message_start
//     names (identity.model until then), choices[0].index 0, object "chat.completion.chunk";
//   - the first chunk with content (text, reasoning or a tool call) carries delta.role
//     "assistant";
//   - text_delta → delta.content; thinking_delta → delta.reasoning_content; an empty piece →
//   nothing;
//   - tool_use (and server_tool_use) content_block_start → delta.tool_calls [{index, id,
//     type:"function", function:{name, arguments:""}}] (index counts tool blocks from 0);
//     input_json_delta inside a tool block → delta.tool_calls [{index, function:{arguments:
//     partial_json}}]; a tool block that got no (non-empty) input_json_delta gets arguments "{}"
//     at its content_block_stop;
//   - message_delta's stop_reason and usage are kept (output_tokens is cumulative; its input and
//     cache counts replace message_start's only when non-zero); at message_stop: one chunk with an
//     empty delta and finish_reason (map_finish_reason; "stop" becomes "tool_calls" when a tool
//     call was streamed), one usage-only chunk (`"choices":[]`, usage written by usage.h as for
//     to_chat_completion), then `data: [DONE]`;
//   - ping, content_block_start of text or thinking, signature_delta, citations_delta,
//     redacted_thinking, event: lines, comments and unknown event types → nothing;
//   - an `error` event → `data: {"error":{"message":"AnthropicException - <message>",
//     "type":<error.type>,"param":null,"code":"500"}}` (LiteLLM: status 500);
//   - data that is not JSON, or not shaped as its type says, is skipped (and counted);
//   - after message_stop or an error event, every further byte is ignored. A stream that ends
//     without message_stop gets no finish chunk and no [DONE]: the relay sees it cut short.
// Strings (text, arguments, ids, the model) are copied as the JSON tokens Anthropic sent, escapes
// kept, once simdjson has checked them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "providers/anthropic/messages_answer.h"
#include "providers/stream_translator.h"

namespace llmtap::providers::anthropic {

struct StreamIdentity {
  std::string id;  // "chatcmpl-…", the same on every chunk
  std::int64_t created = 0;
  std::string model;  // until message_start names Anthropic's own
  // The request asked for JSON (response_format → the json_tool_call tool): that tool's input
  // is streamed as delta.content and the stream finishes "stop", as LiteLLM's json mode does.
  bool json_mode = false;
};

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity);

}  // namespace llmtap::providers::anthropic
