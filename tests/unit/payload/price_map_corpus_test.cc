// Checks the built-in price map (data/model_prices.json) against the models the real LiteLLM
// configs in tests/data/litellm-configs deploy.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "payload/price_map.h"

namespace llmtap::payload {
namespace {

// Deployment models LiteLLM's own map has no entry for, each with the reason.
const std::set<std::string, std::less<>> kNotInLiteLLMMap = {
    // Other vendors' models behind an Anthropic-compatible endpoint; no claude- key.
    "anthropic/LongCat-2.0-Preview",
    "anthropic/LongCat-Flash-Chat",
    "anthropic/glm-4.7",
    "anthropic/glm-5-turbo",
    "anthropic/glm-5.1",
    "anthropic/mimo-v2.5",
    "anthropic/mimo-v2.5-pro",
    // Retired Claude 3.5 models: no longer in LiteLLM's claude- entries.
    "anthropic/claude-3-5-haiku-20241022",
    "anthropic/claude-3-5-sonnet-20240620",
    "anthropic/claude-3-5-sonnet-20241022",
    // Azure deployment names, not model names.
    "azure/azure-embedding-model",
    "azure/chatgpt-v-2",
    // LiteLLM's apac.* Bedrock entries have no Claude 3.7 Sonnet.
    "bedrock/apac.anthropic.claude-3-7-sonnet-20250219-v1:0",
    // Not a real Bedrock id (mixes haiku and sonnet).
    "bedrock/eu.anthropic.claude-haiku-3-5-sonnet-20241022-v1:0",
    // Absent from LiteLLM's cerebras/ entries.
    "cerebras/qwen-3-235b-a22b-instruct-2507",
    // Absent from LiteLLM's cohere/command entries.
    "cohere/c4ai-aya-expanse-32b",
    "cohere/command-a-reasoning-08-2025",
    "cohere/command-a-vision-07-2025",
    // Absent from LiteLLM's gemini/gemma entries.
    "gemini/gemma-3n-e4b-it",
    // GitHub Models: LiteLLM has github_copilot/ entries only.
    "github/DeepSeek-R1",
    "github/Llama-3.3-70B-Instruct",
    "github/Llama-4-Maverick-17B-128E-Instruct-FP8",
    "github/Phi-4-reasoning",
    // Absent from LiteLLM's groq/ entries.
    "groq/llama-3.1-70b-versatile",
    "groq/mixtral-8x7b-32768",
    // LiteLLM's nvidia_nim/ entries are rerank models only.
    "nvidia_nim/google/gemma-3-27b-it",
    "nvidia_nim/meta/llama-3.3-70b-instruct",
    "nvidia_nim/nvidia/llama-3.1-nemotron-ultra-253b-v1",
    "nvidia_nim/openai/gpt-oss-120b",
    // Local ollama models.
    "ollama/granite-embedding:278m",
    "ollama/lightrag:latest",
    "ollama/llama3",
    "ollama/mistral",
    "ollama/phi3",
    "ollama/qwen2",
    "ollama/qwen3.5:0.8b",
    "ollama_chat/llama3.2:3b",
    "ollama_chat/qwen2.5:0.5b",
    "ollama_chat/qwen2.5:1.5b",
    "ollama_chat/qwen3:8b",
    // Absent from LiteLLM's gpt-5.x entries (it has gpt-5.3-codex only).
    "openai/gpt-5.3-codex-spark",
    // Placeholders, mocks and self-hosted models behind an OpenAI-compatible endpoint.
    "openai//model",
    "openai/bad-model",
    "openai/dummy-embedding",
    "openai/fake",
    "openai/llava-hf/llava-v1.6-vicuna-7b-hf",
    "openai/mock-gpt-markdown",
    "openai/my-fake-model",
    "openai/my-fake-model-2",
    "openai/qwen3-4b-awq",
    "openai/qwen3.5-4b-awq",
    // Absent from LiteLLM's openrouter/ entries (none of which is a :free variant).
    "openrouter/deepseek/deepseek-v3.1",
    "openrouter/meta-llama/llama-3.3-70b-instruct",
    "openrouter/meta-llama/llama-3.3-70b-instruct:free",
    "openrouter/meta-llama/llama-4-maverick",
    "openrouter/mistralai/mistral-small-3.1-24b-instruct:free",
    "openrouter/moonshotai/kimi-k2-thinking",
    "openrouter/nvidia/nemotron-3-super-120b-a12b:free",
    "openrouter/openai/gpt-4o-mini-2024-07-18",
    "openrouter/openai/gpt-oss-120b:free",
    "openrouter/qwen/qwen3-coder:free",
    "openrouter/qwen/qwen3-vl-8b-thinking",
    "openrouter/stepfun/step-3.5-flash:free",
    "openrouter/x-ai/grok-4.1-fast",
    // A custom SageMaker endpoint name.
    "sagemaker/berri-benchmarking-Llama-2-70b-chat-hf-4",
};

// Deployment models whose LiteLLM entries are not in the excerpt yet: the parts of LiteLLM's
// map holding them were not read for this excerpt (see data/README.md). Empty while every corpus
// model has been looked up; a model the corpus gains waits here until its entry is read.
const std::set<std::string, std::less<>> kNotYetExcerpted = {};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::size_t indent_of(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '-')) ++n;
  return n;
}

// The `model:` values under `litellm_params:` blocks of one YAML file (a line scan, enough for
// these configs: block mappings, optional quotes, trailing comments).
std::vector<std::string> deployment_models(const std::filesystem::path& path) {
  std::vector<std::string> models;
  std::ifstream in(path);
  std::string raw;
  std::size_t params_indent = 0;
  bool in_params = false;
  while (std::getline(in, raw)) {
    std::string_view line = raw;
    const std::string_view body = trim(line);
    if (body.empty() || body.front() == '#') continue;
    const std::size_t indent = indent_of(line);
    if (in_params && indent <= params_indent) in_params = false;
    std::string_view key = body;
    while (!key.empty() && (key.front() == '-' || key.front() == ' ')) key.remove_prefix(1);
    if (key.starts_with("litellm_params:")) {
      in_params = true;
      params_indent = indent;
      continue;
    }
    if (!in_params || !key.starts_with("model:")) continue;
    std::string_view value = trim(key.substr(6));
    if (const std::size_t hash = value.find(" #"); hash != std::string_view::npos) {
      value = trim(value.substr(0, hash));
    }
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (!value.empty()) models.emplace_back(value);
  }
  return models;
}

// Every distinct deployment model of the corpus, without os.environ/ references, wildcards and a
// bare provider prefix ("azure/", a config that leaves the deployment name out).
std::set<std::string, std::less<>> corpus_models() {
  std::set<std::string, std::less<>> models;
  for (const auto& entry :
       std::filesystem::directory_iterator(LLMTAP_TEST_DATA_DIR "/litellm-configs")) {
    if (entry.path().extension() != ".yaml") continue;
    for (std::string& model : deployment_models(entry.path())) {
      if (model.starts_with("os.environ/") || model.find('*') != std::string::npos ||
          model.ends_with('/')) {
        continue;
      }
      models.insert(std::move(model));
    }
  }
  return models;
}

// Verifies the scan finds the corpus's deployments (a broken scan would make the next test
// vacuous).
TEST(PriceMapCorpusTest, ScanFindsCorpusDeployments) {
  const auto models = corpus_models();
  EXPECT_GT(models.size(), 100u);
  EXPECT_TRUE(models.contains("gemini/gemini-2.5-flash"));
  EXPECT_TRUE(models.contains("anthropic/claude-sonnet-4-20250514"));
}

// Verifies every corpus deployment model resolves in the built-in map, bar the listed exceptions.
TEST(PriceMapCorpusTest, BuiltinMapCoversCorpusModels) {
  const auto prices = PriceMap::builtin();
  ASSERT_NE(prices, nullptr);
  for (const std::string& model : corpus_models()) {
    if (kNotInLiteLLMMap.contains(model) || kNotYetExcerpted.contains(model)) continue;
    const std::size_t slash = model.find('/');
    const std::string_view provider =
        slash == std::string::npos ? std::string_view() : std::string_view(model).substr(0, slash);
    const std::string_view name = slash == std::string::npos
                                      ? std::string_view(model)
                                      : std::string_view(model).substr(slash + 1);
    EXPECT_NE(prices->find(provider, name), nullptr) << model;
  }
}

// Verifies the exception lists name only models the corpus deploys and that the map lacks, so
// entries added later must also leave the lists.
TEST(PriceMapCorpusTest, ExceptionListsAreCurrent) {
  const auto prices = PriceMap::builtin();
  const auto models = corpus_models();
  for (const auto* list : {&kNotInLiteLLMMap, &kNotYetExcerpted}) {
    for (const std::string& model : *list) {
      EXPECT_TRUE(models.contains(model)) << model << " is not deployed by the corpus";
      const std::size_t slash = model.find('/');
      const std::string_view provider = std::string_view(model).substr(0, slash);
      const std::string_view name = std::string_view(model).substr(slash + 1);
      EXPECT_EQ(prices->find(provider, name), nullptr) << model << " is in the map now";
    }
  }
}

// Verifies Anthropic entries carry the cache-write price LiteLLM gives them.
TEST(PriceMapCorpusTest, AnthropicEntriesHaveCacheCreationCost) {
  const auto prices = PriceMap::builtin();
  const ModelPrice* sonnet = prices->find("anthropic", "claude-sonnet-4-5");
  ASSERT_NE(sonnet, nullptr);
  EXPECT_DOUBLE_EQ(sonnet->cache_creation_input_token_cost, 3.75e-06);
  EXPECT_DOUBLE_EQ(sonnet->cache_read_input_token_cost, 3e-07);
}

}  // namespace
}  // namespace llmtap::payload
