// TokenCache: one service account's access token, as a sans-I/O state machine the async shell
// drives. The shell asks acquire(now) before each upstream call and is told to use the cached
// token, to fetch one (it signs an assertion, POSTs it, and reports back with fetched()), to
// wait (a fetch is in flight: it queues the call and, when fetched() returns, hands every queued
// call that outcome), or to fail (the last fetch failed moments ago).
//
// Choices (google-auth-library for Node 10.9.1, DEFAULT_EAGER_REFRESH_THRESHOLD_MILLIS; google-auth
// python refreshes 3 min 45 s ahead, _helpers.REFRESH_THRESHOLD):
//   - Refresh ahead, 5 minutes before expiry (capped at half the token's lifetime, so a short-lived
//     token is not refreshed on every call): from then on the first caller is told start_fetch
//     *with* the still-valid token, which it uses at once; the others keep using it; nobody
//     blocks until the token has actually expired.
//   - Exactly one fetch in flight. An expired (or absent) token with a fetch in flight → wait.
//   - The lifetime counts from when the fetch started (the token may be that much older than
//     its answer), and a token is never handed out at or past its expiry.
//   - A failed fetch is remembered briefly: for 1 s after it, callers without a valid token get
//     that failure (fail) instead of a fetch; the back-off doubles with each failure in a row, up
//     to 30 s, and resets on success. A refresh-ahead failure keeps the old token in use until it
//     expires, and the next attempt waits out the back-off too.
// Bounded: one token, one error; the waiting calls live in the shell.
//
// Thread-safety: none; the shell keeps one cache per credential on one strand. Time is passed in
// (steady clock), never read; the token is a secret and never logged.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "providers/vertex/auth_error.h"
#include "providers/vertex/jwt_assertion.h"

namespace llmtap::providers::vertex {

struct TokenCacheOptions {
  std::chrono::seconds refresh_margin{300};
  std::chrono::milliseconds first_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
};

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Action {
    use_token,    // `token` is valid: send the call with it
    start_fetch,  // fetch a token, then call fetched(); `token`, when not empty, is still valid
                  // and the call uses it now (refresh ahead) rather than waiting
    wait,         // a fetch is in flight and no valid token: queue the call for fetched()'s outcome
    fail,         // the last fetch failed within the back-off: `error` is that failure
  };

  struct Decision {
    Action action = Action::start_fetch;
    std::string token;
    AuthError error;
  };

  explicit TokenCache(TokenCacheOptions options = {}) : options_(options) {}

  Decision acquire(Clock::time_point now);

  // The outcome of the fetch that acquire() started (call exactly once per start_fetch); returns
  // what every waiting call gets: the new token or the failure.
  Result<std::string, AuthError> fetched(const Result<AccessToken, AuthError>& answer,
                                         Clock::time_point now);

  bool fetch_in_flight() const { return fetch_started_at_.has_value(); }
  std::uint64_t fetches_started() const { return fetches_started_; }
  std::uint64_t fetches_failed() const { return fetches_failed_; }

 private:
  bool has_valid_token(Clock::time_point now) const { return !token_.empty() && now < expires_at_; }

  TokenCacheOptions options_;
  std::string token_;
  Clock::time_point expires_at_{};
  Clock::time_point refresh_at_{};
  std::optional<Clock::time_point> fetch_started_at_;  // set while a fetch is in flight
  std::optional<AuthError> last_error_;                // the last fetch's failure, until a success
  Clock::time_point retry_at_{};
  std::chrono::milliseconds backoff_{0};
  std::uint64_t fetches_started_ = 0;
  std::uint64_t fetches_failed_ = 0;
};

}  // namespace llmtap::providers::vertex
