// model_list (README "model_list[]"): providers, defaults, env resolution and unusable deployments.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

using testing::load;
using testing::strings;

// Verifies that model_name, model, key, base, timeout, prices and id reach the Deployment.
TEST(ModelListTest, ReadsEveryDeploymentKey) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: gpt-3.5-turbo\n"
      "    litellm_params:\n"
      "      model: openai/gpt-3.5-turbo\n"
      "      api_key: os.environ/OPENAI_API_KEY\n"
      "      api_base: https://proxy.example/v1/\n"
      "      timeout: 30\n"
      "      input_cost_per_token: 0.0000015\n"
      "      output_cost_per_token: 0.000002\n"
      "    model_info: { id: deployment-1 }\n",
      {{"OPENAI_API_KEY", "sk-abc"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  ASSERT_EQ(result.config->deployments.size(), 1u);
  const Deployment& d = result.config->deployments[0];
  EXPECT_EQ(d.model_name, "gpt-3.5-turbo");
  EXPECT_EQ(d.model, "openai/gpt-3.5-turbo");
  EXPECT_EQ(d.provider, "openai");
  EXPECT_EQ(d.upstream_model, "gpt-3.5-turbo");
  EXPECT_EQ(d.api_key, "sk-abc");
  EXPECT_EQ(d.api_base, "https://proxy.example/v1");
  EXPECT_EQ(d.timeout, std::chrono::seconds(30));
  EXPECT_EQ(d.input_cost_per_token, 0.0000015);
  EXPECT_EQ(d.output_cost_per_token, 0.000002);
  EXPECT_EQ(d.id, "deployment-1");
  EXPECT_FALSE(d.mock_response);
  EXPECT_EQ(result.config->model_names, std::vector<std::string>{"gpt-3.5-turbo"});
}

// Verifies each OpenAI-compatible provider's public default api_base.
TEST(ModelListTest, ProviderDefaultsApiBase) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"openai/m", "https://api.openai.com/v1"},
      {"text-completion-openai/m", "https://api.openai.com/v1"},
      {"openrouter/m", "https://openrouter.ai/api/v1"},
      {"groq/m", "https://api.groq.com/openai/v1"},
      {"together_ai/m", "https://api.together.xyz/v1"},
      {"mistral/m", "https://api.mistral.ai/v1"},
      {"deepseek/m", "https://api.deepseek.com/v1"},
      {"fireworks_ai/m", "https://api.fireworks.ai/inference/v1"},
      {"cerebras/m", "https://api.cerebras.ai/v1"},
      {"nvidia_nim/m", "https://integrate.api.nvidia.com/v1"},
      {"xai/m", "https://api.x.ai/v1"},
      {"perplexity/m", "https://api.perplexity.ai"},
      {"github/m", "https://models.inference.ai.azure.com"},
      {"lm_studio/m", "http://localhost:1234/v1"},
      {"ollama/m", "http://localhost:11434/v1"},
      {"ollama_chat/m", "http://localhost:11434/v1"},
      {"gpt-4o", "https://api.openai.com/v1"},
  };
  for (const auto& [model, base] : expected) {
    LoadResult result =
        load("model_list:\n  - model_name: x\n    litellm_params: {model: '" + model + "'}\n");
    ASSERT_TRUE(result.config) << model;
    ASSERT_EQ(result.config->deployments.size(), 1u) << model;
    EXPECT_EQ(result.config->deployments[0].api_base, base) << model;
    EXPECT_TRUE(result.warnings.empty()) << model;
  }
}

// Verifies that a model without a provider prefix is routed as openai, sent unchanged.
TEST(ModelListTest, BareModelIsOpenAi) {
  LoadResult result = load("model_list:\n  - model_name: x\n    litellm_params: {model: gpt-4o}\n");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->deployments[0].provider, "openai");
  EXPECT_EQ(result.config->deployments[0].upstream_model, "gpt-4o");
}

// Verifies that without api_key the provider's conventional variable is used, as in LiteLLM.
TEST(ModelListTest, ProviderKeyVariableIsTheFallback) {
  LoadResult result =
      load("model_list:\n  - model_name: x\n    litellm_params: {model: groq/llama}\n",
           {{"GROQ_API_KEY", "gsk-1"}});
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->deployments[0].api_key, "gsk-1");
}

// Verifies that an Ollama server root gains /v1 and custom_llm_provider sets the provider.
TEST(ModelListTest, OllamaRootGetsV1AndCustomProviderOverrides) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: local\n"
      "    litellm_params: {model: ollama/qwen3:0.6b, api_base: 'http://ollama1:11434'}\n"
      "  - model_name: vllm\n"
      "    litellm_params: {model: meta/llama, custom_llm_provider: hosted_vllm, api_base: "
      "'http://v:8000/v1'}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  ASSERT_EQ(result.config->deployments.size(), 2u);
  EXPECT_EQ(result.config->deployments[0].api_base, "http://ollama1:11434/v1");
  EXPECT_EQ(result.config->deployments[0].upstream_model, "qwen3:0.6b");
  EXPECT_EQ(result.config->deployments[1].provider, "hosted_vllm");
  EXPECT_EQ(result.config->deployments[1].upstream_model, "meta/llama");
}

// Verifies that an unset variable in a deployment is a warning naming it, and the model name
// is still listed.
TEST(ModelListTest, UnsetVariableLeavesDeploymentOut) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: gpt\n"
      "    litellm_params:\n"
      "      model: openai/gpt-4o\n"
      "      api_key: os.environ/OPENAI_API_KEY\n"
      "  - model_name: gpt\n"
      "    litellm_params: {model: openai/gpt-4o, api_key: sk-literal}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_EQ(result.config->deployments.size(), 1u);
  EXPECT_EQ(result.config->deployments[0].api_key, "sk-literal");
  EXPECT_EQ(result.config->model_names, std::vector<std::string>{"gpt"});
  EXPECT_EQ(strings(result.warnings),
            std::vector<std::string>{"config.yaml:5:7: model_list[0].litellm_params.api_key: "
                                     "environment variable 'OPENAI_API_KEY' is not set; deployment "
                                     "'gpt' left out of routing"});
}

// Verifies that a provider llmtap does not serve is a warning, and an error with strict.
TEST(ModelListTest, UnsupportedProviderWarnsAndStrictFails) {
  const char* yaml =
      "model_list:\n"
      "  - model_name: claude\n"
      "    litellm_params:\n"
      "      model: sagemaker/claude-sonnet-4\n"
      "  - model_name: vllm\n"
      "    litellm_params: {model: hosted_vllm/m}\n";
  const std::vector<std::string> expected = {
      "config.yaml:4:7: model_list[0].litellm_params.model: provider 'sagemaker' is not supported "
      "by llmtap yet; deployment 'claude' left out of routing",
      "config.yaml:6:5: model_list[1].litellm_params: provider 'hosted_vllm' needs api_base; "
      "deployment 'vllm' left out of routing"};
  LoadResult lenient = load(yaml);
  ASSERT_TRUE(lenient.config);
  EXPECT_TRUE(lenient.config->deployments.empty());
  EXPECT_EQ(lenient.config->model_names, (std::vector<std::string>{"claude", "vllm"}));
  EXPECT_EQ(strings(lenient.warnings), expected);
  LoadResult strict = load(yaml, {}, LoadOptions{true});
  EXPECT_FALSE(strict.config);
  EXPECT_EQ(strings(strict.errors), expected);
}

// Verifies Anthropic's defaults: ANTHROPIC_API_KEY, the Messages URL (LiteLLM appends /v1/messages
// to a base that lacks it, also to ANTHROPIC_API_BASE), and the translated API.
TEST(ModelListTest, AnthropicDefaultsAndMessagesUrl) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: anthropic/claude-sonnet-4-5}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: anthropic/claude-haiku-4-5, api_base: "
      "'https://gw.example/anthropic/'}\n"
      "  - model_name: c\n"
      "    litellm_params: {model: anthropic/claude-haiku-4-5, api_base: "
      "'https://gw.example/v1/messages'}\n",
      {{"ANTHROPIC_API_KEY", "sk-ant-1"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].api, UpstreamApi::anthropic);
  EXPECT_EQ(d[0].upstream_model, "claude-sonnet-4-5");
  EXPECT_EQ(d[0].api_key, "sk-ant-1");
  EXPECT_EQ(d[0].api_base, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(d[1].api_base, "https://gw.example/anthropic/v1/messages");
  EXPECT_EQ(d[2].api_base, "https://gw.example/v1/messages");
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));

  LoadResult from_env = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: anthropic/claude-sonnet-4-5}\n",
      {{"ANTHROPIC_API_BASE", "http://127.0.0.1:8080"}});
  ASSERT_TRUE(from_env.config);
  EXPECT_EQ(from_env.config->deployments.at(0).api_base, "http://127.0.0.1:8080/v1/messages");
}

// Verifies Gemini's defaults: GEMINI_API_KEY, the AI Studio base (GEMINI_API_BASE when set), the
// translated API with its key header and URL form; an api_version is not kept outside Azure.
TEST(ModelListTest, GeminiDefaults) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: gemini/gemini-2.5-flash, api_version: v1}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: gemini/gemma-3-27b-it, api_key: own,\n"
      "                     api_base: 'https://aiplatform.googleapis.com/v1/publishers/google/'}\n",
      {{"GEMINI_API_KEY", "gm-env"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].api, UpstreamApi::gemini);
  EXPECT_EQ(d[0].provider, "gemini");
  EXPECT_EQ(d[0].upstream_model, "gemini-2.5-flash");
  EXPECT_EQ(d[0].api_key, "gm-env");
  EXPECT_EQ(d[0].api_base, "https://generativelanguage.googleapis.com");
  EXPECT_EQ(d[0].auth, UpstreamAuth::x_goog_api_key);
  EXPECT_EQ(d[0].url_form, UrlForm::gemini);
  EXPECT_EQ(d[0].api_version, "");
  EXPECT_EQ(d[1].api_key, "own");
  EXPECT_EQ(d[1].api_base, "https://aiplatform.googleapis.com/v1/publishers/google");
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));

  LoadResult from_env = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: gemini/gemini-2.5-pro}\n",
      {{"GEMINI_API_BASE", "http://127.0.0.1:8080/"}});
  ASSERT_TRUE(from_env.config);
  EXPECT_EQ(from_env.config->deployments.at(0).api_base, "http://127.0.0.1:8080");
}

// Verifies Cloudflare's OpenAI-compatible base: the account from CLOUDFLARE_ACCOUNT_ID in the
// default URL, CLOUDFLARE_API_KEY, an /ai/run base (LiteLLM's older native route) read as /ai/v1;
// without the account and an api_base the deployment is left out, saying which variable.
TEST(ModelListTest, CloudflareAccountAndOpenAiRoute) {
  const std::string yaml =
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: cloudflare/@cf/openai/gpt-oss-120b}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: cloudflare/@cf/zai-org/glm-4.7-flash,\n"
      "                     api_base: 'https://gw.example/client/v4/accounts/x/ai/run/'}\n";
  LoadResult result =
      load(yaml, {{"CLOUDFLARE_ACCOUNT_ID", "acct9"}, {"CLOUDFLARE_API_KEY", "cf-env"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].api, UpstreamApi::openai);
  EXPECT_EQ(d[0].upstream_model, "@cf/openai/gpt-oss-120b");
  EXPECT_EQ(d[0].api_key, "cf-env");
  EXPECT_EQ(d[0].auth, UpstreamAuth::bearer);
  EXPECT_EQ(d[0].api_base, "https://api.cloudflare.com/client/v4/accounts/acct9/ai/v1");
  EXPECT_EQ(d[1].api_base, "https://gw.example/client/v4/accounts/x/ai/v1");
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));

  LoadResult no_account = load(yaml);
  ASSERT_TRUE(no_account.config);
  ASSERT_EQ(no_account.config->deployments.size(), 1u);
  EXPECT_EQ(no_account.config->deployments[0].model_name, "b");
  ASSERT_EQ(no_account.warnings.size(), 1u);
  EXPECT_THAT(no_account.warnings[0].message,
              ::testing::HasSubstr("provider 'cloudflare' needs CLOUDFLARE_ACCOUNT_ID (or "
                                   "api_base); deployment 'a' left out of routing"));
}

// Verifies Cohere's defaults: the v2 chat URL (COHERE_API_BASE when set), COHERE_API_KEY before
// CO_API_KEY, the translated API; cohere_chat is the same provider.
TEST(ModelListTest, CohereDefaults) {
  const std::string yaml =
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: cohere/command-r-08-2024}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: cohere_chat/command-a-03-2025}\n";
  LoadResult both = load(yaml, {{"COHERE_API_KEY", "co-1"}, {"CO_API_KEY", "co-2"}});
  ASSERT_TRUE(both.config) << ::testing::PrintToString(strings(both.errors));
  const auto& d = both.config->deployments;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].api, UpstreamApi::cohere);
  EXPECT_EQ(d[0].url_form, UrlForm::cohere);
  EXPECT_EQ(d[0].api_base, "https://api.cohere.com/v2/chat");
  EXPECT_EQ(d[0].api_key, "co-1");
  EXPECT_EQ(d[1].api, UpstreamApi::cohere);
  EXPECT_EQ(d[1].upstream_model, "command-a-03-2025");
  EXPECT_TRUE(both.warnings.empty()) << ::testing::PrintToString(strings(both.warnings));

  LoadResult fallback =
      load(yaml, {{"CO_API_KEY", "co-2"}, {"COHERE_API_BASE", "http://127.0.0.1:8/v2/chat"}});
  ASSERT_TRUE(fallback.config);
  EXPECT_EQ(fallback.config->deployments.at(0).api_key, "co-2");
  EXPECT_EQ(fallback.config->deployments.at(0).api_base, "http://127.0.0.1:8/v2/chat");
}

// Verifies that a model with nothing after its provider prefix (`azure/`, which LiteLLM configs
// use for DALL·E 2) gets a warning saying what is expected and why its calls fail.
TEST(ModelListTest, EmptyUpstreamModelIsWarnedAbout) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: azure/, api_base: 'https://r.openai.azure.com', api_key: k}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: openai/gpt-4o, api_key: k}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  ASSERT_EQ(result.config->deployments.size(), 2u);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_THAT(result.warnings[0].message,
              ::testing::HasSubstr("'azure/' names no model after the provider (expected "
                                   "'azure/<deployment>'): calls to deployment 'a' will fail "
                                   "upstream"));
}

// Verifies that drop_params comes from the deployment, else from litellm_settings.
TEST(ModelListTest, DropParamsPerDeploymentOverridesTheGlobal) {
  LoadResult result = load(
      "litellm_settings: {drop_params: true}\n"
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: anthropic/claude-sonnet-4-5}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: anthropic/claude-sonnet-4-5, drop_params: false}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  ASSERT_EQ(result.config->deployments.size(), 2u);
  EXPECT_TRUE(result.config->deployments[0].drop_params);
  EXPECT_FALSE(result.config->deployments[1].drop_params);
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
  LoadResult plain = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: openai/m}\n");
  ASSERT_TRUE(plain.config);
  EXPECT_FALSE(plain.config->deployments.at(0).drop_params);
}

// Verifies that a mock deployment needs no key, api_base or supported provider.
TEST(ModelListTest, MockResponseIsAlwaysUsable) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: fake\n"
      "    litellm_params:\n"
      "      model: bedrock/whatever\n"
      "      api_key: os.environ/NOPE\n"
      "      mock_response: Hi!\n");
  ASSERT_TRUE(result.config);
  ASSERT_EQ(result.config->deployments.size(), 1u);
  EXPECT_EQ(result.config->deployments[0].mock_response, "Hi!");
  EXPECT_EQ(
      strings(result.warnings),
      std::vector<std::string>{"config.yaml:5:7: model_list[0].litellm_params.api_key: "
                               "environment variable 'NOPE' is not set (unused: the deployment "
                               "has mock_response)"});
}

// Verifies that ids derive from the entry, repeat across loads, and stay unique for twins.
TEST(ModelListTest, StableIdsWithoutModelInfo) {
  const char* yaml =
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: openai/m}\n"
      "  - model_name: a\n"
      "    litellm_params: {model: openai/m}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: openai/m}\n";
  LoadResult first = load(yaml), second = load(yaml);
  ASSERT_TRUE(first.config && second.config);
  const auto& d = first.config->deployments;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].id.size(), 16u);
  EXPECT_EQ(d[1].id, d[0].id + "-2");
  EXPECT_NE(d[2].id, d[0].id);
  EXPECT_EQ(first.config->deployments, second.config->deployments);
}

// Verifies that litellm_settings.request_timeout is the default per-deployment timeout.
TEST(ModelListTest, RequestTimeoutSetsTheDefault) {
  LoadResult result = load(
      "litellm_settings: {request_timeout: 45}\n"
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: openai/m}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: openai/m, timeout: 5}\n");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->deployments[0].timeout, std::chrono::seconds(45));
  EXPECT_EQ(result.config->deployments[1].timeout, std::chrono::seconds(5));
}

// Verifies that unimplemented litellm_params keys warn once for the whole model_list.
TEST(ModelListTest, UnknownDeploymentKeysWarnOnce) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: openai/m, max_parallel_requests: 10}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: openai/m, max_parallel_requests: 20}\n");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(strings(result.warnings),
            std::vector<std::string>{"config.yaml:3:39: model_list[0].litellm_params."
                                     "max_parallel_requests: not supported by llmtap; ignored "
                                     "(warned once for all deployments)"});
}

// Verifies that a timeout below a millisecond is 1 ms, not a 0 ms deadline (an instant 504).
TEST(ModelListTest, SubMillisecondTimeoutIsOneMillisecond) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: openai/m, api_key: k, timeout: 0.0004}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_EQ(result.config->deployments.at(0).timeout, std::chrono::milliseconds(1));
}

// Verifies Azure OpenAI's defaults: the api_base as configured (the record's api_base, no route
// or deployment added), the api-key header, LiteLLM's default api_version, and api_version read
// from litellm_params.
TEST(ModelListTest, AzureDefaultsAndApiVersion) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params:\n"
      "      model: azure/my-gpt4o\n"
      "      api_base: https://res.openai.azure.com/\n"
      "      api_key: az-1\n"
      "  - model_name: b\n"
      "    litellm_params:\n"
      "      model: azure/my-gpt4o\n"
      "      api_base: https://res.openai.azure.com\n"
      "      api_version: 2024-12-01-preview\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].provider, "azure");
  EXPECT_EQ(d[0].upstream_model, "my-gpt4o");
  EXPECT_EQ(d[0].api, UpstreamApi::openai);
  EXPECT_EQ(d[0].auth, UpstreamAuth::api_key_header);
  EXPECT_EQ(d[0].url_form, UrlForm::azure);
  EXPECT_EQ(d[0].api_base, "https://res.openai.azure.com");
  EXPECT_EQ(d[0].api_key, "az-1");
  EXPECT_EQ(d[0].api_version, "2025-02-01-preview");
  EXPECT_EQ(d[1].api_version, "2024-12-01-preview");
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
}

// Verifies Azure's environment fallbacks: AZURE_API_BASE, AZURE_API_VERSION, and the key from
// AZURE_OPENAI_API_KEY before AZURE_API_KEY, as LiteLLM reads them.
TEST(ModelListTest, AzureEnvironmentFallbacks) {
  const char* yaml =
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: azure/dep}\n";
  LoadResult result = load(yaml, {{"AZURE_API_BASE", "http://127.0.0.1:8080/"},
                                  {"AZURE_API_KEY", "az-key"},
                                  {"AZURE_API_VERSION", "2024-10-21"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  ASSERT_EQ(result.config->deployments.size(), 1u);
  const Deployment& d = result.config->deployments[0];
  EXPECT_EQ(d.api_base, "http://127.0.0.1:8080");
  EXPECT_EQ(d.api_key, "az-key");
  EXPECT_EQ(d.api_version, "2024-10-21");

  LoadResult both = load(yaml, {{"AZURE_API_BASE", "http://127.0.0.1:8080"},
                                {"AZURE_OPENAI_API_KEY", "az-openai-key"},
                                {"AZURE_API_KEY", "az-key"}});
  ASSERT_TRUE(both.config);
  EXPECT_EQ(both.config->deployments.at(0).api_key, "az-openai-key");
  EXPECT_EQ(both.config->deployments.at(0).api_version, "2025-02-01-preview");
}

// Verifies that an Azure deployment without api_base (nor AZURE_API_BASE) is left out with the
// usual warning, for azure and azure_ai alike.
TEST(ModelListTest, AzureWithoutApiBaseIsLeftOut) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: azure/dep, api_key: k}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: azure_ai/mistral-large, api_key: k}\n");
  ASSERT_TRUE(result.config);
  EXPECT_TRUE(result.config->deployments.empty());
  EXPECT_EQ(strings(result.warnings),
            (std::vector<std::string>{
                "config.yaml:3:5: model_list[0].litellm_params: provider 'azure' needs api_base; "
                "deployment 'a' left out of routing",
                "config.yaml:5:5: model_list[1].litellm_params: provider 'azure_ai' needs "
                "api_base; deployment 'b' left out of routing"}));
}

// Verifies Azure AI's defaults: AZURE_AI_API_BASE / AZURE_AI_API_KEY, api_version only when
// configured (no variable, no default), and the api-key header only on Azure hosts.
TEST(ModelListTest, AzureAiDefaultsAndAuthByHost) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: azure_ai/mistral-large}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: azure_ai/gpt-4.1, api_base: 'https://res.services.ai.azure.com',"
      " api_version: 2024-05-01-preview}\n"
      "  - model_name: c\n"
      "    litellm_params: {model: azure_ai/phi, api_base: 'https://RES.OPENAI.AZURE.COM:443/x'}\n",
      {{"AZURE_AI_API_BASE", "https://mistral-large.eastus2.inference.ai.azure.com/"},
       {"AZURE_AI_API_KEY", "ai-key"},
       {"AZURE_API_VERSION", "2024-10-21"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].provider, "azure_ai");
  EXPECT_EQ(d[0].url_form, UrlForm::azure_ai);
  EXPECT_EQ(d[0].api_base, "https://mistral-large.eastus2.inference.ai.azure.com");
  EXPECT_EQ(d[0].api_key, "ai-key");
  EXPECT_EQ(d[0].api_version, "");
  EXPECT_EQ(d[0].auth, UpstreamAuth::bearer);
  EXPECT_EQ(d[1].api_version, "2024-05-01-preview");
  EXPECT_EQ(d[1].auth, UpstreamAuth::api_key_header);
  EXPECT_EQ(d[2].auth, UpstreamAuth::api_key_header);
  EXPECT_EQ(d[2].upstream_model, "phi");
}

// Verifies that the other providers keep their auth style (Anthropic's x-api-key) and that
// api_version means nothing to an OpenAI-compatible deployment (no warning, not kept).
TEST(ModelListTest, ApiVersionIsIgnoredOutsideAzure) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: openai/gpt-4o, api_version: '2024-10-21'}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: anthropic/claude-sonnet-4-5}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].auth, UpstreamAuth::bearer);
  EXPECT_EQ(d[0].url_form, UrlForm::openai);
  EXPECT_EQ(d[0].api_version, "");
  EXPECT_EQ(d[1].auth, UpstreamAuth::x_api_key);
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
}

}  // namespace
}  // namespace llmtap::config
