// Gemini streamGenerateContent?alt=sse (each `data:` event a whole GenerateContentResponse
// fragment; no [DONE], no stop event: the stream ends with the upstream's bytes) → OpenAI
// chat.completion.chunk events, as LiteLLM's CustomStreamWrapper sends them (src/providers/
// README.md):
//   - every chunk has the gateway's id, created and model (StreamIdentity; LiteLLM's model
//     string, never modelVersion), choices[0].index 0, object "chat.completion.chunk";
//   - the first candidate's parts, per event, become one chunk: text parts joined →
//     delta.content, thought parts → delta.reasoning_content, each functionCall part (Gemini sends
//     it whole) → one delta.tool_calls entry {index, id, type:"function", function:{name,
//     arguments}} with the full arguments (compact JSON) and an id from tool_call_id() (usage.h,
//     the same ids as the answer's); the first such chunk carries delta.role "assistant";
//     finish_reason is null on all of them (LiteLLM #12240, #2195);
//   - finishReason (map_finish_reason) and usageMetadata (cumulative: the last one wins) are kept;
//     a prompt blocked (promptFeedback.blockReason) finishes "content_filter";
//   - at finish(), once a finishReason or blockReason was seen: one chunk with an empty delta and
//     the finish_reason ("stop" becomes "tool_calls" when a call was streamed), one usage-only
//     chunk (`"choices":[]`, usage.h), then `data: [DONE]`. A stream cut before any finishReason
//     gets none of them: the relay sees it cut short;
//   - an `error` event → `data: {"error":{"message":"VertexAIException - <status> - <message>",
//     "type","param":null,"code":"<error.code or 500>"}}` (errors.h) and the stream ends;
//   - data that is not JSON, or not shaped as a response, is skipped (and counted); comments,
//     event:/id: lines and parts with no OpenAI field (inlineData, executableCode…) → nothing;
//   - bytes that are not SSE (a JSON error body answering the request) are passed through
//     unchanged, except an unterminated tail after the events of a finished stream: nothing
//     follows [DONE];
//   - candidates after the first are not translated (n > 1 is not streamed).
// Text is copied as the JSON tokens Gemini sent, escapes kept, once simdjson has checked them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "providers/stream_translator.h"

namespace llmtap::providers::gemini {

struct StreamIdentity {
  std::string id;  // "chatcmpl-…", the same on every chunk
  std::int64_t created = 0;
  std::string model;
};

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity);

}  // namespace llmtap::providers::gemini
