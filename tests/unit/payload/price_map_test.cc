#include "payload/price_map.h"

#include <gtest/gtest.h>

#include <string>

namespace llmtap::payload {
namespace {

// Verifies prices, provider and raw entry, that sample_spec is skipped and price-less entries kept.
TEST(PriceMapTest, ParsesEntriesAndSkipsSampleSpec) {
  const std::string json = R"({"sample_spec":{"input_cost_per_token":0.0},
    "gpt-4o":{"litellm_provider":"openai","input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05},
    "groq/llama":{"litellm_provider":"groq","input_cost_per_token":1e-07,"output_cost_per_token":2e-07},
    "free-model":{"mode":"chat"}})";
  auto map = PriceMap::parse(json);
  ASSERT_TRUE(map) << map.error();
  EXPECT_EQ(map->size(), 3u);
  EXPECT_EQ(map->find("", "sample_spec"), nullptr);
  const ModelPrice* gpt = map->find("openai", "gpt-4o");
  ASSERT_NE(gpt, nullptr);
  EXPECT_EQ(gpt->key, "gpt-4o");
  EXPECT_EQ(gpt->litellm_provider, "openai");
  EXPECT_DOUBLE_EQ(gpt->input_cost_per_token, 2.5e-06);
  EXPECT_DOUBLE_EQ(gpt->output_cost_per_token, 1e-05);
  EXPECT_EQ(
      gpt->raw_json,
      R"({"litellm_provider":"openai","input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05})");
  const ModelPrice* free_model = map->find("openai", "free-model");
  ASSERT_NE(free_model, nullptr);
  EXPECT_EQ(free_model->input_cost_per_token, 0);
}

// Verifies that `provider/model` is tried before `model`.
TEST(PriceMapTest, PrefersProviderQualifiedKey) {
  auto map = PriceMap::parse(
      R"({"llama":{"input_cost_per_token":1},"groq/llama":{"input_cost_per_token":2}})");
  ASSERT_TRUE(map);
  EXPECT_EQ(map->find("groq", "llama")->key, "groq/llama");
  EXPECT_EQ(map->find("together_ai", "llama")->key, "llama");
  EXPECT_EQ(map->find("", "llama")->key, "llama");
  EXPECT_EQ(map->find("groq", "other"), nullptr);
}

// Verifies that a broken file is reported, not half loaded.
TEST(PriceMapTest, RejectsInvalidJson) {
  const auto broken = PriceMap::parse(R"({"a":{"input_cost_per_token":1,}})");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().find("invalid JSON"), std::string::npos) << broken.error();
  const auto not_object = PriceMap::parse("[]");
  ASSERT_FALSE(not_object);
  EXPECT_EQ(not_object.error(), "model price map: expected a JSON object of model entries");
}

// Verifies that the embedded map parses and is shared.
TEST(PriceMapTest, BuiltinMapLoadsOnce) {
  auto map = PriceMap::builtin();
  ASSERT_NE(map, nullptr);
  EXPECT_GT(map->size(), 10u);
  EXPECT_EQ(map.get(), PriceMap::builtin().get());
  const ModelPrice* gpt = map->find("openai", "gpt-3.5-turbo");
  ASSERT_NE(gpt, nullptr);
  EXPECT_GT(gpt->input_cost_per_token, 0);
}

}  // namespace
}  // namespace llmtap::payload
