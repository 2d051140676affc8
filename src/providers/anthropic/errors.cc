#include "providers/anthropic/errors.h"

#include <string>

namespace llmtap::providers::anthropic {
namespace {

// LiteLLM looks at the message before the status.
std::string_view litellm_class(int status, std::string_view anthropic_type,
                               std::string_view message) {
  const auto says = [&](std::string_view text) {
    return message.find(text) != std::string_view::npos;
  };
  if (says("prompt is too long") || says("prompt: length")) return "ContextWindowExceededError";
  if (anthropic_type == "overloaded_error" || says("overloaded_error")) {
    return "InternalServerError";
  }
  if (says("Invalid API Key")) return "AuthenticationError";
  if (says("content filtering policy")) return "ContentPolicyViolationError";
  if (status == 529) return "InternalServerError";  // Anthropic's "overloaded" status
  return error_class_for_status(status);
}

}  // namespace

UpstreamError map_error(int status, std::string_view body) {
  const ErrorText text = read_error_text(body);
  const std::string_view anthropic_type = text.type;

  UpstreamError error;
  error.status = status;
  error.type = anthropic_type.empty() ? openai_error_type_for_status(status) : anthropic_type;
  error.message = "AnthropicException - " + text.message;
  error.error_class = litellm_class(status, anthropic_type, text.message);
  return error;
}

}  // namespace llmtap::providers::anthropic
