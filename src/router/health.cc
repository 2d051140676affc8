#include "router/health.h"

#include <utility>

namespace llmtap::router {
namespace {

using std::chrono::milliseconds;

// LiteLLM's SINGLE_DEPLOYMENT_TRAFFIC_FAILURE_THRESHOLD and
// DEFAULT_FAILURE_THRESHOLD_MINIMUM_REQUESTS (constants.py).
constexpr std::uint32_t kAllFailedMinRequests = 1000;
constexpr std::uint32_t kFailureRateMinRequests = 5;
// `cooldown_time or DEFAULT_COOLDOWN_TIME_SECONDS`: a router-level 0 means the default.
constexpr milliseconds kDefaultCooldown{5000};

std::int64_t minute_of(Health::TimePoint now) {
  return std::chrono::floor<std::chrono::minutes>(now.time_since_epoch()).count();
}

}  // namespace

Health::Health(const config::RouterSettings& settings, std::vector<DeploymentFacts> deployments)
    : settings_(settings),
      facts_(std::move(deployments)),
      states_(facts_.size()),
      cooling_until_(std::make_unique<std::atomic<TimePoint::rep>[]>(facts_.size())) {}

Health::TimePoint Health::cooling_until(std::size_t deployment) const {
  return TimePoint(TimePoint::duration(cooling_until_[deployment].load(std::memory_order_acquire)));
}

bool Health::cooling(std::size_t deployment, TimePoint now) const {
  if (deployment >= states_.size()) return false;
  return now < cooling_until(deployment);
}

milliseconds Health::cooldown_left(std::size_t deployment, TimePoint now) const {
  if (deployment >= states_.size()) return milliseconds{0};
  const TimePoint until = cooling_until(deployment);
  // Rounded up: a deployment that is still cooling never reports 0 left.
  return now < until ? std::chrono::ceil<milliseconds>(until - now) : milliseconds{0};
}

void Health::on_success(std::size_t deployment, TimePoint now) {
  if (deployment >= states_.size()) return;
  const std::lock_guard lock(mutex_);
  State& state = states_[deployment];
  roll_minute(state, now);
  ++state.requests;
}

bool Health::on_failure(std::size_t deployment, const AttemptFailure& failure, TimePoint now) {
  if (deployment >= states_.size() || failure.kind == FailureKind::local) return false;
  const milliseconds duration = cooldown_for(deployment, failure);
  const std::lock_guard lock(mutex_);
  State& state = states_[deployment];
  roll_minute(state, now);
  ++state.requests;
  ++state.failures;
  if (settings_.disable_cooldowns || duration <= milliseconds{0} || !may_cool_down(failure)) {
    return false;
  }
  const bool cool = settings_.allowed_fails
                        ? count_rule(state, duration, now)
                        : failure_rate_rule(state, failure, facts_[deployment].group_size);
  // An already cooling deployment keeps its deadline (LiteLLM's cache keeps the first TTL).
  if (!cool || now < cooling_until(deployment)) return false;
  cooling_until_[deployment].store((now + duration).time_since_epoch().count(),
                                   std::memory_order_release);
  ++state.cooldowns_entered;
  return true;
}

std::uint64_t Health::cooldowns_entered(std::size_t deployment) const {
  if (deployment >= states_.size()) return 0;
  const std::lock_guard lock(mutex_);
  return states_[deployment].cooldowns_entered;
}

milliseconds Health::cooldown_for(std::size_t deployment, const AttemptFailure& failure) const {
  if (const std::optional<milliseconds>& own = facts_[deployment].cooldown_time) return *own;
  if (failure.retry_after && *failure.retry_after > milliseconds{0}) return *failure.retry_after;
  return settings_.cooldown_time > milliseconds{0} ? settings_.cooldown_time : kDefaultCooldown;
}

void Health::roll_minute(State& state, TimePoint now) {
  const std::int64_t minute = minute_of(now);
  if (state.minute == minute) return;
  state.minute = minute;
  state.requests = 0;
  state.failures = 0;
}

bool Health::count_rule(State& state, milliseconds duration, TimePoint now) const {
  // The window opens at the first failure and lasts one cooldown time.
  if (state.fails_in_window == 0 || now >= state.fails_window_start + duration) {
    state.fails_window_start = now;
    state.fails_in_window = 0;
  }
  ++state.fails_in_window;
  return static_cast<std::int64_t>(state.fails_in_window) > *settings_.allowed_fails;
}

bool Health::failure_rate_rule(const State& state, const AttemptFailure& failure,
                               std::size_t group_size) {
  const bool several = group_size > 1;
  if (failure.status == 429 && several) return true;
  if (state.requests >= kAllFailedMinRequests && state.failures == state.requests) return true;
  // More than half failed: failures / requests > 0.5 without floating point.
  if (several && state.requests >= kFailureRateMinRequests &&
      std::uint64_t{state.failures} * 2 > state.requests) {
    return true;
  }
  // Not worth retrying (401, 404…): the same request would fail again, so even a group's only
  // deployment is set aside.
  return !retryable_status(failure.status);
}

}  // namespace llmtap::router
