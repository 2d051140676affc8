// AttemptFailure: what the router needs to know of one failed attempt — its kind (LiteLLM's
// exception classes, which the gateway's answers already name), the status the client would get
// and the upstream's Retry-After — to decide on retries, fallbacks and cooldowns.
// Pure functions; README "Retries, fallbacks and cooldowns".
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace llmtap::router {

enum class FailureKind {
  bad_request,     // 400 and the other 4xx not named below (BadRequestError, …)
  authentication,  // 401 (AuthenticationError) and 403 (PermissionDeniedError)
  not_found,       // 404 (NotFoundError): never retried
  timeout,         // 408 or a deadline that passed (Timeout)
  rate_limit,      // 429 (RateLimitError)
  context_window,  // ContextWindowExceededError: to context_window_fallbacks when set
  content_policy,  // ContentPolicyViolationError: to content_policy_fallbacks when set
  server,          // 5xx (InternalServerError, ServiceUnavailableError, …)
  connection,      // APIConnectionError: no answer; never cools a deployment (LiteLLM's rule)
  local,           // refused by llmtap before any upstream call (an unsupported parameter…): the
                   // same request fails the same way again, so it is not retried
};

struct AttemptFailure {
  FailureKind kind = FailureKind::server;
  int status = 500;
  std::optional<std::chrono::milliseconds> retry_after{};  // the upstream's Retry-After
};

// The kind of a failure the gateway answered with `status` and LiteLLM exception class
// `error_class` (e.g. "RateLimitError"); the class wins where it is more specific than the status
// (a 400 "ContextWindowExceededError", a 500 "APIConnectionError", a 408 "Timeout").
FailureKind classify_failure(int status, std::string_view error_class);

// LiteLLM's _is_cooldown_required: 429, 401, 404, 408, every 5xx and any other status that is
// not a 4xx may cool a deployment; other 4xx (400, 403, 422…) and connection errors never do.
bool may_cool_down(const AttemptFailure& failure);

// litellm._should_retry: 408, 409, 429 and 5xx are worth retrying. Here it only decides whether
// a failure cools even a group's only deployment (one that is not worth retrying does).
bool retryable_status(int status);

}  // namespace llmtap::router
