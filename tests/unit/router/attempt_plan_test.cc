#include "router/attempt_plan.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace llmtap::router {
namespace {

using namespace std::chrono_literals;
using Attempt = AttemptPlan::Attempt;
using Step = AttemptPlan::Step;

const Health::TimePoint kNow = Health::TimePoint{} + 100s;

// Every attempt of a plan failed the same way, from first() to the end.
struct Walk {
  std::vector<Attempt> attempts;
  Step end;
  std::vector<std::string> groups() const {
    std::vector<std::string> out;
    for (const Attempt& attempt : attempts) out.emplace_back(attempt.group);
    return out;
  }
};

Walk fail_every_attempt(AttemptPlan& plan, const AttemptFailure& failed, std::uint64_t random = 0) {
  Walk walk;
  Step step = plan.first(kNow, random);
  for (int guard = 0; guard < 1000; ++guard) {
    const auto* attempt = std::get_if<Attempt>(&step);
    if (attempt == nullptr) {
      walk.end = step;
      return walk;
    }
    walk.attempts.push_back(*attempt);
    step = plan.after_failure(failed, kNow, random);
  }
  ADD_FAILURE() << "the plan did not end";
  walk.end = step;
  return walk;
}

// Model groups and their deployments (numbered in the order given), a Health over them and the
// settings both see. Settings are fixed before it is built.
struct World {
  explicit World(const std::vector<std::pair<std::string, std::size_t>>& groups,
                 config::RouterSettings router = {})
      : settings(std::move(router)) {
    std::vector<Health::DeploymentFacts> facts;
    for (const auto& [name, count] : groups) {
      std::vector<std::size_t>& members = topology.groups[name];
      for (std::size_t i = 0; i < count; ++i) {
        members.push_back(facts.size());
        facts.push_back({count, std::nullopt});
      }
    }
    topology.num_retries.resize(facts.size());
    health = std::make_unique<Health>(settings, std::move(facts));
  }

  AttemptPlan plan(AttemptPlan::Request request) {
    return AttemptPlan(topology, settings, *health, std::move(request));
  }
  AttemptPlan plan(std::string_view group) { return plan(AttemptPlan::Request{.group = group}); }
  // A new plan whose every attempt fails with `failed`.
  Walk walk(AttemptPlan::Request request, const AttemptFailure& failed, std::uint64_t random = 0) {
    AttemptPlan fresh = plan(std::move(request));
    return fail_every_attempt(fresh, failed, random);
  }
  std::size_t deployment(std::string_view group, std::size_t i) const {
    return topology.groups.find(group)->second[i];
  }

  config::RouterSettings settings;
  Topology topology;
  std::unique_ptr<Health> health;
};

AttemptFailure failure(int status, std::string_view error_class = "",
                       std::optional<std::chrono::milliseconds> retry_after = {}) {
  return AttemptFailure{classify_failure(status, error_class), status, retry_after};
}

Attempt attempt_of(const Step& step) {
  if (const auto* attempt = std::get_if<Attempt>(&step)) return *attempt;
  ADD_FAILURE() << "expected an attempt, got step kind " << step.index();
  return {};
}

bool gives_up(const Step& step) { return std::holds_alternative<AttemptPlan::GiveUp>(step); }

config::RouterSettings with_fallbacks(std::vector<config::FallbackRule> rules) {
  config::RouterSettings settings;
  settings.fallbacks = std::move(rules);
  return settings;
}

using Groups = std::vector<std::string>;

// Verifies that a first attempt that answers is the whole plan: attempt 1, no retries.
TEST(AttemptPlanTest, SuccessOnFirstTry) {
  World world({{"a", 1}});
  AttemptPlan plan = world.plan("a");
  const Attempt first = attempt_of(plan.first(kNow, 0));
  EXPECT_EQ(first.deployment, world.deployment("a", 0));
  EXPECT_EQ(first.group, "a");
  EXPECT_EQ(first.number, 1);
  EXPECT_EQ(first.retry, 0);
  EXPECT_EQ(first.fallback_depth, 0);
  EXPECT_EQ(first.wait, 0ms);
  plan.after_success(kNow);
  EXPECT_EQ(plan.attempted_retries(), 0);
  EXPECT_EQ(plan.max_retries(), 2);
  EXPECT_EQ(plan.fallback_depth(), 0);
  EXPECT_EQ(plan.attempts(), 1);
}

// Verifies the default 2 retries of a group's only deployment, backed off 0.5 s then 1 s
// (jitter 0), then GiveUp after 3 attempts.
TEST(AttemptPlanTest, TwoRetriesWithBackoffThenGiveUp) {
  World world({{"a", 1}});
  AttemptPlan plan = world.plan("a");
  const Walk walk = fail_every_attempt(plan, failure(500));
  ASSERT_EQ(walk.attempts.size(), 3u);
  EXPECT_TRUE(gives_up(walk.end));
  EXPECT_EQ(walk.attempts[0].wait, 0ms);
  EXPECT_EQ(walk.attempts[1].wait, 500ms);
  EXPECT_EQ(walk.attempts[2].wait, 1000ms);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(walk.attempts[i].number, i + 1);
    EXPECT_EQ(walk.attempts[i].retry, i);
    EXPECT_EQ(walk.attempts[i].deployment, 0u);
  }
  EXPECT_EQ(plan.attempted_retries(), 2);
  EXPECT_EQ(plan.max_retries(), 2);
  EXPECT_EQ(plan.attempts(), 3);
}

// Verifies that a retry obeys the upstream's Retry-After and router_settings.retry_after.
TEST(AttemptPlanTest, RetryWaitsForRetryAfterAndMinimum) {
  config::RouterSettings settings;
  settings.retry_after = 2s;
  World world({{"a", 1}}, settings);
  AttemptPlan plan = world.plan("a");
  attempt_of(plan.first(kNow, 0));
  EXPECT_EQ(attempt_of(plan.after_failure(failure(500, "", 7s), kNow, 0)).wait, 7s);
  EXPECT_EQ(attempt_of(plan.after_failure(failure(500), kNow, 0)).wait, 2s);
}

// Verifies that in a group of several, a retry goes at once to a deployment not tried yet.
TEST(AttemptPlanTest, RetriesAtOnceOnAnotherDeployment) {
  World world({{"a", 3}});
  const Walk walk = world.walk({.group = "a"}, failure(500), /*random=*/1);
  ASSERT_EQ(walk.attempts.size(), 3u);
  EXPECT_TRUE(gives_up(walk.end));
  // random 1 picks the second candidate: 1 of {0, 1, 2}, then 2 of {0, 2}, then 0.
  EXPECT_EQ(walk.attempts[0].deployment, 1u);
  EXPECT_EQ(walk.attempts[1].deployment, 2u);
  EXPECT_EQ(walk.attempts[2].deployment, 0u);
  EXPECT_EQ(walk.attempts[1].wait, 0ms);
  EXPECT_EQ(walk.attempts[2].wait, 0ms);
}

// Verifies that once every healthy deployment was tried, the failed one may be picked again.
TEST(AttemptPlanTest, FailedDeploymentPickedAgainOnlyWhenAllTried) {
  config::RouterSettings settings;
  settings.num_retries = 3;
  World world({{"a", 2}}, settings);
  const Walk walk = world.walk({.group = "a"}, failure(500), /*random=*/0);
  ASSERT_EQ(walk.attempts.size(), 4u);
  EXPECT_EQ(walk.attempts[0].deployment, 0u);
  EXPECT_EQ(walk.attempts[1].deployment, 1u);  // the untried one
  EXPECT_EQ(walk.attempts[2].deployment, 0u);  // both tried: any healthy one
}

// Verifies that a 404 is never retried, even with another deployment.
TEST(AttemptPlanTest, NotFoundIsNotRetried) {
  World world({{"a", 2}});
  const Walk walk = world.walk({.group = "a"}, failure(404));
  EXPECT_EQ(walk.attempts.size(), 1u);
  EXPECT_TRUE(gives_up(walk.end));
}

// Verifies that a local refusal is neither retried nor counted against the deployment.
TEST(AttemptPlanTest, LocalFailureIsNotRetriedNorCounted) {
  World world({{"a", 2}});
  const Walk walk = world.walk({.group = "a"}, {FailureKind::local, 400, {}});
  EXPECT_EQ(walk.attempts.size(), 1u);
  EXPECT_TRUE(gives_up(walk.end));
  // Five 500s of deployment 0 over five requests cool it only if no local failure was counted
  // as a request.
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(world.health->on_failure(0, failure(500), kNow));
  EXPECT_TRUE(world.health->on_failure(0, failure(500), kNow));
}

// Verifies that an authentication error is not retried in a group of one (and cools it) but is
// retried on another deployment in a group of several.
TEST(AttemptPlanTest, AuthenticationRetriedOnlyInAGroupOfSeveral) {
  World single({{"a", 1}});
  const Walk walk = single.walk({.group = "a"}, failure(401));
  EXPECT_EQ(walk.attempts.size(), 1u);
  EXPECT_TRUE(gives_up(walk.end));
  EXPECT_TRUE(single.health->cooling(0, kNow));

  World several({{"a", 2}});
  AttemptPlan two = several.plan("a");
  const Attempt first = attempt_of(two.first(kNow, 0));
  const Attempt retry = attempt_of(two.after_failure(failure(401), kNow, 0));
  EXPECT_NE(retry.deployment, first.deployment);
  EXPECT_EQ(retry.retry, 1);
  EXPECT_EQ(retry.wait, 0ms);
  // The second 401 cools the other deployment too: nothing healthy is left.
  EXPECT_TRUE(gives_up(two.after_failure(failure(401), kNow, 0)));
}

// Verifies that a 429 that leaves no healthy deployment goes to the fallbacks without retrying.
TEST(AttemptPlanTest, RateLimitWithNoHealthyDeploymentFallsBack) {
  World world({{"a", 2}, {"b", 1}}, with_fallbacks({{"a", {"b"}}}));
  const Walk walk = world.walk({.group = "a"}, failure(429));
  // Each 429 cools its deployment of "a" (a group of two); "b" alone is never cooled by a 429.
  EXPECT_EQ(walk.groups(), (Groups{"a", "a", "b", "b", "b"}));
  EXPECT_EQ(walk.attempts[1].wait, 0ms);
  EXPECT_EQ(walk.attempts[2].fallback_depth, 1);
  EXPECT_TRUE(gives_up(walk.end));
}

// Verifies that a context-window error goes straight to context_window_fallbacks, unretried.
TEST(AttemptPlanTest, ContextWindowGoesToItsFallbacksWithoutRetries) {
  config::RouterSettings settings = with_fallbacks({{"a", {"generic"}}});
  settings.context_window_fallbacks = std::vector<config::FallbackRule>{{"a", {"big"}}};
  World world({{"a", 1}, {"big", 1}, {"generic", 1}}, settings);
  AttemptPlan plan = world.plan("a");
  attempt_of(plan.first(kNow, 0));
  const Attempt big =
      attempt_of(plan.after_failure(failure(400, "ContextWindowExceededError"), kNow, 0));
  EXPECT_EQ(big.group, "big");
  EXPECT_EQ(big.fallback_depth, 1);
  EXPECT_EQ(big.number, 2);
  EXPECT_EQ(big.retry, 0);
  plan.after_success(kNow);
  EXPECT_EQ(plan.fallback_depth(), 1);
}

// Verifies that with context_window_fallbacks set but no rule for the group, the error is the
// answer: no retry and no generic fallback.
TEST(AttemptPlanTest, ContextWindowWithoutRuleGivesUp) {
  config::RouterSettings settings = with_fallbacks({{"a", {"generic"}}});
  settings.context_window_fallbacks = std::vector<config::FallbackRule>{{"other", {"big"}}};
  World world({{"a", 1}, {"big", 1}, {"generic", 1}}, settings);
  const Walk walk = world.walk({.group = "a"}, failure(400, "ContextWindowExceededError"));
  EXPECT_EQ(walk.groups(), (Groups{"a"}));
  EXPECT_TRUE(gives_up(walk.end));
}

// Verifies that without context_window_fallbacks a context-window error is retried and then
// takes the generic fallbacks like any other.
TEST(AttemptPlanTest, ContextWindowWithoutTheSettingIsAnyError) {
  config::RouterSettings settings = with_fallbacks({{"a", {"generic"}}});
  settings.num_retries = 1;
  World world({{"a", 1}, {"generic", 1}}, settings);
  const Walk walk = world.walk({.group = "a"}, failure(400, "ContextWindowExceededError"));
  EXPECT_EQ(walk.groups(), (Groups{"a", "a", "generic", "generic"}));
}

// Verifies that content_policy_fallbacks work like context_window_fallbacks.
TEST(AttemptPlanTest, ContentPolicyGoesToItsFallbacks) {
  config::RouterSettings settings = with_fallbacks({{"a", {"generic"}}});
  settings.content_policy_fallbacks = std::vector<config::FallbackRule>{{"a", {"lenient"}}};
  World world({{"a", 1}, {"lenient", 1}, {"generic", 1}}, settings);
  const Walk walk = world.walk({.group = "a"}, failure(400, "ContentPolicyViolationError"));
  EXPECT_EQ(walk.groups(), (Groups{"a", "lenient"}));
  EXPECT_TRUE(gives_up(walk.end));
}

// Verifies the generic match order: the group's own rule, then its name without the provider
// prefix, then "*" (default_fallbacks).
TEST(AttemptPlanTest, GenericFallbackMatchOrder) {
  config::RouterSettings settings = with_fallbacks(
      {{"exact", {"x"}}, {"gpt-4o", {"stripped"}}, {"openai/exact", {"y"}}, {"*", {"star"}}});
  settings.num_retries = 0;
  settings.max_fallbacks = 1;
  World world({{"exact", 1},
               {"openai/gpt-4o", 1},
               {"openai/exact", 1},
               {"plain", 1},
               {"x", 1},
               {"y", 1},
               {"stripped", 1},
               {"star", 1}},
              settings);
  const std::pair<std::string_view, std::string> cases[] = {
      {"exact", "x"}, {"openai/gpt-4o", "stripped"}, {"openai/exact", "y"}, {"plain", "star"}};
  for (const auto& [group, target] : cases) {
    EXPECT_EQ(world.walk({.group = group}, failure(500)).groups(),
              (Groups{std::string(group), target}))
        << group;
  }
}

// Verifies that every fallback group gets its own retries (3 attempts each by default).
TEST(AttemptPlanTest, EachFallbackHopHasItsOwnRetries) {
  World world({{"a", 1}, {"b", 1}}, with_fallbacks({{"a", {"b"}}}));
  const Walk walk = world.walk({.group = "a"}, failure(500));
  EXPECT_EQ(walk.groups(), (Groups{"a", "a", "a", "b", "b", "b"}));
  EXPECT_TRUE(gives_up(walk.end));
  for (int i = 3; i < 6; ++i) {
    EXPECT_EQ(walk.attempts[i].number, i + 1);
    EXPECT_EQ(walk.attempts[i].retry, i - 3);
    EXPECT_EQ(walk.attempts[i].fallback_depth, 1);
  }
  EXPECT_EQ(walk.attempts[3].wait, 0ms);  // a new hop starts at once
  EXPECT_EQ(walk.attempts[4].wait, 500ms);
}

// Verifies that a fallback's own fallbacks are walked before its parent's list goes on.
TEST(AttemptPlanTest, NestedFallbacksThenTheParentList) {
  config::RouterSettings settings = with_fallbacks({{"a", {"b", "c"}}, {"b", {"d"}}});
  settings.num_retries = 0;
  World world({{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}, settings);
  const Walk walk = world.walk({.group = "a"}, failure(500));
  EXPECT_EQ(walk.groups(), (Groups{"a", "b", "d", "c"}));
  ASSERT_EQ(walk.attempts.size(), 4u);
  EXPECT_EQ(walk.attempts[1].fallback_depth, 1);
  EXPECT_EQ(walk.attempts[2].fallback_depth, 2);
  EXPECT_EQ(walk.attempts[3].fallback_depth, 1);
  EXPECT_TRUE(gives_up(walk.end));
}

// Verifies that a group listed among its own fallbacks and groups that do not exist are skipped.
TEST(AttemptPlanTest, SkipsItselfAndUnknownGroups) {
  config::RouterSettings settings = with_fallbacks({{"a", {"a", "nope", "b"}}});
  settings.num_retries = 0;
  World world({{"a", 1}, {"b", 1}}, settings);
  EXPECT_EQ(world.walk({.group = "a"}, failure(500)).groups(), (Groups{"a", "b"}));
}

// Verifies that hops deeper than max_fallbacks are not taken.
TEST(AttemptPlanTest, MaxFallbacksBoundsTheDepth) {
  config::RouterSettings settings = with_fallbacks({{"a", {"b"}}, {"b", {"c"}}});
  settings.num_retries = 0;
  settings.max_fallbacks = 1;
  World world({{"a", 1}, {"b", 1}, {"c", 1}}, settings);
  EXPECT_EQ(world.walk({.group = "a"}, failure(500)).groups(), (Groups{"a", "b"}));

  settings.max_fallbacks = 0;
  World none({{"a", 1}, {"b", 1}}, settings);
  AttemptPlan no_fallback = none.plan("a");
  EXPECT_EQ(fail_every_attempt(no_fallback, failure(500)).groups(), (Groups{"a"}));
}

// Verifies that a cycle a → b → a ends at max_fallbacks (5): six hops, then GiveUp.
TEST(AttemptPlanTest, FallbackCycleTerminates) {
  config::RouterSettings settings = with_fallbacks({{"a", {"b"}}, {"b", {"a"}}});
  settings.num_retries = 0;
  World world({{"a", 1}, {"b", 1}}, settings);
  const Walk walk = world.walk({.group = "a"}, failure(500));
  EXPECT_EQ(walk.groups(), (Groups{"a", "b", "a", "b", "a", "b"}));
  ASSERT_EQ(walk.attempts.size(), 6u);
  EXPECT_EQ(walk.attempts[5].fallback_depth, 5);
  EXPECT_TRUE(gives_up(walk.end));
}

// Verifies that the request's own fallbacks replace the router's for the requested group, and
// that the hops they start use the router's rules.
TEST(AttemptPlanTest, RequestFallbacksFirst) {
  config::RouterSettings settings = with_fallbacks({{"a", {"b"}}, {"c", {"d"}}});
  settings.num_retries = 0;
  World world({{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}, settings);
  EXPECT_EQ(world.walk({.group = "a", .fallbacks = {"c"}}, failure(500)).groups(),
            (Groups{"a", "c", "d"}));
}

// Verifies that disable_fallbacks leaves only the retries.
TEST(AttemptPlanTest, DisableFallbacks) {
  World world({{"a", 1}, {"b", 1}}, with_fallbacks({{"a", {"b"}}}));
  const Walk walk =
      world.walk({.group = "a", .fallbacks = {"b"}, .disable_fallbacks = true}, failure(500));
  EXPECT_EQ(walk.groups(), (Groups{"a", "a", "a"}));
  EXPECT_TRUE(gives_up(walk.end));
}

// Verifies that a deployment's own num_retries decides after its failures, up or down.
TEST(AttemptPlanTest, DeploymentNumRetriesOverride) {
  World fewer({{"a", 1}});
  fewer.topology.num_retries[0] = 0;
  AttemptPlan once = fewer.plan("a");
  EXPECT_EQ(fail_every_attempt(once, failure(500)).attempts.size(), 1u);
  EXPECT_EQ(once.max_retries(), 0);

  World more({{"a", 1}});
  more.topology.num_retries[0] = 4;
  AttemptPlan five = more.plan("a");
  EXPECT_EQ(fail_every_attempt(five, failure(500)).attempts.size(), 5u);
  EXPECT_EQ(five.max_retries(), 4);
  EXPECT_EQ(five.attempted_retries(), 4);
}

// Verifies that a request's num_retries of 0 (or below) means one attempt per group.
TEST(AttemptPlanTest, RequestNumRetriesZero) {
  World world({{"a", 1}, {"b", 1}}, with_fallbacks({{"a", {"b"}}}));
  AttemptPlan plan = world.plan({.group = "a", .num_retries = 0});
  EXPECT_EQ(plan.max_retries(), 0);
  EXPECT_EQ(fail_every_attempt(plan, failure(500)).groups(), (Groups{"a", "b"}));

  AttemptPlan negative = world.plan({.group = "a", .num_retries = -3});
  EXPECT_EQ(negative.max_retries(), 0);
  EXPECT_EQ(fail_every_attempt(negative, failure(500)).attempts.size(), 2u);
}

// Verifies that with every deployment cooling, first() reports the shortest cooldown left.
TEST(AttemptPlanTest, AllCoolingIsNoDeployments) {
  World world({{"a", 2}});
  world.health->on_failure(0, failure(429, "", 10s), kNow - 1s);
  world.health->on_failure(1, failure(429, "", 3s), kNow - 1s);
  AttemptPlan plan = world.plan("a");
  const Step step = plan.first(kNow, 0);
  const auto* none = std::get_if<AttemptPlan::NoDeployments>(&step);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->group, "a");
  EXPECT_EQ(none->retry_in, 2s);
  EXPECT_EQ(plan.attempts(), 0);
  // Nothing is in flight: a stray report changes nothing.
  EXPECT_TRUE(std::holds_alternative<AttemptPlan::NoDeployments>(
      plan.after_failure(failure(500), kNow, 0)));
}

// Verifies that a cooling requested group moves on to its fallbacks: attempt 1 at depth 1.
TEST(AttemptPlanTest, AllCoolingFallsBackToAHealthyGroup) {
  World world({{"a", 1}, {"b", 1}}, with_fallbacks({{"a", {"b"}}}));
  world.health->on_failure(0, failure(401), kNow);
  AttemptPlan plan = world.plan("a");
  const Attempt attempt = attempt_of(plan.first(kNow, 0));
  EXPECT_EQ(attempt.group, "b");
  EXPECT_EQ(attempt.fallback_depth, 1);
  EXPECT_EQ(attempt.number, 1);
  // b fails for good: the answer is b's failure, not a's cooldown.
  const Walk rest = [&] {
    Walk walk;
    Step step = plan.after_failure(failure(500), kNow, 0);
    while (const auto* next = std::get_if<Attempt>(&step)) {
      walk.attempts.push_back(*next);
      step = plan.after_failure(failure(500), kNow, 0);
    }
    walk.end = step;
    return walk;
  }();
  EXPECT_EQ(rest.attempts.size(), 2u);
  EXPECT_TRUE(gives_up(rest.end));
}

// Verifies that when the last fallback tried has every deployment cooling, that is the answer.
TEST(AttemptPlanTest, CoolingFallbackIsNoDeployments) {
  World world({{"a", 1}, {"b", 1}}, with_fallbacks({{"a", {"b"}}}));
  world.health->on_failure(world.deployment("b", 0), failure(401), kNow - 1s);
  const Walk walk = world.walk({.group = "a"}, failure(500));
  EXPECT_EQ(walk.groups(), (Groups{"a", "a", "a"}));
  const auto* none = std::get_if<AttemptPlan::NoDeployments>(&walk.end);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->group, "b");
  EXPECT_EQ(none->retry_in, 4s);
}

// Verifies the header values after an answer from a fallback's retry.
TEST(AttemptPlanTest, HeaderValuesAfterSuccessInAFallback) {
  World world({{"a", 1}, {"b", 1}}, with_fallbacks({{"a", {"b"}}}));
  AttemptPlan plan = world.plan("a");
  Step step = plan.first(kNow, 0);
  for (int i = 0; i < 4; ++i) step = plan.after_failure(failure(503), kNow, 0);
  const Attempt last = attempt_of(step);
  EXPECT_EQ(last.group, "b");
  EXPECT_EQ(last.retry, 1);
  plan.after_success(kNow);
  EXPECT_EQ(plan.attempted_retries(), 1);
  EXPECT_EQ(plan.max_retries(), 2);
  EXPECT_EQ(plan.fallback_depth(), 1);
  EXPECT_EQ(plan.attempts(), 5);
}

}  // namespace
}  // namespace llmtap::router

namespace llmtap::router {
namespace {

// The random value whose unit fraction (the top 53 bits) is `fraction`.
std::uint64_t random_at(double fraction) {
  return static_cast<std::uint64_t>(fraction * 0x1.0p53) << 11;
}

std::size_t first_pick(World& world, std::uint64_t random) {
  AttemptPlan plan = world.plan("g");
  const Step step = plan.first(kNow, random);
  const auto* attempt = std::get_if<Attempt>(&step);
  return attempt != nullptr ? attempt->deployment : 99;
}

// Verifies simple shuffle's weights: `weight` shares the group 9:1 by the random point, rpm
// weighs when the first deployment has no weight, a deployment without the chosen key weighs 0,
// and a group without weights is uniform.
TEST(AttemptPlanTest, SimpleShuffleWeighsByWeightThenRpm) {
  World world({{"g", 2}});
  world.topology.weights = {{9.0, std::nullopt, std::nullopt}, {1.0, std::nullopt, std::nullopt}};
  EXPECT_EQ(first_pick(world, random_at(0.0)), 0u);
  EXPECT_EQ(first_pick(world, random_at(0.89)), 0u);
  EXPECT_EQ(first_pick(world, random_at(0.91)), 1u);
  EXPECT_EQ(first_pick(world, random_at(0.999)), 1u);

  world.topology.weights = {{std::nullopt, 10.0, std::nullopt}, {std::nullopt, std::nullopt, 5.0}};
  for (double at : {0.0, 0.5, 0.99}) {
    EXPECT_EQ(first_pick(world, random_at(at)), 0u) << "the second has no rpm: it weighs 0";
  }

  world.topology.weights = {{std::nullopt, std::nullopt, std::nullopt},
                            {std::nullopt, std::nullopt, std::nullopt}};
  EXPECT_EQ(first_pick(world, 0), 0u);
  EXPECT_EQ(first_pick(world, 1), 1u) << "no weights: random % size";
}

}  // namespace
}  // namespace llmtap::router
