// Bedrock Converse answer (`POST /model/{modelId}/converse`, 2xx) → OpenAI chat.completion, as
// LiteLLM's AmazonConverseConfig._transform_response makes it (README.md):
//   - one choice; message.content = the `text` blocks of output.message.content[] joined, ""
//     when there are none (LiteLLM's content is a string even then);
//   - toolUse blocks → tool_calls {id: toolUseId, type, function {name, arguments: the input as
//     compact JSON}, index}: the name as the client sent it when the request renamed it
//     (AnswerIdentity::renamed_tools), the index the first call's block position counted on;
//   - reasoningContent blocks → reasoning_content (their reasoningText texts joined; a redacted
//     block adds nothing);
//   - json_mode and exactly one toolUse, named json_tool_call: its input is the content (a sole
//     {"properties": …} wrapper unwrapped), with no tool_calls;
//   - finish_reason = map_finish_reason(stopReason) (end_turn / stop_sequence → stop,
//     max_tokens → length, tool_use → tool_calls, guardrail_intervened / content_filtered →
//     content_filter);
//   - usage from `usage` (usage.h: cache tokens in prompt_tokens, Bedrock's totalTokens);
//     `id`, `created` and `model` are the gateway's (Converse returns none of them).
//
// Pure function of its input; thread-safe (a per-thread parser).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "providers/bedrock/converse_request.h"

namespace llmtap::providers::bedrock {

struct AnswerIdentity {
  std::string_view id;  // "chatcmpl-…"
  std::int64_t created = 0;
  std::string_view model;                      // the model as LiteLLM names it
  bool json_mode = false;                      // ConverseRequest::json_mode
  std::span<const RenamedTool> renamed_tools;  // ConverseRequest::renamed_tools
};

// Why a 2xx answer could not be translated: not a JSON object, or no `output` object (LiteLLM's
// 422 "Error converting to valid response block").
struct AnswerProblem {
  std::string message;
};

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity);

// The client's name for a tool Bedrock answered with `bedrock_name`.
std::string_view client_tool_name(std::string_view bedrock_name,
                                  std::span<const RenamedTool> renamed_tools);

}  // namespace llmtap::providers::bedrock
