#include <gtest/gtest.h>

#include <string>

#include "providers/vertex/token_cache.h"

namespace llmtap::providers::vertex {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using Action = TokenCache::Action;

const TokenCache::Clock::time_point kStart{seconds{1000}};

Result<AccessToken, AuthError> token(std::string value, seconds expires_in = seconds{3600}) {
  return AccessToken{std::move(value), expires_in};
}

Result<AccessToken, AuthError> rejected() {
  return AuthError{auth_errc::token_rejected, 400, "invalid_grant", "Invalid JWT Signature."};
}

// Verifies that the first call fetches, concurrent ones wait, and all get the one token.
TEST(VertexTokenCacheTest, SharesOneFetchBetweenCallers) {
  TokenCache cache;
  EXPECT_EQ(cache.acquire(kStart).action, Action::start_fetch);
  EXPECT_EQ(cache.acquire(kStart).action, Action::wait);
  EXPECT_EQ(cache.acquire(kStart + milliseconds{5}).action, Action::wait);
  EXPECT_TRUE(cache.fetch_in_flight());

  const auto outcome = cache.fetched(token("ya29.one"), kStart + milliseconds{20});
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, "ya29.one");
  EXPECT_FALSE(cache.fetch_in_flight());
  const TokenCache::Decision next = cache.acquire(kStart + seconds{1});
  EXPECT_EQ(next.action, Action::use_token);
  EXPECT_EQ(next.token, "ya29.one");
  EXPECT_EQ(cache.fetches_started(), 1u);
}

// Verifies that within 5 minutes of expiry one caller refreshes while every caller keeps the
// still-valid token, and that the new token replaces it.
TEST(VertexTokenCacheTest, RefreshesAheadOfExpiry) {
  TokenCache cache;
  (void)cache.acquire(kStart);
  ASSERT_TRUE(cache.fetched(token("ya29.one"), kStart));
  // The token expires at kStart + 3600 s; refresh is due at kStart + 3300 s.
  EXPECT_EQ(cache.acquire(kStart + seconds{3299}).action, Action::use_token);
  const TokenCache::Decision refresh = cache.acquire(kStart + seconds{3300});
  EXPECT_EQ(refresh.action, Action::start_fetch);
  EXPECT_EQ(refresh.token, "ya29.one");
  const TokenCache::Decision during = cache.acquire(kStart + seconds{3301});
  EXPECT_EQ(during.action, Action::use_token);
  EXPECT_EQ(during.token, "ya29.one");

  ASSERT_TRUE(cache.fetched(token("ya29.two"), kStart + seconds{3302}));
  EXPECT_EQ(cache.acquire(kStart + seconds{3303}).token, "ya29.two");
  EXPECT_EQ(cache.fetches_started(), 2u);
}

// Verifies that a token is never handed out at its expiry: callers wait for the fetch.
TEST(VertexTokenCacheTest, NeverUsesAnExpiredToken) {
  TokenCache cache;
  (void)cache.acquire(kStart);
  ASSERT_TRUE(cache.fetched(token("ya29.one"), kStart));
  EXPECT_EQ(cache.acquire(kStart + seconds{3600}).action, Action::start_fetch);
  const TokenCache::Decision expired = cache.acquire(kStart + seconds{3600});
  EXPECT_EQ(expired.action, Action::wait);
  EXPECT_EQ(expired.token, "");
}

// Verifies that the lifetime counts from when the fetch started, not when its answer came.
TEST(VertexTokenCacheTest, CountsTheLifetimeFromTheFetchsStart) {
  TokenCache cache;
  (void)cache.acquire(kStart);
  ASSERT_TRUE(cache.fetched(token("ya29.one", seconds{3600}), kStart + seconds{10}));
  EXPECT_EQ(cache.acquire(kStart + seconds{3299}).action, Action::use_token);
  EXPECT_EQ(cache.acquire(kStart + seconds{3300}).action, Action::start_fetch);
}

// Verifies that a short-lived token is refreshed at half its lifetime, not on every call.
TEST(VertexTokenCacheTest, RefreshesAShortLivedTokenAtHalfItsLifetime) {
  TokenCache cache;
  (void)cache.acquire(kStart);
  ASSERT_TRUE(cache.fetched(token("ya29.short", seconds{120}), kStart));
  EXPECT_EQ(cache.acquire(kStart + seconds{59}).action, Action::use_token);
  EXPECT_EQ(cache.acquire(kStart + seconds{60}).action, Action::start_fetch);
}

// Verifies that a failed fetch reaches every waiter, is answered for 1 s without a new fetch,
// and that the back-off doubles with each failure in a row and resets on success.
TEST(VertexTokenCacheTest, BacksOffAfterAFailedFetch) {
  TokenCache cache;
  (void)cache.acquire(kStart);
  EXPECT_EQ(cache.acquire(kStart).action, Action::wait);
  const auto outcome = cache.fetched(rejected(), kStart + milliseconds{100});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().error_description, "Invalid JWT Signature.");

  const TokenCache::Decision failed = cache.acquire(kStart + milliseconds{1099});
  EXPECT_EQ(failed.action, Action::fail);
  EXPECT_EQ(failed.error.code, auth_errc::token_rejected);
  EXPECT_EQ(failed.error.oauth_error, "invalid_grant");
  EXPECT_EQ(cache.acquire(kStart + milliseconds{1100}).action, Action::start_fetch);

  (void)cache.fetched(rejected(), kStart + seconds{2});
  EXPECT_EQ(cache.acquire(kStart + milliseconds{3999}).action, Action::fail);
  EXPECT_EQ(cache.acquire(kStart + seconds{4}).action, Action::start_fetch);
  EXPECT_EQ(cache.fetches_failed(), 2u);

  ASSERT_TRUE(cache.fetched(token("ya29.one", seconds{10}), kStart + seconds{5}));
  // Expired at kStart + 14 s; after the success a failure backs off 1 s again.
  EXPECT_EQ(cache.acquire(kStart + seconds{14}).action, Action::start_fetch);
  (void)cache.fetched(rejected(), kStart + seconds{14});
  EXPECT_EQ(cache.acquire(kStart + milliseconds{14999}).action, Action::fail);
  EXPECT_EQ(cache.acquire(kStart + seconds{15}).action, Action::start_fetch);
}

// Verifies that the back-off stops doubling at 30 s.
TEST(VertexTokenCacheTest, CapsTheBackOff) {
  TokenCache cache;
  TokenCache::Clock::time_point now = kStart;
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(cache.acquire(now).action, Action::start_fetch) << i;
    (void)cache.fetched(rejected(), now);
    now += minutes{1};
  }
  (void)cache.acquire(now);
  (void)cache.fetched(rejected(), now);
  EXPECT_EQ(cache.acquire(now + milliseconds{29999}).action, Action::fail);
  EXPECT_EQ(cache.acquire(now + seconds{30}).action, Action::start_fetch);
}

// Verifies that a failed refresh ahead keeps the valid token in use, and the retry waits out
// the back-off.
TEST(VertexTokenCacheTest, KeepsTheValidTokenWhenARefreshFails) {
  TokenCache cache;
  (void)cache.acquire(kStart);
  ASSERT_TRUE(cache.fetched(token("ya29.one"), kStart));
  ASSERT_EQ(cache.acquire(kStart + seconds{3300}).action, Action::start_fetch);
  (void)cache.fetched(rejected(), kStart + seconds{3300});
  const TokenCache::Decision after = cache.acquire(kStart + milliseconds{3300500});
  EXPECT_EQ(after.action, Action::use_token);
  EXPECT_EQ(after.token, "ya29.one");
  EXPECT_EQ(cache.acquire(kStart + seconds{3301}).action, Action::start_fetch);
}

}  // namespace
}  // namespace llmtap::providers::vertex
