// upstream_url(): the URL one LLM route of a deployment is sent to, made from its api_base, its
// UrlForm, (Azure) its api_version and (Gemini) whether the call streams. The request handler
// calls it once per deployment, route and stream at start-up.
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
//   gemini    {api_base}/models/{model}:generateContent, or :streamGenerateContent?alt=sse for a
//             stream, :batchEmbedContents for embeddings; /v1beta first when api_base is a server's
//             root (the default https://generativelanguage.googleapis.com), nothing added when it
//             already names /models/<model> (a Cloudflare AI Gateway URL, as LiteLLM's
//             _check_custom_proxy takes it). LiteLLM itself makes {api_base}:{method} of any custom
//             api_base, which drops the model when the base does not name it (LiteLLM PR #14342);
//             llmtap adds it.
//   cohere    api_base as is for every route (LiteLLM's full-URL rule); with the default
//             https://api.cohere.com/v2/chat, embeddings go to https://api.cohere.ai/v2/embed
//   bedrock   {api_base}/model/{model id, every reserved character percent-encoded}/converse, or
//             /converse-stream for a stream (LiteLLM's converse handler); api_base is the runtime
//             endpoint (by default https://bedrock-runtime.{region}.amazonaws.com)
//   vertex_gemini   {api_base}/v1/projects/{project}/locations/{location}/publishers/google/models/
//             {model}:generateContent, or :streamGenerateContent?alt=sse (api_base by default
//             https://{location}-aiplatform.googleapis.com, https://aiplatform.googleapis.com for
//             the global location); a configured api_base is the model's resource URL, and only
//             :{method} is appended (LiteLLM's custom-base rule for Vertex)
//   vertex_openapi  {api_base}/v1/projects/{project}/locations/{location}/endpoints/openapi/chat/
//             completions (Model Garden's partner and open models, OpenAI's wire format); a
//             configured api_base gets /chat/completions unless it ends with it
// A query api_base carries is kept, after the path; an api-version it names is not added again.
// Anthropic's api_base is already its endpoint's full URL: returned as is.
//
// record_api_base(): which of these a call's record reports as api_base.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace llmtap::gateway {

// `route` is the OpenAI path of the call: "/chat/completions", "/completions" or "/embeddings".
// `stream` matters only where a stream has its own URL (Gemini).
std::string upstream_url(const config::Deployment& deployment, std::string_view route,
                         bool stream = false);

// As LiteLLM logs it: the configured base of an OpenAI-compatible upstream (Azure's resource
// endpoint too), the URL a translated call went to (`sent_to`; Gemini's names the model and the
// method), the deployment's api_base when the call never went upstream (`sent_to` empty), and
// nothing for a mock_response deployment. The view is into `deployment` or `sent_to`.
std::string_view record_api_base(const config::Deployment& deployment, std::string_view sent_to);

}  // namespace llmtap::gateway
