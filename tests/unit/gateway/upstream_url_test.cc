// upstream_url(): each provider's URL form per route (OpenAI-compatible, Azure OpenAI, Azure AI);
// record_api_base(): which URL the record names.
#include "gateway/upstream_url.h"

#include <gtest/gtest.h>

namespace llmtap::gateway {
namespace {

config::Deployment deployment(config::UrlForm form, std::string api_base,
                              std::string api_version = {}, std::string upstream_model = "gpt-4o") {
  config::Deployment d;
  d.url_form = form;
  d.api_base = std::move(api_base);
  d.api_version = std::move(api_version);
  d.upstream_model = std::move(upstream_model);
  return d;
}

// Verifies that an OpenAI-compatible api_base gets the route appended, and a translated API's
// api_base (already its endpoint) is used as is.
TEST(UpstreamUrlTest, OpenAiAppendsTheRouteAndTranslatedApisKeepTheirEndpoint) {
  auto openai = deployment(config::UrlForm::openai, "https://api.openai.com/v1");
  EXPECT_EQ(upstream_url(openai, "/chat/completions"),
            "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(upstream_url(openai, "/embeddings"), "https://api.openai.com/v1/embeddings");
  auto anthropic = deployment(config::UrlForm::openai, "https://api.anthropic.com/v1/messages");
  anthropic.api = config::UpstreamApi::anthropic;
  EXPECT_EQ(upstream_url(anthropic, "/chat/completions"), "https://api.anthropic.com/v1/messages");
}

// Verifies Azure OpenAI's deployments form for each route: the deployment in the path and the
// api-version query, as the openai SDK's AzureOpenAI client builds it.
TEST(UpstreamUrlTest, AzureDeploymentsFormPerRoute) {
  auto d =
      deployment(config::UrlForm::azure, "https://res.openai.azure.com", "2024-10-21", "my-gpt4o");
  EXPECT_EQ(upstream_url(d, "/chat/completions"),
            "https://res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions"
            "?api-version=2024-10-21");
  EXPECT_EQ(upstream_url(d, "/completions"),
            "https://res.openai.azure.com/openai/deployments/my-gpt4o/completions"
            "?api-version=2024-10-21");
  EXPECT_EQ(upstream_url(d, "/embeddings"),
            "https://res.openai.azure.com/openai/deployments/my-gpt4o/embeddings"
            "?api-version=2024-10-21");
}

// Verifies that an api_base already naming /openai/deployments is the base as is: only the route
// and the api-version are added (not again when its query has one).
TEST(UpstreamUrlTest, AzureBaseWithDeploymentsIsUsedAsIs) {
  auto d =
      deployment(config::UrlForm::azure, "https://res.openai.azure.com/openai/deployments/other",
                 "2025-02-01-preview");
  EXPECT_EQ(upstream_url(d, "/chat/completions"),
            "https://res.openai.azure.com/openai/deployments/other/chat/completions"
            "?api-version=2025-02-01-preview");
  auto with_query = deployment(config::UrlForm::azure,
                               "https://res.openai.azure.com/openai/deployments/other"
                               "?api-version=2024-06-01",
                               "2025-02-01-preview");
  EXPECT_EQ(upstream_url(with_query, "/embeddings"),
            "https://res.openai.azure.com/openai/deployments/other/embeddings"
            "?api-version=2024-06-01");
}

// Verifies Azure's v1 API (api_version v1, latest or preview): /openai/v1/<route>, no deployments
// segment, no api-version query, and no second /openai/v1 when api_base has it.
TEST(UpstreamUrlTest, AzureV1ApiHasNoDeploymentsSegmentOrQuery) {
  for (const char* version : {"v1", "latest", "preview"}) {
    auto d = deployment(config::UrlForm::azure, "https://res.openai.azure.com", version);
    EXPECT_EQ(upstream_url(d, "/chat/completions"),
              "https://res.openai.azure.com/openai/v1/chat/completions")
        << version;
    EXPECT_EQ(upstream_url(d, "/embeddings"), "https://res.openai.azure.com/openai/v1/embeddings")
        << version;
  }
  EXPECT_EQ(upstream_url(
                deployment(config::UrlForm::azure, "https://res.openai.azure.com/openai/v1", "v1"),
                "/chat/completions"),
            "https://res.openai.azure.com/openai/v1/chat/completions");
  EXPECT_EQ(upstream_url(
                deployment(config::UrlForm::azure, "https://res.openai.azure.com/openai", "latest"),
                "/completions"),
            "https://res.openai.azure.com/openai/v1/completions");
}

// Verifies that a deployment name or API version with characters outside a URL token is
// percent-encoded.
TEST(UpstreamUrlTest, AzureEncodesTheDeploymentName) {
  auto d = deployment(config::UrlForm::azure, "http://127.0.0.1:8080", "2024 10", "my dep/1");
  EXPECT_EQ(upstream_url(d, "/chat/completions"),
            "http://127.0.0.1:8080/openai/deployments/my%20dep%2F1/chat/completions"
            "?api-version=2024%2010");
}

// Verifies Azure AI's forms: /models/<route> on a *services.ai.azure.com host (segments the base
// already ends with not repeated), the route alone elsewhere, api-version only when configured.
TEST(UpstreamUrlTest, AzureAiModelInferenceForms) {
  auto services = deployment(config::UrlForm::azure_ai, "https://res.services.ai.azure.com",
                             "2024-05-01-preview");
  EXPECT_EQ(upstream_url(services, "/chat/completions"),
            "https://res.services.ai.azure.com/models/chat/completions"
            "?api-version=2024-05-01-preview");
  EXPECT_EQ(upstream_url(services, "/embeddings"),
            "https://res.services.ai.azure.com/models/embeddings?api-version=2024-05-01-preview");
  auto models = deployment(config::UrlForm::azure_ai, "https://res.services.ai.azure.com/models");
  EXPECT_EQ(upstream_url(models, "/chat/completions"),
            "https://res.services.ai.azure.com/models/chat/completions");
  auto full = deployment(config::UrlForm::azure_ai,
                         "https://res.services.ai.azure.com/models/chat/completions"
                         "?api-version=2024-05-01-preview",
                         "2025-01-01");
  EXPECT_EQ(upstream_url(full, "/chat/completions"),
            "https://res.services.ai.azure.com/models/chat/completions"
            "?api-version=2024-05-01-preview");
  auto serverless = deployment(config::UrlForm::azure_ai,
                               "https://Mistral-large-x.eastus2.inference.ai.azure.com/v1");
  EXPECT_EQ(upstream_url(serverless, "/chat/completions"),
            "https://Mistral-large-x.eastus2.inference.ai.azure.com/v1/chat/completions");
  auto repeated =
      deployment(config::UrlForm::azure_ai, "http://127.0.0.1:9/chat", "2024-05-01-preview");
  EXPECT_EQ(upstream_url(repeated, "/chat/completions"),
            "http://127.0.0.1:9/chat/completions?api-version=2024-05-01-preview");
  auto root = deployment(config::UrlForm::azure_ai, "http://127.0.0.1:9");
  EXPECT_EQ(upstream_url(root, "/embeddings"), "http://127.0.0.1:9/embeddings");
}

// Verifies Gemini's URLs: the model and the method in the path, a stream's own method and
// ?alt=sse; /v1beta added to a server's root, /models/<model> to a base that names no model, and
// an api_base that already names the model (a Cloudflare AI Gateway URL) taken as is, its query
// kept.
TEST(UpstreamUrlTest, GeminiModelAndMethodPerStream) {
  auto studio = deployment(config::UrlForm::gemini, "https://generativelanguage.googleapis.com", {},
                           "gemini-2.5-flash");
  studio.api = config::UpstreamApi::gemini;
  EXPECT_EQ(upstream_url(studio, "/chat/completions"),
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
            ":generateContent");
  EXPECT_EQ(upstream_url(studio, "/chat/completions", true),
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
            ":streamGenerateContent?alt=sse");
  auto express =
      deployment(config::UrlForm::gemini, "https://aiplatform.googleapis.com/v1/publishers/google",
                 {}, "gemini-3-pro-preview");
  EXPECT_EQ(upstream_url(express, "/chat/completions"),
            "https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-3-pro-preview"
            ":generateContent");
  auto gateway = deployment(config::UrlForm::gemini,
                            "https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio/v1beta/"
                            "models/gemini-2.5-pro?trace=1",
                            {}, "gemini-2.5-pro");
  EXPECT_EQ(upstream_url(gateway, "/chat/completions", true),
            "https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio/v1beta/models/"
            "gemini-2.5-pro:streamGenerateContent?trace=1&alt=sse");
  auto loopback = deployment(config::UrlForm::gemini, "http://127.0.0.1:9", {}, "gemma 3");
  EXPECT_EQ(upstream_url(loopback, "/chat/completions"),
            "http://127.0.0.1:9/v1beta/models/gemma%203:generateContent");
}

// Verifies Cohere's full URLs: api_base as is for every route, and beside the default chat URL
// the default embeddings URL on Cohere's other host.
TEST(UpstreamUrlTest, CohereFullUrls) {
  auto standard = deployment(config::UrlForm::cohere, "https://api.cohere.com/v2/chat");
  standard.provider = "cohere";
  standard.api = config::UpstreamApi::cohere;
  EXPECT_EQ(upstream_url(standard, "/chat/completions", true), "https://api.cohere.com/v2/chat");
  EXPECT_EQ(upstream_url(standard, "/embeddings"), "https://api.cohere.ai/v2/embed");
  auto own = deployment(config::UrlForm::cohere, "http://127.0.0.1:9/v2/embed");
  own.provider = "cohere_chat";
  EXPECT_EQ(upstream_url(own, "/embeddings"), "http://127.0.0.1:9/v2/embed");
  EXPECT_EQ(upstream_url(own, "/chat/completions"), "http://127.0.0.1:9/v2/embed");
}

// Verifies the record's api_base: an OpenAI-compatible (or Azure) upstream's configured base, a
// translated call's URL as sent, the api_base of a call that never went upstream, none for mocks.
// Verifies Bedrock's Converse URLs: the model id percent-encoded whole, a stream's own method.
TEST(UpstreamUrlTest, BedrockModelIdEncodedWhole) {
  auto bedrock =
      deployment(config::UrlForm::bedrock, "https://bedrock-runtime.us-east-1.amazonaws.com", {},
                 "arn:aws:bedrock:us-east-1:1:inference-profile/us.x:0");
  EXPECT_EQ(upstream_url(bedrock, "/chat/completions"),
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
            "arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x%3A0/converse");
  EXPECT_EQ(upstream_url(bedrock, "/chat/completions", true)
                .substr(upstream_url(bedrock, "/chat/completions", true).rfind('/')),
            "/converse-stream");
}

// Verifies Vertex AI's URLs: the project's and location's resource path for Gemini models and
// for the OpenAI-compatible endpoint; a configured base as the resource URL, :{method} appended.
TEST(UpstreamUrlTest, VertexResourcePaths) {
  auto gemini = deployment(config::UrlForm::vertex_gemini,
                           "https://us-central1-aiplatform.googleapis.com", {}, "gemini-2.0-flash");
  gemini.vertex.project = "p1";
  gemini.vertex.location = "us-central1";
  EXPECT_EQ(upstream_url(gemini, "/chat/completions"),
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/"
            "publishers/google/models/gemini-2.0-flash:generateContent");
  EXPECT_EQ(upstream_url(gemini, "/chat/completions", true),
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/"
            "publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
  auto open = deployment(config::UrlForm::vertex_openapi, "https://aiplatform.googleapis.com", {},
                         "qwen/qwen3-235b-a22b-instruct-2507-maas");
  open.vertex.project = "p1";
  open.vertex.location = "global";
  EXPECT_EQ(upstream_url(open, "/chat/completions"),
            "https://aiplatform.googleapis.com/v1/projects/p1/locations/global/endpoints/openapi/"
            "chat/completions");
  auto claude = gemini;
  claude.url_form = config::UrlForm::vertex_anthropic;
  claude.upstream_model = "claude-sonnet-4@20250514";
  EXPECT_EQ(upstream_url(claude, "/chat/completions", true),
            "https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1/"
            "publishers/anthropic/models/claude-sonnet-4%4020250514:streamRawPredict");
  auto custom = gemini;
  custom.api_base = "https://proxy.example/v1/projects/p1/locations/l/publishers/google/models/m";
  custom.vertex.custom_base = true;
  EXPECT_EQ(upstream_url(custom, "/chat/completions"), custom.api_base + ":generateContent");
  // A Vertex call's record names the URL called, also for the OpenAI-compatible endpoint.
  const std::string sent = upstream_url(open, "/chat/completions");
  EXPECT_EQ(record_api_base(open, sent), sent);
}

TEST(UpstreamUrlTest, RecordApiBaseIsTheBaseOrTheUrlSentTo) {
  auto azure = deployment(config::UrlForm::azure, "https://res.openai.azure.com", "2024-10-21");
  EXPECT_EQ(record_api_base(azure,
                            "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/"
                            "completions?api-version=2024-10-21"),
            "https://res.openai.azure.com");
  auto gemini = deployment(config::UrlForm::gemini, "https://generativelanguage.googleapis.com");
  gemini.api = config::UpstreamApi::gemini;
  const std::string sent = upstream_url(gemini, "/chat/completions");
  EXPECT_EQ(record_api_base(gemini, sent), sent);
  EXPECT_EQ(record_api_base(gemini, ""), "https://generativelanguage.googleapis.com");
  auto mock = deployment(config::UrlForm::openai, "https://api.openai.com/v1");
  mock.mock_response = "hi";
  EXPECT_EQ(record_api_base(mock, ""), "");
}

}  // namespace
}  // namespace llmtap::gateway
