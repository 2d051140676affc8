#include "router/retry_wait.h"

#include <algorithm>
#include <cmath>

namespace llmtap::router {
namespace {

// openai-python's INITIAL_RETRY_DELAY, MAX_RETRY_DELAY and the longest Retry-After it obeys.
constexpr double kInitialWaitMs = 500;
constexpr double kMaxWaitMs = 8000;
constexpr std::chrono::milliseconds kLongestRetryAfter{60'000};

}  // namespace

std::chrono::milliseconds retry_wait(const RetryWaitInput& input) {
  if (input.other_healthy_deployment) return std::chrono::milliseconds{0};
  if (input.retry_after && input.retry_after->count() > 0 &&
      *input.retry_after <= kLongestRetryAfter) {
    return *input.retry_after;
  }
  // 0.5 s doubles to the 8 s cap by the 5th retry; clamping the exponent keeps pow() finite for
  // any retry count.
  const int doublings = std::clamp(input.retry - 1, 0, 5);
  const double backoff = std::min(kInitialWaitMs * std::exp2(doublings), kMaxWaitMs);
  const double unit = std::clamp(input.unit_random, 0.0, 1.0);
  const std::chrono::milliseconds jittered{std::llround(backoff * (1.0 - 0.25 * unit))};
  return std::max(jittered, input.min_wait);
}

}  // namespace llmtap::router
