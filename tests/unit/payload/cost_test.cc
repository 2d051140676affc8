#include "payload/cost.h"

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

namespace llmtap::payload {
namespace {

PriceMap test_prices() {
  auto map =
      PriceMap::parse(R"({"gpt-4o":{"litellm_provider":"openai","input_cost_per_token":2e-06,)"
                      R"("output_cost_per_token":1e-05},)"
                      R"("azure/gpt-4o":{"litellm_provider":"azure","input_cost_per_token":3e-06,)"
                      R"("output_cost_per_token":2e-05}})");
  return std::move(*map);
}

CallInfo call_to(std::string_view provider, std::string_view model) {
  CallInfo call;
  call.custom_llm_provider = provider;
  call.model = model;
  return call;
}

ResponseFacts tokens(std::int64_t prompt, std::int64_t completion) {
  ResponseFacts facts;
  facts.prompt_tokens = prompt;
  facts.completion_tokens = completion;
  return facts;
}

// Verifies that prompt tokens are priced at the input price and completion tokens at the output
// price, from the price map's entry for the model.
TEST(CostTest, PricesPromptAndCompletionTokensFromTheMap) {
  const PriceMap prices = test_prices();
  const Cost cost = compute_cost(call_to("openai", "gpt-4o"), tokens(100, 20), &prices);
  EXPECT_DOUBLE_EQ(cost.input, 100 * 2e-06);
  EXPECT_DOUBLE_EQ(cost.output, 20 * 1e-05);
  EXPECT_DOUBLE_EQ(cost.total, 100 * 2e-06 + 20 * 1e-05);
  ASSERT_NE(cost.price, nullptr);
  EXPECT_EQ(cost.price->key, "gpt-4o");
  EXPECT_TRUE(cost.known);
}

// Verifies LiteLLM's cache pricing: prompt tokens read from the cache at the cache-read price,
// those written at the cache-write price, the rest at the input price; without cache prices in
// the entry every prompt token is priced as input.
TEST(CostTest, CacheReadsAndWritesAtTheirPrices) {
  auto map = PriceMap::parse(
      R"({"claude-sonnet-4-5":{"litellm_provider":"anthropic","input_cost_per_token":3e-06,)"
      R"("output_cost_per_token":1.5e-05,"cache_read_input_token_cost":3e-07,)"
      R"("cache_creation_input_token_cost":3.75e-06,"max_output_tokens":64000}})");
  ASSERT_TRUE(map);
  EXPECT_EQ(map->find("anthropic", "claude-sonnet-4-5")->max_output_tokens, 64000);
  ResponseFacts facts = tokens(100, 20);  // 100 = 60 text + 30 read + 10 written
  facts.cache_read_tokens = 30;
  facts.cache_creation_tokens = 10;
  const Cost cost = compute_cost(call_to("anthropic", "claude-sonnet-4-5"), facts, &*map);
  EXPECT_DOUBLE_EQ(cost.input, 60 * 3e-06 + 30 * 3e-07 + 10 * 3.75e-06);
  EXPECT_DOUBLE_EQ(cost.output, 20 * 1.5e-05);

  const PriceMap no_cache_prices = test_prices();
  const Cost plain = compute_cost(call_to("openai", "gpt-4o"), facts, &no_cache_prices);
  EXPECT_DOUBLE_EQ(plain.input, 100 * 2e-06);
}

// Verifies that a provider-qualified entry ("azure/gpt-4o") wins over the bare model name.
TEST(CostTest, ProviderQualifiedEntryComesFirst) {
  const PriceMap prices = test_prices();
  const Cost cost = compute_cost(call_to("azure", "gpt-4o"), tokens(10, 10), &prices);
  ASSERT_NE(cost.price, nullptr);
  EXPECT_EQ(cost.price->key, "azure/gpt-4o");
  EXPECT_DOUBLE_EQ(cost.total, 10 * 3e-06 + 10 * 2e-05);
}

// Verifies that a deployment's own prices win over the map, which still names its entry.
TEST(CostTest, DeploymentPricesOverrideTheMap) {
  const PriceMap prices = test_prices();
  CallInfo call = call_to("openai", "gpt-4o");
  call.input_cost_per_token = 1e-03;
  call.output_cost_per_token = 2e-03;
  const Cost cost = compute_cost(call, tokens(100, 20), &prices);
  EXPECT_DOUBLE_EQ(cost.input, 100 * 1e-03);
  EXPECT_DOUBLE_EQ(cost.output, 20 * 2e-03);
  EXPECT_DOUBLE_EQ(cost.total, 100 * 1e-03 + 20 * 2e-03);
  ASSERT_NE(cost.price, nullptr);
  EXPECT_EQ(cost.price->key, "gpt-4o");
  EXPECT_TRUE(cost.known);
}

// Verifies that a deployment setting only its input price gets 0 for output, not the map's price.
TEST(CostTest, OneDeploymentPriceMakesTheOtherZero) {
  const PriceMap prices = test_prices();
  CallInfo call = call_to("openai", "gpt-4o");
  call.input_cost_per_token = 1e-03;
  const Cost cost = compute_cost(call, tokens(100, 20), &prices);
  EXPECT_DOUBLE_EQ(cost.input, 100 * 1e-03);
  EXPECT_EQ(cost.output, 0);
  EXPECT_DOUBLE_EQ(cost.total, 100 * 1e-03);
}

// Verifies that deployment prices apply without any price map, and that the model is then known.
TEST(CostTest, DeploymentPricesNeedNoMap) {
  CallInfo call = call_to("openai", "my-private-model");
  call.output_cost_per_token = 5e-06;
  const Cost cost = compute_cost(call, tokens(7, 4), nullptr);
  EXPECT_EQ(cost.price, nullptr);
  EXPECT_TRUE(cost.known);
  EXPECT_DOUBLE_EQ(cost.total, 4 * 5e-06);
}

// Verifies that a model neither in the map nor priced by its deployment costs 0 and is not known.
TEST(CostTest, UnknownModelCostsZero) {
  const PriceMap prices = test_prices();
  for (const PriceMap* map : {&prices, static_cast<const PriceMap*>(nullptr)}) {
    const Cost cost = compute_cost(call_to("openai", "my-private-model"), tokens(100, 20), map);
    EXPECT_EQ(cost.total, 0);
    EXPECT_EQ(cost.input, 0);
    EXPECT_EQ(cost.output, 0);
    EXPECT_EQ(cost.price, nullptr);
    EXPECT_FALSE(cost.known);
  }
}

// Verifies that a failed call costs 0 while still naming the map entry it would have used.
TEST(CostTest, FailedCallCostsZero) {
  const PriceMap prices = test_prices();
  CallInfo call = call_to("openai", "gpt-4o");
  call.error = ErrorInfo{};
  const Cost cost = compute_cost(call, tokens(100, 20), &prices);
  EXPECT_EQ(cost.total, 0);
  ASSERT_NE(cost.price, nullptr);
  EXPECT_EQ(cost.price->key, "gpt-4o");
  EXPECT_TRUE(cost.known);
}

}  // namespace
}  // namespace llmtap::payload
