#include "router/health.h"

#include <gtest/gtest.h>

#include <vector>

namespace llmtap::router {
namespace {

using namespace std::chrono_literals;
using TimePoint = Health::TimePoint;

TimePoint at(std::chrono::milliseconds since) { return TimePoint{} + since; }

AttemptFailure failure_with(int status, std::optional<std::chrono::milliseconds> retry_after = {}) {
  return AttemptFailure{classify_failure(status, ""), status, retry_after};
}

// One deployment in a group of `group_size`, with the router's defaults unless `settings` says.
Health one_deployment(std::size_t group_size, const config::RouterSettings& settings = {},
                      std::optional<std::chrono::milliseconds> cooldown_time = {}) {
  return Health(settings, {Health::DeploymentFacts{group_size, cooldown_time}});
}

// Router settings with the count rule: allowed_fails failures allowed per cooldown_time.
config::RouterSettings count_rule(int allowed_fails, std::chrono::milliseconds cooldown_time = 5s) {
  config::RouterSettings settings;
  settings.allowed_fails = allowed_fails;
  settings.cooldown_time = cooldown_time;
  return settings;
}

// Verifies that a 429 cools a deployment in a group of several, for the router's 5 s.
TEST(HealthTest, RateLimitCoolsInAGroupOfSeveral) {
  Health health = one_deployment(2);
  EXPECT_TRUE(health.on_failure(0, failure_with(429), at(1s)));
  EXPECT_TRUE(health.cooling(0, at(1s)));
  EXPECT_EQ(health.cooldown_left(0, at(2s)), 4s);
  EXPECT_TRUE(health.cooling(0, at(5999ms)));
  EXPECT_FALSE(health.cooling(0, at(6s)));
  EXPECT_EQ(health.cooldown_left(0, at(6s)), 0ms);
  EXPECT_EQ(health.cooldowns_entered(0), 1u);
}

// Verifies that a 429 does not cool a group's only deployment.
TEST(HealthTest, RateLimitDoesNotCoolTheOnlyDeployment) {
  Health health = one_deployment(1);
  EXPECT_FALSE(health.on_failure(0, failure_with(429), at(1s)));
  EXPECT_FALSE(health.cooling(0, at(1s)));
  EXPECT_EQ(health.cooldowns_entered(0), 0u);
}

// Verifies that a status not worth retrying (401, 404) cools even a group's only deployment.
TEST(HealthTest, NonRetryableStatusCoolsTheOnlyDeployment) {
  Health health(config::RouterSettings{}, {{1, {}}, {1, {}}});
  EXPECT_TRUE(health.on_failure(0, failure_with(401), at(1s)));
  EXPECT_TRUE(health.cooling(0, at(1s)));
  EXPECT_TRUE(health.on_failure(1, failure_with(404), at(1s)));
  EXPECT_TRUE(health.cooling(1, at(1s)));
}

// Verifies that 5xx failures of a group's only deployment do not cool it (under 1000 requests).
TEST(HealthTest, ServerErrorDoesNotCoolTheOnlyDeployment) {
  Health health = one_deployment(1);
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(health.on_failure(0, failure_with(500), at(1s))) << i;
  }
  EXPECT_FALSE(health.cooling(0, at(1s)));
}

// Verifies the failure-rate rule: in a group of several, more than half failed over at least
// 5 requests this minute cools; fewer requests or half exactly do not.
TEST(HealthTest, FailureRateOverFiveRequestsInAGroupOfSeveral) {
  Health health = one_deployment(3);
  health.on_success(0, at(1s));
  health.on_success(0, at(1s));
  EXPECT_FALSE(health.on_failure(0, failure_with(500), at(1s)));  // 1/3
  EXPECT_FALSE(health.on_failure(0, failure_with(500), at(1s)));  // 2/4: under 5 requests
  EXPECT_TRUE(health.on_failure(0, failure_with(500), at(1s)));   // 3/5 > 0.5
  EXPECT_TRUE(health.cooling(0, at(1s)));

  Health half = one_deployment(3);
  for (int i = 0; i < 3; ++i) half.on_success(0, at(1s));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(half.on_failure(0, failure_with(503), at(1s))) << i;
  EXPECT_FALSE(half.cooling(0, at(1s)));  // 3/6 is not more than half
}

// Verifies that a group's only deployment is not cooled by the failure rate.
TEST(HealthTest, FailureRateIgnoredForTheOnlyDeployment) {
  Health health = one_deployment(1);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(health.on_failure(0, failure_with(500), at(1s)));
}

// Verifies that the counts start afresh in a new minute.
TEST(HealthTest, MinuteRolloverResetsCounts) {
  Health health = one_deployment(2);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(health.on_failure(0, failure_with(500), at(59s)));
  // Minute 1: one failure over one request, under the 5-request minimum.
  EXPECT_FALSE(health.on_failure(0, failure_with(500), at(60s)));
  EXPECT_FALSE(health.cooling(0, at(60s)));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(health.on_failure(0, failure_with(500), at(61s)));
  EXPECT_TRUE(health.on_failure(0, failure_with(500), at(62s)));  // 5/5 in minute 1
}

// Verifies that 100% failures over 1000 requests this minute cool even the only deployment.
TEST(HealthTest, ThousandFailuresCoolTheOnlyDeployment) {
  Health health = one_deployment(1);
  for (int i = 0; i < 999; ++i) {
    ASSERT_FALSE(health.on_failure(0, failure_with(500), at(1s))) << i;
  }
  EXPECT_TRUE(health.on_failure(0, failure_with(500), at(1s)));

  Health one_success = one_deployment(1);
  one_success.on_success(0, at(1s));
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(one_success.on_failure(0, failure_with(500), at(1s))) << i;
  }
}

// Verifies the count rule: with allowed_fails set, more than that many failures within one
// cooldown time cool, whatever the group size.
TEST(HealthTest, AllowedFailsCountsWithinTheWindow) {
  Health health = one_deployment(1, count_rule(2, 10s));
  EXPECT_FALSE(health.on_failure(0, failure_with(500), at(0s)));
  EXPECT_FALSE(health.on_failure(0, failure_with(429), at(3s)));
  EXPECT_TRUE(health.on_failure(0, failure_with(500), at(9s)));
  EXPECT_TRUE(health.cooling(0, at(9s)));
  EXPECT_EQ(health.cooldown_left(0, at(9s)), 10s);
}

// Verifies that a failure after the window (one cooldown time from the first failure) starts a
// new count.
TEST(HealthTest, AllowedFailsWindowExpires) {
  Health health = one_deployment(3, count_rule(1, 10s));
  EXPECT_FALSE(health.on_failure(0, failure_with(500), at(0s)));
  EXPECT_FALSE(health.on_failure(0, failure_with(500), at(10s)));  // a new window
  EXPECT_TRUE(health.on_failure(0, failure_with(500), at(15s)));
}

// Verifies that with allowed_fails set, the failure-rate rule no longer applies (a 401 of the
// only deployment is one failure, within the allowance).
TEST(HealthTest, AllowedFailsReplacesTheFailureRateRule) {
  Health health = one_deployment(2, count_rule(1));
  EXPECT_FALSE(health.on_failure(0, failure_with(401), at(0s)));
  EXPECT_FALSE(health.cooling(0, at(0s)));
  EXPECT_TRUE(health.on_failure(0, failure_with(401), at(1s)));
}

// Verifies that failures that may not cool a deployment are not counted toward allowed_fails.
TEST(HealthTest, AllowedFailsIgnoresFailuresThatNeverCool) {
  Health health = one_deployment(1, count_rule(1));
  EXPECT_FALSE(health.on_failure(0, failure_with(400), at(0s)));
  EXPECT_FALSE(health.on_failure(0, {FailureKind::connection, 502, {}}, at(0s)));
  EXPECT_FALSE(health.on_failure(0, failure_with(500), at(0s)));  // the first that counts
  EXPECT_TRUE(health.on_failure(0, failure_with(500), at(0s)));
}

// Verifies that the deployment's own cooldown_time wins over Retry-After and the router's.
TEST(HealthTest, DeploymentCooldownTimeWins) {
  Health health = one_deployment(2, {}, 30s);
  EXPECT_TRUE(health.on_failure(0, failure_with(429, 2s), at(0s)));
  EXPECT_EQ(health.cooldown_left(0, at(0s)), 30s);
}

// Verifies that a deployment cooldown_time of 0 never cools it.
TEST(HealthTest, DeploymentCooldownTimeZeroDisables) {
  Health health = one_deployment(2, {}, 0ms);
  EXPECT_FALSE(health.on_failure(0, failure_with(429), at(0s)));
  EXPECT_FALSE(health.on_failure(0, failure_with(401), at(0s)));
  EXPECT_FALSE(health.cooling(0, at(0s)));
}

// Verifies that the upstream's Retry-After is the cooldown when the deployment has none.
TEST(HealthTest, RetryAfterIsTheCooldown) {
  Health health = one_deployment(2);
  EXPECT_TRUE(health.on_failure(0, failure_with(429, 12s), at(0s)));
  EXPECT_EQ(health.cooldown_left(0, at(0s)), 12s);
  Health zero = one_deployment(2);
  EXPECT_TRUE(zero.on_failure(0, failure_with(429, 0s), at(0s)));
  EXPECT_EQ(zero.cooldown_left(0, at(0s)), 5s);  // 0 is no Retry-After: the router's
}

// Verifies the router's cooldown_time, and that a router-level 0 means the 5 s default.
TEST(HealthTest, RouterCooldownTime) {
  config::RouterSettings settings;
  settings.cooldown_time = 20s;
  Health health = one_deployment(2, settings);
  EXPECT_TRUE(health.on_failure(0, failure_with(429), at(0s)));
  EXPECT_EQ(health.cooldown_left(0, at(0s)), 20s);

  settings.cooldown_time = 0ms;
  Health zero = one_deployment(2, settings);
  EXPECT_TRUE(zero.on_failure(0, failure_with(429), at(0s)));
  EXPECT_EQ(zero.cooldown_left(0, at(0s)), 5s);
}

// Verifies that a failure of a cooling deployment does not push its deadline out.
TEST(HealthTest, NoExtensionWhileCooling) {
  Health health = one_deployment(2);
  EXPECT_TRUE(health.on_failure(0, failure_with(429), at(0s)));
  EXPECT_FALSE(health.on_failure(0, failure_with(429, 50s), at(3s)));
  EXPECT_EQ(health.cooldown_left(0, at(3s)), 2s);
  EXPECT_FALSE(health.cooling(0, at(5s)));
  EXPECT_EQ(health.cooldowns_entered(0), 1u);
  // Once it is over, the next failure starts a new cooldown.
  EXPECT_TRUE(health.on_failure(0, failure_with(429), at(5s)));
  EXPECT_EQ(health.cooldowns_entered(0), 2u);
}

// Verifies that disable_cooldowns means no cooldown at all.
TEST(HealthTest, DisableCooldowns) {
  config::RouterSettings settings;
  settings.disable_cooldowns = true;
  Health health = one_deployment(2, settings);
  EXPECT_FALSE(health.on_failure(0, failure_with(429), at(0s)));
  EXPECT_FALSE(health.on_failure(0, failure_with(401), at(0s)));
  EXPECT_FALSE(health.cooling(0, at(0s)));
}

// Verifies that 400s and connection errors never cool, even in a failing group of several.
TEST(HealthTest, NeverCoolsOnBadRequestOrConnection) {
  Health health = one_deployment(2);
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(health.on_failure(0, failure_with(400), at(0s)));
    EXPECT_FALSE(health.on_failure(0, {FailureKind::connection, 502, {}}, at(0s)));
  }
  EXPECT_FALSE(health.cooling(0, at(0s)));
}

// Verifies that local refusals are not counted: they do not dilute or add to the failure rate.
TEST(HealthTest, LocalFailuresAreNotCounted) {
  Health health = one_deployment(2);
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(health.on_failure(0, {FailureKind::local, 500, {}}, at(0s)));
  }
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(health.on_failure(0, failure_with(500), at(0s)));
  // Had the local ones counted, this would be the 15th request, not the 5th.
  EXPECT_TRUE(health.on_failure(0, failure_with(500), at(0s)));
}

// Verifies that deployments are independent and an unknown index is harmless.
TEST(HealthTest, DeploymentsAreIndependent) {
  Health health(config::RouterSettings{}, {{2, {}}, {2, {}}});
  EXPECT_TRUE(health.on_failure(0, failure_with(429), at(0s)));
  EXPECT_FALSE(health.cooling(1, at(0s)));
  EXPECT_EQ(health.size(), 2u);
  EXPECT_FALSE(health.on_failure(7, failure_with(429), at(0s)));
  EXPECT_FALSE(health.cooling(7, at(0s)));
  EXPECT_EQ(health.cooldown_left(7, at(0s)), 0ms);
}

}  // namespace
}  // namespace llmtap::router
