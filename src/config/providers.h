// Provider table: which `litellm_params.model` prefixes llmtap can route to, their public default
// api_base, and the environment variable LiteLLM reads for the key when a deployment sets none.
//
// Static data; thread-safe.
#pragma once

#include <string_view>

#include "config/config.h"

namespace llmtap::config {

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
};

// nullptr when llmtap does not serve `provider` (yet).
const ProviderInfo* find_provider(std::string_view provider);

// Whether `provider` is one LiteLLM knows but llmtap does not serve (for the warning's wording).
bool is_known_litellm_provider(std::string_view provider);

}  // namespace llmtap::config
