#include "providers/anthropic/errors.h"

#include <simdjson.h>

#include <string>

namespace llmtap::providers::anthropic {
namespace {

// An HTML error page from a proxy in front of Anthropic is quoted only this far.
constexpr std::size_t kMaxQuotedBody = 2048;

std::string_view openai_type_for_status(int status) {
  if (status == 401) return "authentication_error";
  if (status == 403) return "permission_error";
  if (status == 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

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
  std::string_view message = body.substr(0, kMaxQuotedBody);
  std::string_view anthropic_type;
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  if (!parser.parse(padded).get(doc)) {
    std::string_view text;
    if (!doc["error"]["message"].get(text)) message = text.substr(0, kMaxQuotedBody);
    if (doc["error"]["type"].get(anthropic_type) != simdjson::SUCCESS) anthropic_type = {};
  }

  UpstreamError error;
  error.status = status;
  error.type = anthropic_type.empty() ? openai_type_for_status(status) : anthropic_type;
  error.message = "AnthropicException - " + std::string(message);
  error.error_class = litellm_class(status, anthropic_type, message);
  return error;
}

}  // namespace llmtap::providers::anthropic
