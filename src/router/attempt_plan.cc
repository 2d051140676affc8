#include "router/attempt_plan.h"

#include <algorithm>
#include <utility>

#include "router/retry_wait.h"

namespace llmtap::router {
namespace {

using std::chrono::milliseconds;

// What a hop whose deployments are all cooling counts as: LiteLLM raises its "No deployments
// available" RouterRateLimitError (a 429) inside the attempt, so the group's fallbacks still run.
constexpr AttemptFailure kAllCooling{FailureKind::rate_limit, 429, std::nullopt};

// The members of a group the topology does not know: none, so the hop is "all cooling".
const std::vector<std::size_t> kNoMembers;

const std::vector<std::string>* rule_for(const std::vector<config::FallbackRule>& rules,
                                         std::string_view group) {
  for (const config::FallbackRule& rule : rules) {
    if (rule.group == group) return &rule.targets;
  }
  return nullptr;
}

// LiteLLM's generic match: the group's own rule, else (wildcard routes such as
// "openai/gpt-4o") the rule of the name without its provider prefix, else "*".
const std::vector<std::string>* generic_rule(const std::vector<config::FallbackRule>& rules,
                                             std::string_view group) {
  if (const auto* exact = rule_for(rules, group)) return exact;
  if (const std::size_t slash = group.find('/'); slash != std::string_view::npos) {
    if (const auto* stripped = rule_for(rules, group.substr(slash + 1))) return stripped;
  }
  return rule_for(rules, "*");
}

// The top 53 bits of `random` as a double in [0, 1).
double unit_random(std::uint64_t random) { return static_cast<double>(random >> 11) * 0x1.0p-53; }

}  // namespace

AttemptPlan::AttemptPlan(const Topology& topology, const config::RouterSettings& settings,
                         Health& health, Request request)
    : topology_(topology),
      settings_(settings),
      health_(health),
      request_(std::move(request)),
      group_(request_.group),
      members_(&kNoMembers) {
  max_retries_ = hop_retries();
}

AttemptPlan::Step AttemptPlan::first(TimePoint now, std::uint64_t random) {
  return start_hop(request_.group, 0, now, random);
}

AttemptPlan::Step AttemptPlan::after_failure(const AttemptFailure& failure, TimePoint now,
                                             std::uint64_t random) {
  if (!in_flight_) return end_of_plan();
  in_flight_ = false;
  // Counted first, so the health checks below already see a cooldown this failure started.
  if (failure.kind != FailureKind::local) health_.on_failure(current_, failure, now);
  max_retries_ = retries_after(current_);
  if (should_retry(failure, now)) {
    const RetryWaitInput wait_input{
        .other_healthy_deployment = has_healthy(now, /*other_than_current=*/true),
        .retry = retry_ + 1,
        .retry_after = failure.retry_after,
        .min_wait = settings_.retry_after,
        .unit_random = unit_random(random),
    };
    // Empty only if another request cooled the last healthy deployment meanwhile.
    if (const std::optional<std::size_t> deployment = pick(now, random)) {
      ++retry_;
      return attempt(*deployment, retry_wait(wait_input));
    }
  }
  push_fallbacks(&failure);
  return next_fallback(now, random);
}

void AttemptPlan::after_success(TimePoint now) {
  if (!in_flight_) return;
  in_flight_ = false;
  health_.on_success(current_, now);
}

AttemptPlan::Step AttemptPlan::start_hop(std::string_view group, int depth, TimePoint now,
                                         std::uint64_t random) {
  // A loop rather than recursion through next_fallback(): a chain of cooling groups costs no
  // stack.
  for (;;) {
    enter_hop(group, depth);
    if (const std::optional<std::size_t> deployment = pick(now, random)) {
      last_no_deployments_.reset();
      return attempt(*deployment, milliseconds{0});
    }
    last_no_deployments_ = NoDeployments{group_, shortest_cooldown(now)};
    push_fallbacks(&kAllCooling);
    const std::optional<Hop> next = next_target();
    if (!next) return *last_no_deployments_;
    group = next->group;
    depth = next->depth;
  }
}

AttemptPlan::Step AttemptPlan::next_fallback(TimePoint now, std::uint64_t random) {
  if (const std::optional<Hop> next = next_target()) {
    return start_hop(next->group, next->depth, now, random);
  }
  return end_of_plan();
}

void AttemptPlan::push_fallbacks(const AttemptFailure* failure) {
  // The depth bound is what ends cycles (a → b → a …): every hop is one deeper than its parent.
  if (request_.disable_fallbacks || depth_ >= settings_.max_fallbacks) return;
  const std::vector<std::string>* list =
      fallback_list(failure != nullptr ? failure->kind : kAllCooling.kind);
  if (list == nullptr) return;
  Cursor cursor{.targets = {}, .next = 0, .failed_group = group_, .depth = depth_};
  for (const std::string& target : *list) {
    // Unknown groups are dropped here; the rest are views of the topology's own names, which
    // outlive the plan (and do not move with it as request_.fallbacks would).
    if (const auto it = topology_.groups.find(target); it != topology_.groups.end()) {
      cursor.targets.push_back(it->first);
    }
  }
  if (!cursor.targets.empty()) cursors_.push_back(std::move(cursor));
}

std::optional<std::size_t> AttemptPlan::pick(TimePoint now, std::uint64_t random) const {
  // Two counting passes instead of candidate lists: nothing is allocated per request.
  std::size_t healthy = 0;
  std::size_t untried = 0;
  for (std::size_t i = 0; i < members_->size(); ++i) {
    if (health_.cooling((*members_)[i], now)) continue;
    ++healthy;
    if (!tried(i)) ++untried;
  }
  if (healthy == 0) return std::nullopt;
  const bool only_untried = untried > 0;
  if (!topology_.weights.empty()) {
    if (auto weighted = weighted_pick(now, random, only_untried)) return weighted;
  }
  std::size_t k = random % (only_untried ? untried : healthy);
  std::optional<std::size_t> last;
  for (std::size_t i = 0; i < members_->size(); ++i) {
    if (health_.cooling((*members_)[i], now) || (only_untried && tried(i))) continue;
    last = (*members_)[i];
    if (k-- == 0) return last;
  }
  // Another request cooled a deployment between the two passes: the last healthy one seen.
  return last;
}

std::optional<std::size_t> AttemptPlan::weighted_pick(TimePoint now, std::uint64_t random,
                                                      bool only_untried) const {
  using Key = std::optional<double> Topology::Weights::*;
  auto candidate = [&](std::size_t i) {
    const std::size_t d = (*members_)[i];
    return d < topology_.weights.size() && !health_.cooling(d, now) && !(only_untried && tried(i));
  };
  // LiteLLM decides which key weighs by the first candidate alone.
  Key key = nullptr;
  for (std::size_t i = 0; i < members_->size() && key == nullptr; ++i) {
    if (!candidate(i)) continue;
    const Topology::Weights& w = topology_.weights[(*members_)[i]];
    key = w.weight ? &Topology::Weights::weight
          : w.rpm  ? &Topology::Weights::rpm
          : w.tpm  ? &Topology::Weights::tpm
                   : nullptr;
    if (key == nullptr) return std::nullopt;  // no weights: uniform
  }
  if (key == nullptr) return std::nullopt;
  double total = 0;
  for (std::size_t i = 0; i < members_->size(); ++i) {
    if (candidate(i)) total += (topology_.weights[(*members_)[i]].*key).value_or(0);
  }
  if (total <= 0) return std::nullopt;
  double point = unit_random(random) * total;
  std::optional<std::size_t> last;
  for (std::size_t i = 0; i < members_->size(); ++i) {
    if (!candidate(i)) continue;
    const double w = (topology_.weights[(*members_)[i]].*key).value_or(0);
    if (w <= 0) continue;
    last = (*members_)[i];
    if (point < w) return last;
    point -= w;
  }
  return last;  // rounding left the point at the very end
}

AttemptPlan::Attempt AttemptPlan::attempt(std::size_t deployment, milliseconds wait) {
  ++attempts_;
  current_ = deployment;
  in_flight_ = true;
  const auto position = static_cast<std::size_t>(
      std::find(members_->begin(), members_->end(), deployment) - members_->begin());
  if (position < 64) tried_ |= std::uint64_t{1} << position;
  return Attempt{.deployment = deployment,
                 .wait = wait,
                 .group = group_,
                 .number = attempts_,
                 .retry = retry_,
                 .fallback_depth = depth_};
}

void AttemptPlan::enter_hop(std::string_view group, int depth) {
  // The topology's own key when it knows the group: Attempt::group must outlive the plan.
  if (const auto it = topology_.groups.find(group); it != topology_.groups.end()) {
    group_ = it->first;
    members_ = &it->second;
  } else {
    group_ = group;
    members_ = &kNoMembers;
  }
  depth_ = depth;
  retry_ = 0;
  tried_ = 0;
  max_retries_ = hop_retries();
}

std::optional<AttemptPlan::Hop> AttemptPlan::next_target() {
  // The innermost list first: a fallback that gave up walks its own fallbacks before its
  // parent's list goes on.
  while (!cursors_.empty()) {
    Cursor& cursor = cursors_.back();
    if (cursor.next == cursor.targets.size()) {
      cursors_.pop_back();
      continue;
    }
    const std::string_view target = cursor.targets[cursor.next++];
    if (target != cursor.failed_group) return Hop{target, cursor.depth + 1};
  }
  return std::nullopt;
}

AttemptPlan::Step AttemptPlan::end_of_plan() const {
  if (last_no_deployments_) return *last_no_deployments_;
  return GiveUp{};
}

bool AttemptPlan::should_retry(const AttemptFailure& failure, TimePoint now) const {
  switch (failure.kind) {
    case FailureKind::not_found:
    case FailureKind::local:
      return false;
    case FailureKind::context_window:
      if (settings_.context_window_fallbacks) return false;
      break;
    case FailureKind::content_policy:
      if (settings_.content_policy_fallbacks) return false;
      break;
    case FailureKind::authentication:
      // The only deployment's key is wrong; asking it again cannot help.
      if (members_->size() <= 1) return false;
      break;
    default:
      break;
  }
  // LiteLLM's separate 429 rule (no healthy deployment left and the group has fallbacks) is
  // contained in this one, which holds with or without fallbacks.
  if (!has_healthy(now, /*other_than_current=*/false)) return false;
  return retry_ < max_retries_;
}

const std::vector<std::string>* AttemptPlan::fallback_list(FailureKind kind) const {
  if (depth_ == 0 && !request_.fallbacks.empty()) return &request_.fallbacks;
  // Once set, these lists are the only fallbacks of their error: no rule, no fallback.
  if (kind == FailureKind::context_window && settings_.context_window_fallbacks) {
    return rule_for(*settings_.context_window_fallbacks, group_);
  }
  if (kind == FailureKind::content_policy && settings_.content_policy_fallbacks) {
    return rule_for(*settings_.content_policy_fallbacks, group_);
  }
  return generic_rule(settings_.fallbacks, group_);
}

bool AttemptPlan::has_healthy(TimePoint now, bool other_than_current) const {
  return std::any_of(members_->begin(), members_->end(), [&](std::size_t deployment) {
    return !(other_than_current && deployment == current_) && !health_.cooling(deployment, now);
  });
}

milliseconds AttemptPlan::shortest_cooldown(TimePoint now) const {
  std::optional<milliseconds> shortest;
  for (const std::size_t deployment : *members_) {
    const milliseconds left = health_.cooldown_left(deployment, now);
    if (!shortest || left < *shortest) shortest = left;
  }
  return shortest.value_or(milliseconds{0});
}

int AttemptPlan::hop_retries() const {
  return std::max(request_.num_retries.value_or(settings_.num_retries), 0);
}

int AttemptPlan::retries_after(std::size_t deployment) const {
  if (deployment < topology_.num_retries.size() && topology_.num_retries[deployment]) {
    return std::max(*topology_.num_retries[deployment], 0);
  }
  return hop_retries();
}

}  // namespace llmtap::router
