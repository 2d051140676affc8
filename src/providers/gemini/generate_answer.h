// Gemini generateContent answer → OpenAI chat.completion, as LiteLLM's VertexGeminiConfig
// transforms it (src/providers/README.md):
//   - one choice per candidate (index = candidate.index, else its position);
//   - text parts joined into message.content (null when there are none); thought parts
//     (`thought: true`) joined into reasoning_content;
//   - functionCall parts → tool_calls {id, type:"function", function:{name, arguments}}, the
//     arguments the args object as compact JSON, ids from tool_call_id() (usage.h), indexes
//     counted across the answer;
//   - finish_reason "tool_calls" when the message has calls (Gemini still says STOP), else
//     map_finish_reason(finishReason);
//   - no candidates and promptFeedback.blockReason → one choice, content null, finish_reason
//     "content_filter", usage still written;
//   - usageMetadata → usage (usage.h); `model` and `id` are the gateway's (LiteLLM's model
//     string, not modelVersion).
//
// Pure function of its input; thread-safe (a per-thread parser).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace llmtap::providers::gemini {

struct AnswerIdentity {
  std::string_view id;  // "chatcmpl-…"
  std::int64_t created = 0;
  std::string_view model;  // the model as the client named it to LiteLLM, no "gemini/" prefix
};

// Why an answer with a 2xx status could not be translated: not JSON, not an answer, or an error
// object in a 2xx body.
struct AnswerProblem {
  std::string message;
};

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity);

}  // namespace llmtap::providers::gemini
