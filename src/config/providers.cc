#include "config/providers.h"

#include <array>

#include "base/ascii.h"

namespace llmtap::config {
namespace {

constexpr ProviderInfo cohere_provider(std::string_view name) {
  return ProviderInfo{.name = name,
                      .default_api_base = "https://api.cohere.com/v2/chat",
                      .key_env = "CO_API_KEY",
                      .api = UpstreamApi::cohere,
                      .base_env = "COHERE_API_BASE",
                      .key_env_first = "COHERE_API_KEY",
                      .url_form = UrlForm::cohere,
                      .default_embeddings_url = "https://api.cohere.ai/v2/embed"};
}

// Defaults are the providers' documented OpenAI-compatible base URLs, matching LiteLLM's.
constexpr std::array kProviders{
    ProviderInfo{.name = "openai",
                 .default_api_base = "https://api.openai.com/v1",
                 .key_env = "OPENAI_API_KEY"},
    ProviderInfo{.name = "text-completion-openai",
                 .default_api_base = "https://api.openai.com/v1",
                 .key_env = "OPENAI_API_KEY"},
    ProviderInfo{.name = "openrouter",
                 .default_api_base = "https://openrouter.ai/api/v1",
                 .key_env = "OPENROUTER_API_KEY"},
    ProviderInfo{.name = "groq",
                 .default_api_base = "https://api.groq.com/openai/v1",
                 .key_env = "GROQ_API_KEY"},
    ProviderInfo{.name = "together_ai",
                 .default_api_base = "https://api.together.xyz/v1",
                 .key_env = "TOGETHERAI_API_KEY"},
    ProviderInfo{.name = "mistral",
                 .default_api_base = "https://api.mistral.ai/v1",
                 .key_env = "MISTRAL_API_KEY"},
    ProviderInfo{.name = "deepseek",
                 .default_api_base = "https://api.deepseek.com/v1",
                 .key_env = "DEEPSEEK_API_KEY"},
    ProviderInfo{.name = "fireworks_ai",
                 .default_api_base = "https://api.fireworks.ai/inference/v1",
                 .key_env = "FIREWORKS_AI_API_KEY"},
    ProviderInfo{.name = "cerebras",
                 .default_api_base = "https://api.cerebras.ai/v1",
                 .key_env = "CEREBRAS_API_KEY"},
    ProviderInfo{.name = "nvidia_nim",
                 .default_api_base = "https://integrate.api.nvidia.com/v1",
                 .key_env = "NVIDIA_NIM_API_KEY"},
    ProviderInfo{
        .name = "xai", .default_api_base = "https://api.x.ai/v1", .key_env = "XAI_API_KEY"},
    ProviderInfo{.name = "perplexity",
                 .default_api_base = "https://api.perplexity.ai",
                 .key_env = "PERPLEXITYAI_API_KEY"},
    ProviderInfo{.name = "github",
                 .default_api_base = "https://models.inference.ai.azure.com",
                 .key_env = "GITHUB_API_KEY"},
    ProviderInfo{.name = "lm_studio",
                 .default_api_base = "http://localhost:1234/v1",
                 .key_env = "LM_STUDIO_API_KEY"},
    ProviderInfo{.name = "ollama",
                 .default_api_base = "http://localhost:11434/v1",
                 .key_env = "",
                 .api_base_needs_v1 = true},
    ProviderInfo{.name = "ollama_chat",
                 .default_api_base = "http://localhost:11434/v1",
                 .key_env = "",
                 .api_base_needs_v1 = true},
    ProviderInfo{.name = "hosted_vllm", .default_api_base = "", .key_env = "HOSTED_VLLM_API_KEY"},
    ProviderInfo{.name = "openai_like", .default_api_base = "", .key_env = ""},
    // Translated APIs (src/providers/).
    ProviderInfo{.name = "anthropic",
                 .default_api_base = "https://api.anthropic.com",
                 .key_env = "ANTHROPIC_API_KEY",
                 .api_base_needs_v1 = false,
                 .api = UpstreamApi::anthropic,
                 .base_env = "ANTHROPIC_API_BASE",
                 .endpoint_suffix = "/v1/messages",
                 .auth = UpstreamAuth::x_api_key},
    // Google AI Studio's generateContent. LiteLLM's default api_base; GEMINI_API_BASE is the
    // variable its Gemini endpoints read. The key goes in x-goog-api-key (LiteLLM PR #25117;
    // older versions put it in the URL's ?key=, which leaked it into logs).
    ProviderInfo{.name = "gemini",
                 .default_api_base = "https://generativelanguage.googleapis.com",
                 .key_env = "GEMINI_API_KEY",
                 .api = UpstreamApi::gemini,
                 .base_env = "GEMINI_API_BASE",
                 .auth = UpstreamAuth::x_goog_api_key,
                 .url_form = UrlForm::gemini},
    // Cohere's v2 API (LiteLLM's CohereV2ChatConfig, every model without `v1/`); api_base is the
    // full URL of every route, as LiteLLM's get_complete_url takes it. cohere_chat is the name
    // LiteLLM gives the same provider for its chat models.
    cohere_provider("cohere"),
    cohere_provider("cohere_chat"),
    // Workers AI's OpenAI-compatible API, which LiteLLM calls since 1.91 (PR #31053) instead of
    // the native /ai/run route: bodies, answers and streams pass through.
    ProviderInfo{
        .name = "cloudflare",
        .default_api_base = "https://api.cloudflare.com/client/v4/accounts/{account_id}/ai/v1",
        .key_env = "CLOUDFLARE_API_KEY",
        .base_env = "CLOUDFLARE_API_BASE",
        .account_env = "CLOUDFLARE_ACCOUNT_ID",
        .base_suffix_from = "/ai/run",
        .base_suffix_to = "/ai/v1"},
    // Bedrock's Converse API: requests signed with SigV4 (the deployment's AwsSigning), or a
    // Bedrock API key sent as a bearer token when one is set (LiteLLM: api_key, else
    // AWS_BEARER_TOKEN_BEDROCK). The endpoint: api_base, aws_bedrock_runtime_endpoint,
    // AWS_BEDROCK_RUNTIME_ENDPOINT, else the region's.
    ProviderInfo{.name = "bedrock",
                 .default_api_base = "https://bedrock-runtime.{region}.amazonaws.com",
                 .key_env = "AWS_BEARER_TOKEN_BEDROCK",
                 .api = UpstreamApi::bedrock,
                 .base_env = "AWS_BEDROCK_RUNTIME_ENDPOINT",
                 .auth = UpstreamAuth::aws_sigv4,
                 .url_form = UrlForm::bedrock},
    // Vertex AI: Gemini models through generateContent, partner and open models through the
    // OpenAI-compatible endpoint (vertex_deployment.cc picks by model), with access tokens from
    // the deployment's service account.
    ProviderInfo{.name = "vertex_ai",
                 .default_api_base = "https://{location-}aiplatform.googleapis.com",
                 .key_env = "",
                 .api = UpstreamApi::gemini,
                 .auth = UpstreamAuth::google_service_account,
                 .url_form = UrlForm::vertex_gemini},
    // OpenAI's wire format at Azure's URLs (no translation; gateway/upstream_url.h).
    ProviderInfo{.name = "azure",
                 .default_api_base = "",
                 .key_env = "AZURE_API_KEY",
                 .base_env = "AZURE_API_BASE",
                 .key_env_first = "AZURE_OPENAI_API_KEY",
                 .auth = UpstreamAuth::api_key_header,
                 .url_form = UrlForm::azure,
                 .api_version_env = "AZURE_API_VERSION",
                 // litellm.AZURE_DEFAULT_API_VERSION
                 .default_api_version = "2025-02-01-preview"},
    // Azure AI Foundry model inference: api_version only when configured (LiteLLM's
    // AzureAIStudioConfig reads litellm_params.api_version, no variable, no default).
    ProviderInfo{.name = "azure_ai",
                 .default_api_base = "",
                 .key_env = "AZURE_AI_API_KEY",
                 .base_env = "AZURE_AI_API_BASE",
                 .url_form = UrlForm::azure_ai},
};

constexpr std::array<std::string_view, 31> kOtherLitellmProviders{
    "azure_text",     "bedrock_converse",
    "vertex_ai_beta",

    "sagemaker",      "sagemaker_chat",
    "huggingface",    "replicate",
    "ai21",           "ai21_chat",
    "databricks",     "watsonx",
    "watsonx_text",   "voyage",
    "jina_ai",        "predibase",
    "anyscale",       "deepinfra",
    "sambanova",      "friendliai",
    "codestral",      "text-completion-codestral",
    "clarifai",       "nlp_cloud",
    "aleph_alpha",    "petals",
    "baseten",        "triton",
    "volcengine",     "meta_llama",
    "nscale",         "llamafile"};

}  // namespace

const ProviderInfo* find_provider(std::string_view provider) {
  for (const auto& info : kProviders) {
    if (info.name == provider) return &info;
  }
  return nullptr;
}

UpstreamAuth upstream_auth(const ProviderInfo& provider, std::string_view api_base) {
  if (provider.url_form != UrlForm::azure_ai) return provider.auth;
  // The host: after "scheme://", up to the port, path or query.
  std::string_view host = api_base;
  if (auto scheme = host.find("://"); scheme != std::string_view::npos) {
    host.remove_prefix(scheme + 3);
  }
  host = host.substr(0, host.find_first_of(":/?#"));
  for (std::string_view azure : {".services.ai.azure.com", ".openai.azure.com"}) {
    if (ascii::iends_with(host, azure)) return UpstreamAuth::api_key_header;
  }
  return UpstreamAuth::bearer;
}

bool is_known_litellm_provider(std::string_view provider) {
  for (auto name : kOtherLitellmProviders) {
    if (name == provider) return true;
  }
  return find_provider(provider) != nullptr;
}

}  // namespace llmtap::config
