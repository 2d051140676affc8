#include "providers/upstream_error.h"

#include <simdjson.h>

namespace llmtap::providers {

ErrorText read_error_text(std::string_view body) {
  constexpr std::size_t kMaxMessage = 2048;
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  std::string_view message = body;
  std::string_view type;
  if (parser.parse(padded).get(doc) == simdjson::SUCCESS) {
    std::string_view text;
    if (doc["error"]["message"].get(text) == simdjson::SUCCESS ||
        doc["error"].get(text) == simdjson::SUCCESS) {
      message = text;
    }
    if (doc["error"]["type"].get(type) != simdjson::SUCCESS) type = {};
  }
  return {std::string(message.substr(0, kMaxMessage)), std::string(type)};
}

std::string_view openai_error_type_for_status(int status) {
  if (status == 401) return "authentication_error";
  if (status == 403) return "permission_error";
  if (status == 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

std::string_view error_class_for_status(int status) {
  switch (status) {
    case 400:
    case 413:
      return "BadRequestError";
    case 401:
      return "AuthenticationError";
    case 403:
      return "PermissionDeniedError";
    case 404:
      return "NotFoundError";
    case 408:
    case 504:
      return "Timeout";
    case 422:
      return "UnprocessableEntityError";
    case 429:
      return "RateLimitError";
    case 500:
      return "InternalServerError";
    case 502:
      return "APIConnectionError";
    case 503:
      return "ServiceUnavailableError";
    default:
      return status >= 500 ? "APIError" : "BadRequestError";
  }
}

}  // namespace llmtap::providers
