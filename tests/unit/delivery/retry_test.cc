#include "delivery/retry.h"

#include <gtest/gtest.h>

#include <vector>

namespace llmtap::delivery {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

http::ClientResult status(int code, http::Headers headers = {}) {
  http::ClientResult r;
  r.response.status = code;
  r.response.headers = std::move(headers);
  return r;
}

http::ClientResult error(http::ClientError e) {
  http::ClientResult r;
  r.error = e;
  r.error_message = "detail";
  return r;
}

// 2015-10-21 07:28:00 UTC, the moment "Wed, 21 Oct 2015 07:28:00 GMT" names.
const auto kDate = std::chrono::sys_days(std::chrono::year(2015) / 10 / 21) +
                   std::chrono::hours(7) + std::chrono::minutes(28);

// Verifies the classification table of README `callback_settings.<name>`: 2xx deliver; 408/429/5xx
// and transport errors retry; the rest reject.
TEST(RetryTest, ClassifiesStatusesAndErrors) {
  struct Case {
    int status;
    Disposition expected;
  };
  const std::vector<Case> cases = {
      {200, Disposition::deliver}, {202, Disposition::deliver}, {204, Disposition::deliver},
      {299, Disposition::deliver}, {301, Disposition::reject},  {302, Disposition::reject},
      {307, Disposition::reject},  {400, Disposition::reject},  {401, Disposition::reject},
      {404, Disposition::reject},  {408, Disposition::retry},   {413, Disposition::reject},
      {429, Disposition::retry},   {500, Disposition::retry},   {502, Disposition::retry},
      {503, Disposition::retry},   {599, Disposition::retry},   {100, Disposition::reject}};
  for (const auto& c : cases) EXPECT_EQ(classify(status(c.status)), c.expected) << c.status;
  for (auto e : {http::ClientError::timeout, http::ClientError::connect, http::ClientError::io,
                 http::ClientError::resolve, http::ClientError::tls, http::ClientError::protocol}) {
    EXPECT_EQ(classify(error(e)), Disposition::retry) << static_cast<int>(e);
  }
  EXPECT_EQ(classify(error(http::ClientError::bad_url)), Disposition::reject);
}

// Verifies Retry-After as delay-seconds and as IMF-fixdate, past dates as zero, garbage as absent.
TEST(RetryTest, ParsesRetryAfterSecondsAndHttpDate) {
  EXPECT_EQ(parse_retry_after("120", kDate), seconds(120));
  EXPECT_EQ(parse_retry_after(" 0 ", kDate), seconds(0));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kDate), seconds(30));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", kDate), seconds(0));
  EXPECT_EQ(parse_retry_after("Thu, 22 Oct 2015 07:28:00 GMT", kDate), std::chrono::hours(24));
  EXPECT_FALSE(parse_retry_after("", kDate));
  EXPECT_FALSE(parse_retry_after("-5", kDate));
  EXPECT_FALSE(parse_retry_after("1.5", kDate));
  EXPECT_FALSE(parse_retry_after("Wed, 32 Oct 2015 07:28:00 GMT", kDate));
  EXPECT_FALSE(parse_retry_after("soon", kDate));
}

// Verifies that the delay spans [0, min(cap, initial*2^n)] as the random source spans [0, 1).
TEST(RetryTest, BackoffIsFullJitterWithinExponentialCeiling) {
  RetryOptions o;
  o.initial_backoff = milliseconds(100);
  o.max_backoff = seconds(1);
  double u = 0.0;
  RetryPolicy policy(o, [&u] { return u; });
  EXPECT_EQ(policy.backoff(0, std::nullopt), nanoseconds(0));
  u = 0.5;
  EXPECT_EQ(policy.backoff(0, std::nullopt), milliseconds(50));
  EXPECT_EQ(policy.backoff(2, std::nullopt), milliseconds(200));
  u = 0.999;
  EXPECT_LE(policy.backoff(3, std::nullopt), milliseconds(800));
  EXPECT_GT(policy.backoff(3, std::nullopt), milliseconds(790));
  EXPECT_LE(policy.backoff(60, std::nullopt), seconds(1));  // capped, no overflow at large attempts
  EXPECT_GT(policy.backoff(60, std::nullopt), milliseconds(990));
}

// Verifies that Retry-After raises the delay to at least its value, but never past max_retry_after.
TEST(RetryTest, BackoffHonoursRetryAfterUpToItsCap) {
  RetryOptions o;
  o.max_backoff = seconds(1);
  o.max_retry_after = seconds(60);
  RetryPolicy policy(o, [] { return 0.5; });
  EXPECT_EQ(policy.backoff(0, seconds(10)), seconds(10));
  EXPECT_EQ(policy.backoff(0, seconds(3600)), seconds(60));
  EXPECT_EQ(policy.backoff(0, seconds(0)), milliseconds(250));
}

// Verifies that decide() reads Retry-After (any header case) from a 429 or 503, seconds or date.
TEST(RetryTest, DecideUsesRetryAfterHeaderInBothForms) {
  RetryOptions o;
  o.budget = seconds(600);
  RetryPolicy policy(o, [] { return 0.0; });
  auto d1 = policy.decide(status(429, {{"retry-after", "7"}}), 0, seconds(0), kDate);
  EXPECT_EQ(d1.disposition, Disposition::retry);
  EXPECT_EQ(d1.delay, seconds(7));
  auto d2 = policy.decide(status(503, {{"Retry-After", "Wed, 21 Oct 2015 07:28:42 GMT"}}), 1,
                          seconds(3), kDate);
  EXPECT_EQ(d2.disposition, Disposition::retry);
  EXPECT_EQ(d2.delay, seconds(42));
  EXPECT_EQ(d2.reason, "HTTP 503");
}

// Verifies that a retryable failure becomes a counted reject when the next attempt would pass the
// budget.
TEST(RetryTest, RejectsOnceRetryBudgetIsSpent) {
  RetryOptions o;
  o.budget = seconds(10);
  RetryPolicy policy(o, [] { return 0.0; });
  auto within = policy.decide(status(503, {{"Retry-After", "5"}}), 2, seconds(5), kDate);
  EXPECT_EQ(within.disposition, Disposition::retry);
  auto beyond = policy.decide(status(503, {{"Retry-After", "6"}}), 3, seconds(5), kDate);
  EXPECT_EQ(beyond.disposition, Disposition::reject);
  EXPECT_TRUE(beyond.budget_exhausted);
  EXPECT_EQ(beyond.reason, "HTTP 503 (retry budget of 10s spent after 4 attempts)");
  auto timeout = policy.decide(error(http::ClientError::timeout), 0, seconds(0), kDate);
  EXPECT_EQ(timeout.disposition, Disposition::retry);
  EXPECT_EQ(timeout.reason, "timeout: detail");
}

// Verifies that a 400 is rejected at once, not counted as a spent budget.
TEST(RetryTest, RejectsClientErrorsWithoutBudget) {
  RetryPolicy policy(RetryOptions{}, [] { return 0.0; });
  auto d = policy.decide(status(400), 0, seconds(0), kDate);
  EXPECT_EQ(d.disposition, Disposition::reject);
  EXPECT_FALSE(d.budget_exhausted);
  EXPECT_EQ(d.reason, "HTTP 400");
}

// Verifies that a response body excerpt is cut at the bound and has no control characters.
TEST(RetryTest, BodyExcerptIsBoundedAndSingleLine) {
  EXPECT_EQ(body_excerpt("{\"error\":\n\"bad\"}"), "{\"error\": \"bad\"}");
  EXPECT_EQ(body_excerpt("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace llmtap::delivery
