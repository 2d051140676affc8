// upstream_url(): the URL one LLM route of a deployment is sent to, made from its api_base, its
// UrlForm and (Azure) its api_version. The request handler calls it once per deployment and route
// at start-up; the bodies stay OpenAI's either way (Azure speaks OpenAI's wire format).
//
//   openai    {api_base}{route}, e.g. https://api.openai.com/v1 + /chat/completions
//   azure     {api_base}/openai/deployments/{deployment}{route}?api-version={api_version}, as the
//             openai SDK's AzureOpenAI client builds it; an api_base that already holds
//             /openai/deployments is the base as is ({api_base}{route}?api-version=…); api_version
//             v1, latest or preview is Azure's v1 API: {api_base}/openai/v1{route}, no deployments
//             segment, no query (LiteLLM PR #19313)
//   azure_ai  {api_base}/models{route} when api_base names a *services.ai.azure.com host, else
//             {api_base}{route}, with the path segments api_base already ends with not repeated
//             (…/models + /models/chat/completions); ?api-version= only when one is configured
//             (LiteLLM's AzureAIStudioConfig.get_complete_url, applied to every route)
// A query api_base carries is kept, after the path; an api-version it names is not added again.
// A translated API's api_base is already its endpoint's full URL: returned as is.
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace llmtap::gateway {

// `route` is the OpenAI path of the call: "/chat/completions", "/completions" or "/embeddings".
std::string upstream_url(const config::Deployment& deployment, std::string_view route);

}  // namespace llmtap::gateway
