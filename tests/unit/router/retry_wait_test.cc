#include "router/retry_wait.h"

#include <gtest/gtest.h>

namespace llmtap::router {
namespace {

using namespace std::chrono_literals;

// Verifies that another healthy deployment means an immediate retry, whatever else is asked.
TEST(RetryWaitTest, NoWaitWithAnotherHealthyDeployment) {
  EXPECT_EQ(retry_wait({.other_healthy_deployment = true,
                        .retry = 3,
                        .retry_after = 10s,
                        .min_wait = 2s,
                        .unit_random = 0.5}),
            0ms);
}

// Verifies that a Retry-After in (0, 60 s] is obeyed as it is, even below min_wait.
TEST(RetryWaitTest, HonoursRetryAfterUpToSixtySeconds) {
  EXPECT_EQ(retry_wait({.retry = 1, .retry_after = 3s}), 3s);
  EXPECT_EQ(retry_wait({.retry = 1, .retry_after = 60s}), 60s);
  EXPECT_EQ(retry_wait({.retry = 1, .retry_after = 200ms, .min_wait = 1s}), 200ms);
}

// Verifies that a Retry-After above 60 s or not above 0 is ignored for the backoff.
TEST(RetryWaitTest, IgnoresRetryAfterOutOfRange) {
  EXPECT_EQ(retry_wait({.retry = 1, .retry_after = 61s}), 500ms);
  EXPECT_EQ(retry_wait({.retry = 2, .retry_after = 0ms}), 1000ms);
  EXPECT_EQ(retry_wait({.retry = 2, .retry_after = -5s}), 1000ms);
}

// Verifies the backoff doubles from 0.5 s and stops at 8 s.
TEST(RetryWaitTest, ExponentialWithEightSecondCap) {
  EXPECT_EQ(retry_wait({.retry = 1}), 500ms);
  EXPECT_EQ(retry_wait({.retry = 2}), 1000ms);
  EXPECT_EQ(retry_wait({.retry = 3}), 2000ms);
  EXPECT_EQ(retry_wait({.retry = 4}), 4000ms);
  EXPECT_EQ(retry_wait({.retry = 5}), 8000ms);
  EXPECT_EQ(retry_wait({.retry = 6}), 8000ms);
  EXPECT_EQ(retry_wait({.retry = 1000}), 8000ms);
  EXPECT_EQ(retry_wait({.retry = 0}), 500ms);
}

// Verifies the jitter takes off at most a quarter, rounded to the nearest millisecond.
TEST(RetryWaitTest, JitterBounds) {
  EXPECT_EQ(retry_wait({.retry = 1, .unit_random = 0}), 500ms);
  // 500 × (1 − 0.25 × 0.999) = 375.125
  EXPECT_EQ(retry_wait({.retry = 1, .unit_random = 0.999}), 375ms);
  // 8000 × (1 − 0.24975) = 6002
  EXPECT_EQ(retry_wait({.retry = 9, .unit_random = 0.999}), 6002ms);
  // 1000 × (1 − 0.25 × 0.5) = 875
  EXPECT_EQ(retry_wait({.retry = 2, .unit_random = 0.5}), 875ms);
}

// Verifies router_settings.retry_after raises a shorter backoff and leaves a longer one alone.
TEST(RetryWaitTest, MinWaitIsAFloor) {
  EXPECT_EQ(retry_wait({.retry = 1, .min_wait = 1s}), 1s);
  EXPECT_EQ(retry_wait({.retry = 1, .retry_after = 90s, .min_wait = 5s}), 5s);
  EXPECT_EQ(retry_wait({.retry = 5, .min_wait = 1s}), 8s);
}

}  // namespace
}  // namespace llmtap::router
