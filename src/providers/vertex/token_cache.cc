#include "providers/vertex/token_cache.h"

#include <algorithm>

namespace llmtap::providers::vertex {

TokenCache::Decision TokenCache::acquire(Clock::time_point now) {
  const bool valid = has_valid_token(now);
  if (valid && now < refresh_at_) return {Action::use_token, token_, {}};
  if (fetch_started_at_) {
    if (valid) return {Action::use_token, token_, {}};
    return {Action::wait, {}, {}};
  }
  if (last_error_ && now < retry_at_) {
    if (valid) return {Action::use_token, token_, {}};
    return {Action::fail, {}, *last_error_};
  }
  fetch_started_at_ = now;
  ++fetches_started_;
  return {Action::start_fetch, valid ? token_ : std::string(), {}};
}

Result<std::string, AuthError> TokenCache::fetched(const Result<AccessToken, AuthError>& answer,
                                                   Clock::time_point now) {
  const Clock::time_point started = fetch_started_at_.value_or(now);
  fetch_started_at_.reset();
  if (!answer) {
    ++fetches_failed_;
    backoff_ = backoff_.count() == 0 ? options_.first_backoff
                                     : std::min(backoff_ * 2, options_.max_backoff);
    retry_at_ = now + backoff_;
    last_error_ = answer.error();
    return answer.error();
  }
  const std::chrono::seconds lifetime = answer->expires_in;
  token_ = answer->access_token;
  expires_at_ = started + lifetime;
  refresh_at_ = expires_at_ - std::min<Clock::duration>(options_.refresh_margin, lifetime / 2);
  last_error_.reset();
  backoff_ = std::chrono::milliseconds{0};
  return token_;
}

}  // namespace llmtap::providers::vertex
