#include "providers/cohere/errors.h"

#include <algorithm>
#include <string>

namespace llmtap::providers::cohere {
namespace {

constexpr std::size_t kMaxMessage = 2048;

UpstreamError make(int status, std::string_view error_class, std::string_view prefix,
                   std::string_view text) {
  UpstreamError error;
  error.status = status;
  error.type = openai_error_type_for_status(status);
  error.error_class = error_class;
  error.message.reserve(prefix.size() + std::min(text.size(), kMaxMessage));
  error.message.append(prefix).append(text.substr(0, kMaxMessage));
  return error;
}

}  // namespace

UpstreamError map_error(int status, std::string_view body, std::string_view litellm_provider) {
  constexpr std::string_view kPrefix = "CohereException - ";
  const auto says = [&](std::string_view what) {
    return body.find(what) != std::string_view::npos;
  };
  if (says("invalid api token") || says("No API key provided.")) {
    return make(401, "AuthenticationError", kPrefix, body);
  }
  if (says("too many tokens")) return make(400, "ContextWindowExceededError", kPrefix, body);
  if (status == 400 || status == 498) return make(400, "BadRequestError", kPrefix, body);
  if (status == 408) return make(408, "Timeout", kPrefix, body);
  if (status == 500) return make(503, "ServiceUnavailableError", kPrefix, body);
  // LiteLLM's catch-all names the provider as custom_llm_provider[0].upper() + the rest.
  std::string prefix(litellm_provider.empty() ? std::string_view("cohere") : litellm_provider);
  if (prefix[0] >= 'a' && prefix[0] <= 'z') prefix[0] = static_cast<char>(prefix[0] - 'a' + 'A');
  prefix += "Exception - ";
  return make(500, "APIConnectionError", prefix, body);
}

UpstreamError map_stream_error(std::string_view error) {
  return make(500, "APIConnectionError", "CohereException - ", error);
}

}  // namespace llmtap::providers::cohere
