#include "gateway/router.h"

#include <gtest/gtest.h>

#include <set>

namespace llmtap::gateway {
namespace {

config::Deployment deployment(std::string name, std::string id) {
  config::Deployment d;
  d.model_name = std::move(name);
  d.model = "openai/gpt-4o";
  d.provider = "openai";
  d.upstream_model = "gpt-4o";
  d.id = std::move(id);
  return d;
}

config::Config two_deployments_one_unusable() {
  config::Config c;
  c.deployments = {deployment("gpt-4o", "a"), deployment("gpt-4o", "b"), deployment("mini", "c")};
  c.model_names = {"gpt-4o", "gpt-4o", "mini", "claude"};  // claude: listed, no usable deployment
  return c;
}

// Verifies that requests for a shared model_name are spread over every deployment serving it.
TEST(RouterTest, SpreadsOverDeploymentsSharingAName) {
  Router router(two_deployments_one_unusable());
  std::set<std::string> seen;
  for (std::uint64_t r = 0; r < 4; ++r) {
    const auto d = router.pick("gpt-4o", r);
    ASSERT_TRUE(d.has_value());
    ASSERT_NE(*d, nullptr);
    seen.insert((*d)->id);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"a", "b"}));
}

// Verifies that an unknown model is a 404 naming the model and the available ones.
TEST(RouterTest, UnknownModelIs404) {
  Router router(two_deployments_one_unusable());
  const auto picked = router.pick("gpt-5", 0);
  ASSERT_FALSE(picked.has_value());
  EXPECT_EQ(picked.error(), errc::unknown_model);
  EXPECT_EQ(router.error_message(picked.error(), "gpt-5"),
            "model 'gpt-5' not found; available models: gpt-4o, mini, claude");
}

// Verifies that a model listed without a usable deployment is a 400 saying why, not a 404.
TEST(RouterTest, ListedButUnusableModelIs400) {
  Router router(two_deployments_one_unusable());
  const auto picked = router.pick("claude", 0);
  ASSERT_FALSE(picked.has_value());
  EXPECT_EQ(picked.error(), errc::no_usable_deployment);
  const std::string message = router.error_message(picked.error(), "claude");
  EXPECT_NE(message.find("model 'claude' has no usable deployment"), std::string::npos);
}

// Verifies that /v1/models lists each name once, in config order.
TEST(RouterTest, ModelNamesAreUniqueInConfigOrder) {
  Router router(two_deployments_one_unusable());
  EXPECT_EQ(router.model_names(), (std::vector<std::string>{"gpt-4o", "mini", "claude"}));
}

}  // namespace
}  // namespace llmtap::gateway

namespace llmtap::gateway {
namespace {

// Verifies that a name no model_name equals goes to the most specific wildcard model_name that
// matches it, and that an exact name never does.
TEST(RouterTest, WildcardGroupIsTheMostSpecificMatch) {
  config::Config c;
  c.deployments = {deployment("*", "any"), deployment("anthropic/*", "anthropic"),
                   deployment("anthropic/claude-*", "claude"), deployment("gpt-4o", "exact")};
  Router router(c);
  EXPECT_EQ(router.wildcard_group("anthropic/claude-3-haiku"), "anthropic/claude-*");
  EXPECT_EQ(router.wildcard_group("anthropic/other"), "anthropic/*");
  EXPECT_EQ(router.wildcard_group("mistral-large"), "*");
  EXPECT_EQ(router.wildcard_group(std::string(Router::kMaxWildcardName + 1, 'x')), "");
  EXPECT_FALSE(router.pick("anthropic/other", 0)) << "pick() is for exact names";
}

}  // namespace
}  // namespace llmtap::gateway
