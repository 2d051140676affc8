// Anthropic Messages API answer → OpenAI chat.completion, as LiteLLM translates it
// (src/providers/README.md): text blocks joined into message.content (null when there are none),
// tool_use blocks as tool_calls with their input as a JSON string, thinking blocks as
// reasoning_content, stop_reason through map_finish_reason, and usage with the cache tokens
// counted into prompt_tokens (input + cache creation + cache read, LiteLLM's newest rule) and
// also reported on their own (prompt_tokens_details, cache_*_input_tokens).
//
// Pure function of its input; thread-safe (a per-thread parser).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace llmtap::providers::anthropic {

// What the gateway decides for the answer it sends: LiteLLM answers with its own id
// ("chatcmpl-…", not Anthropic's msg_ id) and the time the gateway answered.
struct AnswerIdentity {
  std::string_view id;
  std::int64_t created = 0;
  // The request asked for JSON (response_format → the json_tool_call tool): that tool's input is
  // the answer's content and finish_reason "stop", as in LiteLLM's json mode; other tool calls
  // stay calls.
  bool json_mode = false;
};

// Why an answer with a 2xx status could not be translated: not JSON, not a message, or an
// error object in a 2xx body (LiteLLM raises then too).
struct AnswerProblem {
  std::string message;
};

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity);

}  // namespace llmtap::providers::anthropic
