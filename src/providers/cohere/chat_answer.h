// Cohere v2 chat answer (`POST /v2/chat`, not streamed) → OpenAI chat.completion, as LiteLLM's
// CohereV2ChatConfig.transform_response makes it (src/providers/cohere/README.md):
//   - one choice; message.content = the `text` of message.content[] items joined (a thinking
//     item has no text and adds nothing: LiteLLM drops Cohere's reasoning), "" for an empty
//     list, null when the answer has no content;
//   - message.tool_calls → tool_calls {id, type, function {name, arguments}, index}, Cohere's
//     own ids and argument strings as they are; content is then null (LiteLLM replaces the
//     message), and finish_reason "tool_calls" (Cohere says TOOL_CALL);
//   - else finish_reason = map_finish_reason(finish_reason) (COMPLETE → stop, MAX_TOKENS →
//     length, ERROR_TOXIC → content_filter, anything else → stop);
//   - message.citations with document sources → message.annotations, one url_citation per source
//     {start_index, end_index, title (the document's, else ""), url (the source's, else
//     "source:<source id or unknown>")};
//   - usage = {prompt_tokens: usage.tokens.input_tokens, completion_tokens:
//     usage.tokens.output_tokens, total_tokens: their sum} (0 for what is absent; billed_units
//     is not what LiteLLM reads); `id`, `created` and `model` are the gateway's.
//
// Pure function of its input; thread-safe (a per-thread parser).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace llmtap::providers::cohere {

struct AnswerIdentity {
  std::string_view id;  // "chatcmpl-…"
  std::int64_t created = 0;
  std::string_view model;  // the model as LiteLLM names it, no "cohere/" prefix
};

// Why a 2xx answer could not be translated: not JSON, or no `message` object.
struct AnswerProblem {
  std::string message;
};

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity);

}  // namespace llmtap::providers::cohere
