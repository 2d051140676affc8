#include "config/providers.h"

#include <array>

namespace llmtap::config {
namespace {

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
                 .endpoint_suffix = "/v1/messages"},
};

constexpr std::array<std::string_view, 39> kOtherLitellmProviders{"azure",
                                                                  "azure_ai",
                                                                  "azure_text",
                                                                  "bedrock",
                                                                  "bedrock_converse",
                                                                  "vertex_ai",
                                                                  "vertex_ai_beta",
                                                                  "gemini",
                                                                  "cohere",
                                                                  "cohere_chat",
                                                                  "sagemaker",
                                                                  "sagemaker_chat",
                                                                  "huggingface",
                                                                  "replicate",
                                                                  "ai21",
                                                                  "ai21_chat",
                                                                  "cloudflare",
                                                                  "databricks",
                                                                  "watsonx",
                                                                  "watsonx_text",
                                                                  "voyage",
                                                                  "jina_ai",
                                                                  "predibase",
                                                                  "anyscale",
                                                                  "deepinfra",
                                                                  "sambanova",
                                                                  "friendliai",
                                                                  "codestral",
                                                                  "text-completion-codestral",
                                                                  "clarifai",
                                                                  "nlp_cloud",
                                                                  "aleph_alpha",
                                                                  "petals",
                                                                  "baseten",
                                                                  "triton",
                                                                  "volcengine",
                                                                  "meta_llama",
                                                                  "nscale",
                                                                  "llamafile"};

}  // namespace

const ProviderInfo* find_provider(std::string_view provider) {
  for (const auto& info : kProviders) {
    if (info.name == provider) return &info;
  }
  return nullptr;
}

bool is_known_litellm_provider(std::string_view provider) {
  for (auto name : kOtherLitellmProviders) {
    if (name == provider) return true;
  }
  return find_provider(provider) != nullptr;
}

}  // namespace llmtap::config
