// AttemptPlan: one client request's walk through retries and fallbacks (LiteLLM's Router:
// async_function_with_retries inside async_function_with_fallbacks; README "Retries, fallbacks and
// cooldowns"). The gateway asks it for the first attempt, reports each failure and gets the next
// step: another attempt (maybe after a wait), every deployment cooling, or give up.
//
// Sans-I/O: time and randomness come in as arguments. One plan per request, used by one thread
// at a time; the Topology, settings and Health it refers to outlive it (Health is shared).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"
#include "router/failure.h"
#include "router/health.h"

namespace llmtap::router {

// The model groups and what the plan needs of each deployment; built once from the config.
struct Topology {
  // model_name → indexes of its deployments (into the config's deployments, in config order).
  std::map<std::string, std::vector<std::size_t>, std::less<>> groups;
  // Per deployment: litellm_params.num_retries (replaces the group's retry count when that
  // deployment's attempt failed).
  std::vector<std::optional<int>> num_retries;
  // Per deployment: simple shuffle's weights (config::Deployment::weight, rpm, tpm). Empty: all
  // deployments weigh the same.
  struct Weights {
    std::optional<double> weight, rpm, tpm;
  };
  std::vector<Weights> weights;
};

class AttemptPlan {
 public:
  using TimePoint = Health::TimePoint;

  struct Attempt {
    std::size_t deployment = 0;
    std::chrono::milliseconds wait{0};  // before sending it (a backed-off retry)
    std::string_view group;             // this hop's model group (the record's model_group)
    int number = 1;                     // 1 for the request's first attempt, +1 for each after
    int retry = 0;                      // 0: the hop's first attempt; n: its n-th retry
    int fallback_depth = 0;             // 0: the group the client asked for
  };
  // Every deployment of the last group tried is cooling down: LiteLLM's 429 "No deployments
  // available for selected model, Try again in N seconds".
  struct NoDeployments {
    std::string_view group;
    std::chrono::milliseconds retry_in{0};  // the shortest cooldown left in that group
  };
  // No attempt is left: the last attempt's failure is the answer.
  struct GiveUp {};
  using Step = std::variant<Attempt, NoDeployments, GiveUp>;

  struct Request {
    std::string_view group{};              // the model the client asked for (must exist)
    std::optional<int> num_retries{};      // the request's own num_retries
    std::vector<std::string> fallbacks{};  // the request's own fallbacks (model groups)
    bool disable_fallbacks = false;        // the request's disable_fallbacks
  };

  AttemptPlan(const Topology& topology, const config::RouterSettings& settings, Health& health,
              Request request);

  // The first attempt: a healthy deployment of the requested group, picked at random (a
  // deployment not yet tried by this request is preferred) — weighted as LiteLLM's simple
  // shuffle weighs: by `weight` when the first candidate has one, else by `rpm`, else by `tpm`
  // (a candidate without the chosen key weighs 0), else uniformly. NoDeployments when all are
  // cooling and no fallback has one either.
  Step first(TimePoint now, std::uint64_t random);

  // After the current attempt failed: counts it in Health, then
  //  - retries in the same group unless LiteLLM would not: never a 404 or a local failure; not a
  //    context-window (content-policy) error when context_window_fallbacks
  //    (content_policy_fallbacks) are set; not an authentication error in a group of one; not a
  //    429 with no healthy deployment left when the group has fallbacks; not when no deployment
  //    of the group is healthy; and not once the retries (the request's num_retries, else the
  //    router's; the failed deployment's own num_retries instead when it has one) are spent;
  //  - else falls back: the request's own fallbacks first, then context_window_fallbacks or
  //    content_policy_fallbacks for those errors (when set, only them), then the generic
  //    fallbacks (the group's rule, else the rule of the group with its provider prefix removed,
  //    else "*", which is default_fallbacks). Each fallback group in turn, skipping the group
  //    that failed, with its own retries and its own fallbacks, while the depth stays below
  //    max_fallbacks; unknown groups are skipped;
  //  - else GiveUp (or NoDeployments when the last group tried had every deployment cooling).
  Step after_failure(const AttemptFailure& failure, TimePoint now, std::uint64_t random);

  // The current attempt answered: counted in Health.
  void after_success(TimePoint now);

  // For the answer's headers: retries made in the hop that answered (x-litellm-attempted-retries),
  // that hop's retry budget (x-litellm-max-retries) and its fallback depth
  // (x-litellm-attempted-fallbacks).
  int attempted_retries() const { return retry_; }
  int max_retries() const { return max_retries_; }
  int fallback_depth() const { return depth_; }
  int attempts() const { return attempts_; }

 private:
  // One fallback list being walked: the group that failed (skipped if listed) and what is next.
  struct Cursor {
    std::vector<std::string_view> targets;  // known groups only: views of topology_'s names
    std::size_t next = 0;
    std::string_view failed_group;
    int depth = 0;  // the depth of the group that failed
  };

  // Starts hop `group` at `depth`: its first attempt, or the next fallback when every
  // deployment of it is cooling.
  Step start_hop(std::string_view group, int depth, TimePoint now, std::uint64_t random);
  Step next_fallback(TimePoint now, std::uint64_t random);
  // Pushes the fallback list for the current group after `failure` (none: nothing pushed).
  void push_fallbacks(const AttemptFailure* failure);
  std::optional<std::size_t> pick(TimePoint now, std::uint64_t random) const;
  bool tried(std::size_t position) const { return position < 64 && ((tried_ >> position) & 1U); }
  // The weighted choice among the candidates `pick` counted (n of them, `only_untried` or not).
  std::optional<std::size_t> weighted_pick(TimePoint now, std::uint64_t random,
                                           bool only_untried) const;
  Attempt attempt(std::size_t deployment, std::chrono::milliseconds wait);

  // A fallback group to start and the depth it starts at.
  struct Hop {
    std::string_view group;
    int depth = 0;
  };
  // Makes `group` the current hop: its members, no retries made, nothing tried yet.
  void enter_hop(std::string_view group, int depth);
  // The next target of the innermost fallback list with one left (spent lists are dropped).
  std::optional<Hop> next_target();
  // Nothing left: NoDeployments when the last hop had every deployment cooling, else GiveUp.
  Step end_of_plan() const;
  bool should_retry(const AttemptFailure& failure, TimePoint now) const;
  // The fallback list for the current hop after a failure of `kind` (nullptr: none).
  const std::vector<std::string>* fallback_list(FailureKind kind) const;
  bool has_healthy(TimePoint now, bool other_than_current) const;
  std::chrono::milliseconds shortest_cooldown(TimePoint now) const;
  // The hop's retry budget (the request's num_retries, else the router's), at least 0.
  int hop_retries() const;
  // The budget for the decision after `deployment` failed: its own num_retries when it has one.
  int retries_after(std::size_t deployment) const;

  const Topology& topology_;
  const config::RouterSettings& settings_;
  Health& health_;
  Request request_;

  std::string_view group_;                   // the current hop's group
  const std::vector<std::size_t>* members_;  // its deployments
  // The deployments this hop has tried, by position in members_ (bit i: (*members_)[i]). A bit
  // set rather than a list: no allocation per request. Positions past 63 never count as tried,
  // which only weakens the preference for untried deployments in groups that large.
  std::uint64_t tried_ = 0;
  std::size_t current_ = 0;  // the deployment of the attempt in flight
  int depth_ = 0;
  int retry_ = 0;
  int max_retries_ = 0;
  int attempts_ = 0;
  bool in_flight_ = false;  // an attempt was handed out and not yet reported
  std::vector<Cursor> cursors_;
  std::optional<NoDeployments> last_no_deployments_;  // the last hop had every deployment cooling
};

}  // namespace llmtap::router
