#include "config/providers.h"

#include <array>

namespace llmtap::config {
namespace {

// Defaults are the providers' documented OpenAI-compatible base URLs, matching LiteLLM's.
constexpr std::array kProviders{
    ProviderInfo{"openai", "https://api.openai.com/v1", "OPENAI_API_KEY"},
    ProviderInfo{"text-completion-openai", "https://api.openai.com/v1", "OPENAI_API_KEY"},
    ProviderInfo{"openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"},
    ProviderInfo{"groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY"},
    ProviderInfo{"together_ai", "https://api.together.xyz/v1", "TOGETHERAI_API_KEY"},
    ProviderInfo{"mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY"},
    ProviderInfo{"deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY"},
    ProviderInfo{"fireworks_ai", "https://api.fireworks.ai/inference/v1", "FIREWORKS_AI_API_KEY"},
    ProviderInfo{"cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY"},
    ProviderInfo{"nvidia_nim", "https://integrate.api.nvidia.com/v1", "NVIDIA_NIM_API_KEY"},
    ProviderInfo{"xai", "https://api.x.ai/v1", "XAI_API_KEY"},
    ProviderInfo{"perplexity", "https://api.perplexity.ai", "PERPLEXITYAI_API_KEY"},
    ProviderInfo{"github", "https://models.inference.ai.azure.com", "GITHUB_API_KEY"},
    ProviderInfo{"lm_studio", "http://localhost:1234/v1", "LM_STUDIO_API_KEY"},
    ProviderInfo{"ollama", "http://localhost:11434/v1", "", true},
    ProviderInfo{"ollama_chat", "http://localhost:11434/v1", "", true},
    ProviderInfo{"hosted_vllm", "", "HOSTED_VLLM_API_KEY"},
    ProviderInfo{"openai_like", "", ""},
};

constexpr std::array<std::string_view, 40> kOtherLitellmProviders{
    "anthropic",      "azure",          "azure_ai",
    "azure_text",     "bedrock",        "bedrock_converse",
    "vertex_ai",      "vertex_ai_beta", "gemini",
    "cohere",         "cohere_chat",    "sagemaker",
    "sagemaker_chat", "huggingface",    "replicate",
    "ai21",           "ai21_chat",      "cloudflare",
    "databricks",     "watsonx",        "watsonx_text",
    "voyage",         "jina_ai",        "predibase",
    "anyscale",       "deepinfra",      "sambanova",
    "friendliai",     "codestral",      "text-completion-codestral",
    "clarifai",       "nlp_cloud",      "aleph_alpha",
    "petals",         "baseten",        "triton",
    "volcengine",     "meta_llama",     "nscale",
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
