#include "gateway/request_routing.h"

#include <gtest/gtest.h>

namespace llmtap::gateway {
namespace {

using Params = std::vector<std::pair<std::string_view, std::string_view>>;

// Verifies that the body's num_retries, fallbacks (names or {"model": …} objects) and
// disable_fallbacks reach the plan's request.
TEST(RequestRoutingTest, ReadsTheRequestsOwnSwitches) {
  const Params params = {{"num_retries", "1"},
                         {"fallbacks", R"(["claude", {"model": "gemini", "messages": []}, 7])"},
                         {"disable_fallbacks", "true"},
                         {"tags", R"(["a"])"}};
  router::AttemptPlan::Request r = request_routing("gpt-4o", params);
  EXPECT_EQ(r.group, "gpt-4o");
  EXPECT_EQ(r.num_retries, 1);
  EXPECT_EQ(r.fallbacks, (std::vector<std::string>{"claude", "gemini"}));
  EXPECT_TRUE(r.disable_fallbacks);
}

// Verifies that values of the wrong type or out of range are ignored, not guessed at.
TEST(RequestRoutingTest, IgnoresValuesOfTheWrongType) {
  const Params params = {
      {"num_retries", "\"3\""}, {"fallbacks", R"("claude")"}, {"disable_fallbacks", "1"}};
  router::AttemptPlan::Request r = request_routing("gpt-4o", params);
  EXPECT_FALSE(r.num_retries);
  EXPECT_TRUE(r.fallbacks.empty());
  EXPECT_FALSE(r.disable_fallbacks);
  EXPECT_FALSE(request_routing("m", {{"num_retries", "-1"}}).num_retries);
  EXPECT_FALSE(request_routing("m", {{"num_retries", "1001"}}).num_retries);
  EXPECT_EQ(request_routing("m", {{"num_retries", "0"}}).num_retries, 0);
}

}  // namespace
}  // namespace llmtap::gateway
