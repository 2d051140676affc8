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

// LiteLLM's exception class for an error status when nothing in the body says more.
std::string_view error_class_for_status(int status);

}  // namespace llmtap::providers
