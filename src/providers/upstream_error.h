// UpstreamError: a provider's error answer as the client and the record see it — the HTTP status
// LiteLLM answers with, OpenAI's error `type`, LiteLLM's exception class (the record's
// error_class) and the message, prefixed with the provider as LiteLLM prefixes it
// ("AnthropicException - Overloaded"). The gateway writes the client's body from it with
// gateway::error_body().
#pragma once

#include <string>
#include <string_view>

namespace llmtap::providers {

struct UpstreamError {
  int status = 500;
  std::string type;         // OpenAI error type in the client's {"error": {...}} body
  std::string error_class;  // LiteLLM exception class, e.g. "RateLimitError"
  std::string message;
  bool operator==(const UpstreamError&) const = default;
};

// What an error body says: error.message (or a string `error`) and error.type of a JSON body, or
// the body itself when it is not one. The message is bounded (2 KiB), so a huge HTML error page
// does not become a huge record.
struct ErrorText {
  std::string message;
  std::string type;  // empty when the body names none
};
ErrorText read_error_text(std::string_view body);

// OpenAI's error `type` for an error status when the provider names none (authentication_error,
// permission_error, rate_limit_error, api_error for 5xx, else invalid_request_error).
std::string_view openai_error_type_for_status(int status);

// LiteLLM's exception class for an error status when nothing in the body says more.
std::string_view error_class_for_status(int status);

}  // namespace llmtap::providers
