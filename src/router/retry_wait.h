// retry_wait: how long the router waits before retrying a failed attempt (LiteLLM's
// _time_to_sleep_before_retry and _calculate_retry_after, a port of openai-python's backoff).
// Pure; README "Retries".
#pragma once

#include <chrono>
#include <optional>

namespace llmtap::router {

struct RetryWaitInput {
  // Another deployment of the group is healthy: the retry goes there at once (no wait).
  bool other_healthy_deployment = false;
  int retry = 1;  // the retry about to be made, 1 for the first
  std::optional<std::chrono::milliseconds> retry_after{};  // the upstream's Retry-After
  std::chrono::milliseconds min_wait{0};                   // router_settings.retry_after
  double unit_random = 0;                                  // uniform in [0, 1): the jitter
};

// Zero with another healthy deployment. Else the upstream's Retry-After when it is above 0 and
// at most 60 s; else min(0.5 s × 2^(retry−1), 8 s) × (1 − 0.25 × unit_random), raised to
// min_wait.
std::chrono::milliseconds retry_wait(const RetryWaitInput& input);

}  // namespace llmtap::router
