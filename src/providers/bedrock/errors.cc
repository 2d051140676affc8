#include "providers/bedrock/errors.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace llmtap::providers::bedrock {
namespace {

constexpr std::size_t kMaxMessage = 2048;

UpstreamError make(int status, std::string_view error_class, std::string_view prefix,
                   std::string_view text, std::string_view suffix = {}) {
  UpstreamError error;
  error.status = status;
  error.type = openai_error_type_for_status(status);
  error.error_class = error_class;
  error.message.reserve(prefix.size() + std::min(text.size(), kMaxMessage) + suffix.size());
  error.message.append(prefix).append(text.substr(0, kMaxMessage)).append(suffix);
  return error;
}

// AWS's status for a ConverseStream exception (the ConverseStreamOutput error members).
int stream_exception_status(std::string_view exception_type) {
  constexpr std::array<std::pair<std::string_view, int>, 6> kStatuses = {{
      {"throttlingException", 429},
      {"validationException", 400},
      {"modelTimeoutException", 408},
      {"modelStreamErrorException", 424},
      {"internalServerException", 500},
      {"serviceUnavailableException", 503},
  }};
  for (const auto& [type, status] : kStatuses) {
    if (type == exception_type) return status;
  }
  return 400;  // botocore's status for an exception message
}

}  // namespace

UpstreamError map_error(int status, std::string_view body) {
  constexpr std::string_view kPrefix = "BedrockException - ";
  const auto says = [&](std::string_view what) {
    return body.find(what) != std::string_view::npos;
  };
  if (says("too many tokens") || says("expected maxLength:") || says("Input is too long") ||
      says("prompt is too long") || says("prompt: length: 1..") || says("Too many input tokens")) {
    return make(400, "ContextWindowExceededError", "BedrockException: Context Window Error - ",
                body);
  }
  if (says("Conversation blocks and tool result blocks cannot be provided in the same turn.")) {
    return make(400, "BadRequestError", kPrefix, body,
                "\n. Enable 'litellm.modify_params=True' (for PROXY do: "
                "`litellm_settings::modify_params: True`) to insert a dummy assistant message and "
                "fix this error.");
  }
  if (says("Malformed input request")) return make(400, "BadRequestError", kPrefix, body);
  if (says("A conversation must start with a user message.")) {
    return make(400, "BadRequestError", kPrefix, body,
                "\n. Pass in default user message via `completion(..,user_continue_message=)` or "
                "enable `litellm.modify_params=True`.\nFor Proxy: do via "
                "`litellm_settings::modify_params: True` or user_continue_message under "
                "`litellm_params`");
  }
  if (says("Unable to locate credentials") ||
      says("The security token included in the request is invalid")) {
    return make(401, "AuthenticationError", "BedrockException Invalid Authentication - ", body);
  }
  if (says("AccessDeniedException")) {
    return make(403, "PermissionDeniedError", "BedrockException PermissionDeniedError - ", body);
  }
  if (says("throttlingException") || says("ThrottlingException")) {
    return make(429, "RateLimitError", "BedrockException: Rate Limit Error - ", body);
  }
  if (says("Connect timeout on endpoint URL") || says("timed out")) {
    return make(408, "Timeout", "BedrockException: Timeout Error - ", body);
  }
  if (says("Could not process image")) return make(500, "InternalServerError", kPrefix, body);
  switch (status) {
    case 400:
    case 422:
      return make(400, "BadRequestError", kPrefix, body);
    case 401:
      return make(401, "AuthenticationError", kPrefix, body);
    case 404:
      return make(404, "NotFoundError", kPrefix, body);
    case 408:
    case 504:
      return make(408, "Timeout", kPrefix, body);
    case 429:
      return make(429, "RateLimitError", kPrefix, body);
    case 500:
    case 503:
      return make(503, "ServiceUnavailableError", kPrefix, body);
    default:
      return make(500, "APIConnectionError", kPrefix, body);
  }
}

UpstreamError map_stream_exception(std::string_view exception_type, std::string_view payload) {
  std::string text(exception_type);
  text += ' ';
  text.append(payload.substr(0, kMaxMessage));
  return map_error(stream_exception_status(exception_type), text);
}

}  // namespace llmtap::providers::bedrock
