#include "router/failure.h"

namespace llmtap::router {
namespace {

// The LiteLLM classes that say more than their status: a 400 that is really a context-window
// error, a 500 that never reached the upstream, a 408 raised by our own deadline. Other classes
// (BadRequestError, InternalServerError, UnsupportedParamsError…) follow their status.
std::optional<FailureKind> kind_of_class(std::string_view error_class) {
  struct Entry {
    std::string_view name;
    FailureKind kind;
  };
  static constexpr Entry kSpecific[] = {
      {"ContextWindowExceededError", FailureKind::context_window},
      {"ContentPolicyViolationError", FailureKind::content_policy},
      {"APIConnectionError", FailureKind::connection},
      {"Timeout", FailureKind::timeout},
      {"RateLimitError", FailureKind::rate_limit},
      {"NotFoundError", FailureKind::not_found},
      {"AuthenticationError", FailureKind::authentication},
  };
  for (const Entry& entry : kSpecific) {
    if (entry.name == error_class) return entry.kind;
  }
  return std::nullopt;
}

bool is_4xx(int status) { return status >= 400 && status < 500; }

}  // namespace

FailureKind classify_failure(int status, std::string_view error_class) {
  if (const std::optional<FailureKind> kind = kind_of_class(error_class)) return *kind;
  switch (status) {
    case 400:
      return FailureKind::bad_request;
    case 401:
    case 403:
      return FailureKind::authentication;
    case 404:
      return FailureKind::not_found;
    case 408:
      return FailureKind::timeout;
    case 429:
      return FailureKind::rate_limit;
    default:
      // 5xx and statuses that are no error status at all (a 2xx body we could not use) are the
      // upstream's fault; the remaining 4xx are the request's.
      return is_4xx(status) ? FailureKind::bad_request : FailureKind::server;
  }
}

bool may_cool_down(const AttemptFailure& failure) {
  // No answer came (connection) or no upstream was asked (local): nothing says the deployment is
  // unwell.
  if (failure.kind == FailureKind::connection || failure.kind == FailureKind::local) return false;
  switch (failure.status) {
    case 401:
    case 404:
    case 408:
    case 429:
      return true;
    default:
      return !is_4xx(failure.status);
  }
}

bool retryable_status(int status) {
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

}  // namespace llmtap::router
