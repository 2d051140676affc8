// Provider table: which `litellm_params.model` prefixes llmtap can route to, their public default
// api_base, the environment variables LiteLLM reads when a deployment sets no key, base or
// api_version, and how the upstream takes the key and builds its URLs.
//
// Static data; thread-safe.
#pragma once

#include <string_view>

#include "config/config.h"

namespace llmtap::config {

// In a default_api_base: the deployment's AWS region (Bedrock's regional endpoints).
inline constexpr std::string_view kRegionPlaceholder = "{region}";
// In a default_api_base: "<location>-" for a Vertex AI location, nothing for `global`.
inline constexpr std::string_view kLocationPlaceholder = "{location-}";

struct ProviderInfo {
  std::string_view name;
  std::string_view default_api_base;  // empty: the deployment must set api_base
  std::string_view key_env;           // empty: no conventional key variable
  // Ollama's OpenAI-compatible API lives under /v1, while LiteLLM configs give the server root.
  bool api_base_needs_v1 = false;
  UpstreamApi api = UpstreamApi::openai;
  // The environment variable LiteLLM reads for the base URL when the deployment sets none.
  std::string_view base_env = {};
  // Appended to the base URL unless it already ends with it (Anthropic's "/v1/messages").
  std::string_view endpoint_suffix = {};
  // Read before key_env when set (Azure: AZURE_OPENAI_API_KEY, then AZURE_API_KEY).
  std::string_view key_env_first = {};
  UpstreamAuth auth = UpstreamAuth::bearer;
  UrlForm url_form = UrlForm::openai;
  // api_version when the deployment sets none: this variable, else default_api_version.
  std::string_view api_version_env = {};
  std::string_view default_api_version = {};
  // The variable that fills `{account_id}` in default_api_base (Cloudflare's account); the
  // deployment is left out when it is unset and no api_base is given.
  std::string_view account_env = {};
  // A configured api_base ending with `from` is read as ending with `to` (Cloudflare's native
  // `/ai/run` base, from configs written for older LiteLLM, is its OpenAI route `/ai/v1`).
  std::string_view base_suffix_from = {};
  std::string_view base_suffix_to = {};
  // Embeddings' URL when api_base is the default (Cohere's /v2/embed lives on another host).
  std::string_view default_embeddings_url = {};
};

// nullptr when llmtap does not serve `provider` (yet).
const ProviderInfo* find_provider(std::string_view provider);

// How `provider`'s upstream at `api_base` takes the key. Azure AI takes `api-key` on Azure hosts
// (*.services.ai.azure.com, *.openai.azure.com) and a bearer token elsewhere, as LiteLLM sends.
UpstreamAuth upstream_auth(const ProviderInfo& provider, std::string_view api_base);

// Whether `provider` is one LiteLLM knows but llmtap does not serve (for the warning's wording).
bool is_known_litellm_provider(std::string_view provider);

}  // namespace llmtap::config
