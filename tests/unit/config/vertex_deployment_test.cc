// vertex_ai/ deployments (README "model_list[]", Vertex AI): the model families, the project,
// location and base, and the service account key (config/vertex_deployment.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "config/describe.h"
#include "config/loader.h"
#include "support/temp_dir.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

using ::testing::HasSubstr;
using testing::load;
using ::testing::Not;
using testing::strings;

constexpr std::string_view kKey =
    R"({"type":"service_account","project_id":"from-key","client_email":"a@b.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n"})";

// Verifies the families: Gemini models speak generateContent, other Model Garden models the
// OpenAI-compatible endpoint; a key given as JSON; the project from the key file when none is
// named; us-central1 by default; the regional and global hosts; the service account's auth.
TEST(VertexDeploymentTest, ModelFamiliesProjectLocationAndHost) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: flash\n"
      "    litellm_params: {model: vertex_ai/gemini-2.0-flash, vertex_project: p1,\n"
      "                     vertex_credentials: os.environ/KEY_JSON}\n"
      "  - model_name: qwen\n"
      "    litellm_params: {model: vertex_ai/qwen/qwen3-235b-a22b-instruct-2507-maas,\n"
      "                     vertex_location: global, vertex_credentials: os.environ/KEY_JSON}\n",
      {{"KEY_JSON", std::string(kKey)}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].api, UpstreamApi::gemini);
  EXPECT_EQ(d[0].url_form, UrlForm::vertex_gemini);
  EXPECT_EQ(d[0].auth, UpstreamAuth::google_service_account);
  EXPECT_EQ(d[0].vertex.project, "p1");
  EXPECT_EQ(d[0].vertex.location, "us-central1");
  EXPECT_EQ(d[0].api_base, "https://us-central1-aiplatform.googleapis.com");
  EXPECT_EQ(d[0].vertex.credentials_json, kKey);
  EXPECT_FALSE(d[0].vertex.custom_base);
  EXPECT_EQ(d[1].api, UpstreamApi::openai);
  EXPECT_EQ(d[1].url_form, UrlForm::vertex_openapi);
  EXPECT_EQ(d[1].upstream_model, "qwen/qwen3-235b-a22b-instruct-2507-maas");
  EXPECT_EQ(d[1].vertex.project, "from-key");
  EXPECT_EQ(d[1].api_base, "https://aiplatform.googleapis.com");
}

// Verifies the key file read from a path (vertex_credentials, else VERTEXAI_CREDENTIALS, else
// GOOGLE_APPLICATION_CREDENTIALS) and the VERTEXAI_* variables; an api_base is the resource URL.
TEST(VertexDeploymentTest, KeyFilePathsAndVariables) {
  test::TempDir dir;
  const std::string path = dir.file("key.json");
  std::ofstream(path) << kKey;
  const std::string yaml =
      "model_list:\n"
      "  - model_name: flash\n"
      "    litellm_params: {model: vertex_ai/gemini-2.5-pro, api_base: "
      "'https://proxy.example/m'}\n";
  LoadResult result = load(yaml, {{"GOOGLE_APPLICATION_CREDENTIALS", path},
                                  {"VERTEXAI_PROJECT", "env-project"},
                                  {"VERTEXAI_LOCATION", "europe-west4"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const Deployment& d = result.config->deployments.at(0);
  EXPECT_EQ(d.vertex.credentials_json, kKey);
  EXPECT_EQ(d.vertex.project, "env-project");
  EXPECT_EQ(d.vertex.location, "europe-west4");
  EXPECT_EQ(d.api_base, "https://proxy.example/m");
  EXPECT_TRUE(d.vertex.custom_base);
}

// Verifies what a deployment lacks: no key at all or no project leaves it out saying why; a key
// file that cannot be read keeps it, with a warning and the reason every call will give;
// fine-tuned endpoints are left out (not served yet). No key text in any message.
TEST(VertexDeploymentTest, MissingPiecesSayWhy) {
  LoadResult none = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: vertex_ai/gemini-2.0-flash, vertex_project: p}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: vertex_ai/gemini-2.0-flash,\n"
      "                     vertex_credentials: '{\"type\":\"service_account\"}'}\n"
      "  - model_name: c\n"
      "    litellm_params: {model: vertex_ai/gemini-2.0-flash, vertex_project: p,\n"
      "                     vertex_credentials: /nonexistent/key.json}\n"
      "  - model_name: d\n"
      "    litellm_params: {model: vertex_ai/1234567890, vertex_project: p,\n"
      "                     vertex_credentials: /nonexistent/key.json}\n");
  ASSERT_TRUE(none.config) << ::testing::PrintToString(strings(none.errors));
  ASSERT_EQ(none.config->deployments.size(), 1u);
  const Deployment& kept = none.config->deployments[0];
  EXPECT_EQ(kept.model_name, "c");
  EXPECT_EQ(kept.vertex.credentials_problem,
            "the service account key file '/nonexistent/key.json' could not be read");
  const std::vector<std::string> messages = strings(none.warnings);
  ASSERT_EQ(messages.size(), 4u) << ::testing::PrintToString(messages);
  EXPECT_THAT(messages[0], HasSubstr("provider 'vertex_ai' needs a service account"));
  EXPECT_THAT(messages[1], HasSubstr("provider 'vertex_ai' needs a project"));
  EXPECT_THAT(messages[2], HasSubstr("calls to deployment 'c' will fail until it can"));
  EXPECT_THAT(messages[3], HasSubstr("fine-tuned endpoints are not served by llmtap yet"));
  for (const std::string& m : messages) EXPECT_THAT(m, Not(HasSubstr("PRIVATE KEY")));
}

// Verifies that Claude models on Vertex speak Anthropic's API through rawPredict.
TEST(VertexDeploymentTest, ClaudeModelsUseRawPredict) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: claude\n"
      "    litellm_params: {model: vertex_ai/claude-sonnet-4@20250514, vertex_location: us-east5,\n"
      "                     vertex_credentials: os.environ/KEY_JSON}\n",
      {{"KEY_JSON", std::string(kKey)}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const Deployment& d = result.config->deployments.at(0);
  EXPECT_EQ(d.api, UpstreamApi::anthropic);
  EXPECT_EQ(d.url_form, UrlForm::vertex_anthropic);
  EXPECT_EQ(d.api_base, "https://us-east5-aiplatform.googleapis.com");
}

// Verifies that check-config's report never shows the key.
TEST(VertexDeploymentTest, DescribeHidesTheKey) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: flash\n"
      "    litellm_params: {model: vertex_ai/gemini-2.0-flash, vertex_credentials: "
      "os.environ/KEY_JSON}\n",
      {{"KEY_JSON", std::string(kKey)}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const std::string report = describe(*result.config);
  EXPECT_THAT(report, HasSubstr("vertex_ai/gemini-2.0-flash"));
  EXPECT_THAT(report, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_THAT(report, Not(HasSubstr("client_email")));
}

}  // namespace
}  // namespace llmtap::config
