// router_settings and litellm_settings' router keys (README "router_settings"): what is read,
// which section wins, and the warnings for settings that do not do what they say.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

using ::testing::HasSubstr;
using testing::load;
using testing::strings;

constexpr std::string_view kModels =
    "model_list:\n"
    "  - model_name: gpt-4o\n"
    "    litellm_params: {model: openai/gpt-4o, api_key: sk-a, num_retries: 4, "
    "cooldown_time: 0}\n"
    "  - model_name: claude\n"
    "    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_key: sk-b, weight: 3, "
    "rpm: 60}\n"
    "    model_info: {tpm: 1000}\n";

LoadResult load_with(std::string_view rest) {
  return load(std::string(kModels) + std::string(rest));
}

// Verifies that LiteLLM's defaults apply when nothing is set: 2 retries, 5 s cooldowns, the
// failure-rate rule, at most 5 fallbacks, none configured.
TEST(RouterSettingsTest, DefaultsAreLiteLlms) {
  LoadResult result = load_with("");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const RouterSettings& r = result.config->router;
  EXPECT_EQ(r.num_retries, 2);
  EXPECT_EQ(r.cooldown_time, std::chrono::seconds(5));
  EXPECT_FALSE(r.allowed_fails);
  EXPECT_EQ(r.max_fallbacks, 5);
  EXPECT_TRUE(r.fallbacks.empty());
  EXPECT_FALSE(r.context_window_fallbacks);
  EXPECT_FALSE(r.disable_cooldowns);
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
}

// Verifies that every router key is read, default_fallbacks become the "*" rule after the
// generic ones, and a deployment's own num_retries and cooldown_time reach it.
TEST(RouterSettingsTest, ReadsEveryKey) {
  LoadResult result = load_with(
      "router_settings:\n"
      "  num_retries: 1\n"
      "  retry_after: 0.25\n"
      "  fallbacks: [{gpt-4o: [claude]}]\n"
      "  default_fallbacks: [claude]\n"
      "  context_window_fallbacks: [{claude: [gpt-4o]}]\n"
      "  content_policy_fallbacks: []\n"
      "  max_fallbacks: 2\n"
      "  allowed_fails: 1\n"
      "  cooldown_time: 15\n"
      "  disable_cooldowns: false\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
  const RouterSettings& r = result.config->router;
  EXPECT_EQ(r.num_retries, 1);
  EXPECT_EQ(r.retry_after, std::chrono::milliseconds(250));
  EXPECT_EQ(r.fallbacks, (std::vector<FallbackRule>{{"gpt-4o", {"claude"}}, {"*", {"claude"}}}));
  EXPECT_EQ(r.context_window_fallbacks, (std::vector<FallbackRule>{{"claude", {"gpt-4o"}}}));
  ASSERT_TRUE(r.content_policy_fallbacks);
  EXPECT_TRUE(r.content_policy_fallbacks->empty()) << "set, empty: no generic fallback for it";
  EXPECT_EQ(r.max_fallbacks, 2);
  EXPECT_EQ(r.allowed_fails, 1);
  EXPECT_EQ(r.cooldown_time, std::chrono::seconds(15));
  const Deployment& d = result.config->deployments[0];
  EXPECT_EQ(d.num_retries, 4);
  EXPECT_EQ(d.cooldown_time, std::chrono::milliseconds(0));
  EXPECT_FALSE(result.config->deployments[1].num_retries);
  EXPECT_EQ(result.config->deployments[1].weight, 3.0);
  EXPECT_EQ(result.config->deployments[1].rpm, 60.0);
  EXPECT_EQ(result.config->deployments[1].tpm, 1000.0) << "model_info's tpm when params have none";
}

// Verifies that router_settings wins over litellm_settings, which fills in what it leaves unset
// (LiteLLM's Router falls back on the litellm globals), and num_retries: 0 turns retries off.
TEST(RouterSettingsTest, RouterSettingsWinOverLitellmSettings) {
  LoadResult result = load_with(
      "litellm_settings:\n"
      "  num_retries: 0\n"
      "  fallbacks: [{claude: [gpt-4o]}]\n"
      "router_settings:\n"
      "  fallbacks: [{gpt-4o: [claude]}]\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_EQ(result.config->router.num_retries, 0);
  EXPECT_EQ(result.config->router.fallbacks, (std::vector<FallbackRule>{{"gpt-4o", {"claude"}}}));
}

// Verifies the warnings for settings that cannot do what they say, each naming its key: a rule
// for no model_name, a target that is none, a group falling back to itself, allowed_fails equal
// to LiteLLM's default, a router cooldown_time of 0, `routing:`, a strategy llmtap lacks, an
// unknown key near a known one; and that litellm_settings.cooldown_time is not read.
TEST(RouterSettingsTest, WarnsAboutSettingsThatDoNothing) {
  LoadResult result = load_with(
      "litellm_settings:\n"
      "  cooldown_time: 30\n"
      "router_settings:\n"
      "  fallbacks: [{deepseek/deepseek-reasoner: [claude]}, {gpt-4o: [gpt-4o, openai/gpt-4o]}]\n"
      "  allowed_fails: 3\n"
      "  cooldown_time: 0\n"
      "  routing: simple-shuffle\n"
      "  routing_strategy: latency-based-routing\n"
      "  num_retry: 3\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const std::vector<std::string> w = strings(result.warnings);
  auto has = [&](std::string_view text) {
    return std::any_of(w.begin(), w.end(),
                       [&](const std::string& s) { return s.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(
      has("litellm_settings.cooldown_time: LiteLLM's Router reads this from "
          "router_settings only"))
      << ::testing::PrintToString(w);
  EXPECT_TRUE(
      has("router_settings.fallbacks[0].deepseek/deepseek-reasoner: "
          "'deepseek/deepseek-reasoner' is no model_name: this rule never applies"))
      << ::testing::PrintToString(w);
  EXPECT_TRUE(has("'gpt-4o' falls back to itself")) << ::testing::PrintToString(w);
  EXPECT_TRUE(has("fallback 'openai/gpt-4o' is no model_name: skipped"))
      << ::testing::PrintToString(w);
  EXPECT_TRUE(has("router_settings.allowed_fails: 3 is LiteLLM's default"));
  EXPECT_TRUE(has("router_settings.cooldown_time: 0 means LiteLLM's default (5 s)"));
  EXPECT_TRUE(has("router_settings.routing: not a LiteLLM key"));
  EXPECT_TRUE(has("'latency-based-routing' is not supported by llmtap yet"));
  EXPECT_TRUE(
      has("router_settings.num_retry: not supported by llmtap; ignored; did you mean "
          "'num_retries'?"))
      << ::testing::PrintToString(w);
  EXPECT_FALSE(result.config->router.allowed_fails);
  EXPECT_EQ(result.config->router.cooldown_time, std::chrono::seconds(5));
}

// Verifies that an unknown routing_strategy and malformed values are errors naming the key.
TEST(RouterSettingsTest, BadValuesAreErrors) {
  struct Case {
    std::string yaml;
    std::string error;
  };
  const Case cases[] = {
      {"router_settings: {routing_strategy: fastest}\n",
       "router_settings.routing_strategy: unknown routing_strategy 'fastest'"},
      {"router_settings: {num_retries: -1}\n",
       "router_settings.num_retries: expected a whole number from 0 to 1000, got '-1'"},
      {"router_settings: {fallbacks: {gpt-4o: [claude]}}\n",
       "router_settings.fallbacks: expected a list of {model_name: [fallback, …]} maps, got a "
       "map"},
      {"router_settings: {fallbacks: [claude]}\n",
       "router_settings.fallbacks[0]: expected a {model_name: [fallback, …]} map"},
      {"router_settings: {retry_after: soon}\n", "router_settings.retry_after: expected"},
  };
  for (const Case& c : cases) {
    LoadResult result = load_with(c.yaml);
    EXPECT_FALSE(result.config) << c.yaml;
    ASSERT_EQ(result.errors.size(), 1u)
        << c.yaml << ::testing::PrintToString(strings(result.errors));
    EXPECT_THAT(strings(result.errors)[0], HasSubstr(c.error)) << c.yaml;
  }
}

}  // namespace
}  // namespace llmtap::config
