// Health: every deployment's cooldown and this minute's request and failure counts, shared by
// all requests of the process (LiteLLM's cooldown_handlers, README "Cooldowns"). Per process:
// replicas do not share it.
//
// Sans-I/O: the time comes in as an argument, so tests drive it with a manual clock.
// Thread-safety: every method may be called from any thread. Whether a deployment is cooling is
// one atomic load (every request asks, for each deployment of its group); the counts behind the
// decision to cool are guarded by one mutex, held for a few loads and stores. No allocation
// after construction.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "config/config.h"
#include "router/failure.h"

namespace llmtap::router {

class Health {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct DeploymentFacts {
    std::size_t group_size = 1;  // deployments in its model group, itself included
    std::optional<std::chrono::milliseconds> cooldown_time;  // litellm_params.cooldown_time
  };

  Health(const config::RouterSettings& settings, std::vector<DeploymentFacts> deployments);

  bool cooling(std::size_t deployment, TimePoint now) const;
  // What is left of its cooldown; zero when it is not cooling.
  std::chrono::milliseconds cooldown_left(std::size_t deployment, TimePoint now) const;

  void on_success(std::size_t deployment, TimePoint now);
  // Counts the failure and cools the deployment when LiteLLM would (below); true when it entered
  // a cooldown now. An attempt refused locally (FailureKind::local) is not counted.
  //
  // Never when cooldowns are disabled or the cooldown time is 0, nor for a failure
  // may_cool_down() rejects. With allowed_fails unset (the failure-rate rule): a 429 in a group
  // of several; 100% failures over at least 1000 requests this minute; more than half failed
  // over at least 5 requests this minute in a group of several; or a status not worth retrying
  // (401, 404…), even for a group's only deployment. With allowed_fails set: more than
  // allowed_fails failures within one cooldown time. The cooldown lasts the deployment's own
  // cooldown_time, else the failure's Retry-After, else router_settings.cooldown_time. A
  // deployment already cooling keeps its deadline.
  bool on_failure(std::size_t deployment, const AttemptFailure& failure, TimePoint now);

  std::uint64_t cooldowns_entered(std::size_t deployment) const;
  std::size_t size() const { return facts_.size(); }

 private:
  struct State {
    std::int64_t minute = -1;  // the minute the counts below belong to
    std::uint32_t requests = 0;
    std::uint32_t failures = 0;
    TimePoint fails_window_start{};  // allowed_fails: the window the count below is in
    std::uint32_t fails_in_window = 0;
    std::uint64_t cooldowns_entered = 0;
  };
  std::chrono::milliseconds cooldown_for(std::size_t deployment,
                                         const AttemptFailure& failure) const;
  // Starts the state's counts afresh when `now` is in another minute than they belong to.
  static void roll_minute(State& state, TimePoint now);
  TimePoint cooling_until(std::size_t deployment) const;
  // allowed_fails set: counts this failure in its window; true when they are now too many.
  bool count_rule(State& state, std::chrono::milliseconds duration, TimePoint now) const;
  // allowed_fails unset: LiteLLM's failure-rate rule over this minute's counts.
  static bool failure_rate_rule(const State& state, const AttemptFailure& failure,
                                std::size_t group_size);

  config::RouterSettings settings_;
  std::vector<DeploymentFacts> facts_;
  mutable std::mutex mutex_;
  std::vector<State> states_;  // guarded by mutex_
  // Per deployment, the steady clock's ticks until which it cools (0: never cooled). Written
  // under mutex_, read without it.
  std::unique_ptr<std::atomic<TimePoint::rep>[]> cooling_until_;
};

}  // namespace llmtap::router
