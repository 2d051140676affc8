// Retry: the sans-I/O decision taken after every delivery attempt. classify() is the one place a
// delivery outcome is sorted (README "callback_settings.<name>"): 2xx delivers; 408, 429, 5xx and
// transport failures (timeout, connect, DNS, reset, TLS, bad peer) are retried; 3xx and every other
// status is rejected (redirects are not followed: a moved endpoint is a failure to report).
// RetryPolicy turns a retryable outcome into a delay (exponential backoff with full jitter, at
// least the server's Retry-After, capped) or, once the batch's retry time budget is spent, into a
// reject.
//
// Lifecycle: RetryPolicy is a small value owned by a Pipeline. Thread-safety: classify() and
// parse_retry_after() are pure; RetryPolicy::decide() draws from its random source, so callers
// serialise it (the Pipeline calls it under its mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "http/client_result.h"

namespace llmtap::delivery {

enum class Disposition { deliver, retry, reject };
const char* to_string(Disposition disposition);

Disposition classify(const http::ClientResult& result);

// A Retry-After value (delay-seconds or IMF-fixdate HTTP-date) as a delay from `now`; a date in
// the past is zero. nullopt when the value is neither.
std::optional<std::chrono::nanoseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// The start of a response body, printable and bounded, for logs and the dead-letter store.
std::string body_excerpt(std::string_view body, std::size_t max_bytes = 512);

// What an attempt's outcome was, in a few words ("HTTP 503", "timeout: …"), for logs.
std::string describe(const http::ClientResult& result);

struct RetryOptions {
  std::chrono::nanoseconds initial_backoff = std::chrono::milliseconds(500);
  std::chrono::nanoseconds max_backoff = std::chrono::seconds(30);
  std::chrono::nanoseconds max_retry_after = std::chrono::seconds(300);  // trust a server this far
  std::chrono::nanoseconds budget = std::chrono::seconds(300);  // per batch, from its first attempt

  static RetryOptions from_config(const config::CallbackConfig& callback);
};

struct RetryDecision {
  Disposition disposition = Disposition::deliver;
  std::chrono::nanoseconds delay{0};  // when disposition == retry
  bool budget_exhausted = false;      // a retryable failure turned into a reject
  std::string reason;                 // describe(result), plus why it was given up
};

class RetryPolicy {
 public:
  using RandomSource = std::function<double()>;  // uniform in [0, 1)

  // An empty `random` uses a per-policy Mersenne Twister seeded from std::random_device.
  explicit RetryPolicy(RetryOptions options, RandomSource random = {});

  // Delay before attempt `failed_attempt + 1`: uniform in [0, min(max_backoff, initial * 2^n)],
  // raised to the server's Retry-After (itself capped at max_retry_after).
  std::chrono::nanoseconds backoff(std::uint32_t failed_attempt,
                                   std::optional<std::chrono::nanoseconds> retry_after);

  // The decision for attempt `attempt` (0-based) of a batch whose first attempt was `elapsed` ago.
  RetryDecision decide(const http::ClientResult& result, std::uint32_t attempt,
                       std::chrono::nanoseconds elapsed,
                       std::chrono::system_clock::time_point system_now);

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  RandomSource random_;
};

}  // namespace llmtap::delivery
