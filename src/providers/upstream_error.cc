#include "providers/upstream_error.h"

namespace llmtap::providers {

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
