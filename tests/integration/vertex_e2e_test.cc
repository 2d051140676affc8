// Vertex AI deployments end to end: the official `openai` SDK talks to llmtap; llmtap gets an
// access token from the service account's token_uri — the Google token mock
// (tests/support/mock_google_token.h, proven by google-auth-library in google_auth_sdk_test.cc),
// which verifies the RS256 assertion with the account's public key — and calls Vertex's
// generateContent (Gemini models), rawPredict (Claude) or its OpenAI-compatible endpoint (Model
// Garden's open models)
// with it; the mocks refuse any other bearer token. One token serves every call. The records say
// vertex_ai and the URL called; a key file that cannot be read fails each call saying so.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <sstream>

#include "integration/e2e_fixture.h"
#include "support/http_call.h"

namespace llmtap::test {
namespace {

constexpr std::string_view kGeminiResource =
    "/v1/projects/proj-1/locations/us-central1/publishers/google/models/gemini-2.0-flash";
constexpr std::string_view kClaudeResource =
    "/v1/projects/proj-1/locations/us-east5/publishers/anthropic/models/claude-tool@1";
constexpr std::string_view kOpenApiResource =
    "/v1/projects/proj-1/locations/us-south1/endpoints/openapi";

class VertexE2eTest : public E2eFixture {
 protected:
  // The test service account's key file, its token_uri pointing at the token mock.
  std::string key_file() {
    std::ifstream in(std::string(LLMTAP_TEST_DATA_DIR) + "/vertex/service_account.json");
    std::stringstream text;
    text << in.rdbuf();
    std::string json = text.str();
    const std::string google = "https://oauth2.googleapis.com/token";
    json.replace(json.find(google), google.size(), upstream_url() + "/token");
    std::string path = dir_.file("service_account.json");
    std::ofstream(path) << json;
    return path;
  }

  std::string config() {
    const std::string key = "vertex_credentials: " + key_file() + "\n";
    return ConfigBuilder()
        .deployment("vx-flash", "model: vertex_ai/gemini-2.0-flash\nvertex_project: proj-1\n" +
                                    key + "api_base: {UPSTREAM}" + std::string(kGeminiResource) +
                                    "\n")
        .deployment("vx-qwen",
                    "model: vertex_ai/qwen/qwen3-235b-a22b-instruct-2507-maas\n"
                    "vertex_project: proj-1\nvertex_location: us-south1\n" +
                        key + "api_base: {UPSTREAM}" + std::string(kOpenApiResource) + "\n")
        .deployment("vx-claude",
                    "model: vertex_ai/claude-tool@1\nvertex_project: proj-1\n"
                    "vertex_location: us-east5\n" +
                        key + "api_base: {UPSTREAM}" + std::string(kClaudeResource) + "\n")
        .deployment("vx-nokey",
                    "model: vertex_ai/gemini-2.0-flash\nvertex_project: proj-1\n"
                    "vertex_credentials: " +
                        dir_.file("missing.json") + "\napi_base: {UPSTREAM}" +
                        std::string(kGeminiResource) + "\n")
        .yaml();
  }

  // The mock upstream first: the key file names its token URL.
  void start_with_upstream() {
    ASSERT_NO_FATAL_FAILURE(launch_sink());
    ASSERT_NO_FATAL_FAILURE(launch_upstream());
    ASSERT_NO_FATAL_FAILURE(start_llmtap_on(write_config(config())));
  }

  // How many tokens the token mock issued.
  std::int64_t tokens_issued() {
    HttpReply stats = http_request(upstream_.port, "GET", "/token-stats", {}, "");
    auto parsed = parser_.parse(stats.body);
    EXPECT_FALSE(parsed.error()) << stats.body;
    return parsed.error() ? -1 : int64_t(parsed["issued"]);
  }

  simdjson::dom::parser step_parser_;
};

// Verifies Gemini on Vertex whole and streamed, Claude through rawPredict / streamRawPredict
// (tool calls), and an open model through the OpenAI-compatible endpoint, all with one access
// token; the calls reached the resource URLs with it; the records
// say vertex_ai and the URL called.
TEST_F(VertexE2eTest, GeminiAndOpenModelsWithOneAccessToken) {
  ASSERT_NO_FATAL_FAILURE(start_with_upstream());
  auto steps = run_providers_client(
      {"chat=vx-flash", "stream=vx-qwen", "tools=vx-claude", "tools-stream=vx-claude"});
  expect_weather_tool_call(steps, "toolu_mock1");
  for (const std::string name : {"chat", "stream"}) {
    auto answer = step_parser_.parse(steps[name]);
    ASSERT_FALSE(answer.error()) << steps[name];
    ASSERT_FALSE(answer["content"].error()) << steps[name];
    EXPECT_EQ(std::string_view(answer["content"]), "mock answer") << steps[name];
  }
  HttpReply streamed =
      post("/v1/chat/completions",
           R"({"model":"vx-flash","stream":true,"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(streamed.status, 200) << streamed.body;
  EXPECT_NE(streamed.body.find("data: [DONE]"), std::string::npos) << streamed.body;
  EXPECT_EQ(tokens_issued(), 1);

  std::size_t vertex_calls = 0;
  for (const std::string& line : upstream_requests()) {
    auto request = parser_.parse(line);
    ASSERT_FALSE(request.error());
    const std::string_view path = request["path"];
    if (!path.starts_with("/v1/projects/")) continue;  // the token mock's own routes
    ++vertex_calls;
    EXPECT_EQ(std::string_view(request["headers"]["authorization"]), "Bearer ya29.mock-1") << line;
    if (path.starts_with(kClaudeResource)) {
      EXPECT_TRUE(path.ends_with(":rawPredict") || path.ends_with(":streamRawPredict")) << path;
      const std::string body{std::string_view(request["body"])};
      EXPECT_NE(body.find(R"("anthropic_version":"vertex-2023-10-16")"), std::string::npos) << body;
      EXPECT_EQ(body.find(R"("model")"), std::string::npos) << body;
    } else if (path.starts_with(kOpenApiResource)) {
      EXPECT_EQ(path, std::string(kOpenApiResource) + "/chat/completions");
      const std::string body{std::string_view(request["body"])};
      auto sent = step_parser_.parse(body);
      ASSERT_FALSE(sent.error()) << body;
      EXPECT_EQ(std::string_view(sent["model"]), "qwen/qwen3-235b-a22b-instruct-2507-maas");
    } else {
      EXPECT_TRUE(path == std::string(kGeminiResource) + ":generateContent" ||
                  path == std::string(kGeminiResource) + ":streamGenerateContent")
          << path;
    }
  }
  EXPECT_EQ(vertex_calls, 5u);

  auto lines = records(5);
  ASSERT_EQ(lines.size(), 5u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "vertex_ai") << line;
    const std::string_view api_base = record["api_base"];
    EXPECT_TRUE(api_base.starts_with(upstream_url() + "/v1/projects/proj-1/")) << line;
    EXPECT_EQ(line.find("ya29.mock"), std::string::npos) << line;
    EXPECT_EQ(line.find("PRIVATE KEY"), std::string::npos) << line;
  }
}

// Verifies that a key file that could not be read fails each call with a 500 naming the file
// (never reaching the upstream), logged as a failure.
TEST_F(VertexE2eTest, AnUnreadableKeyFileFailsEachCallSayingWhy) {
  ASSERT_NO_FATAL_FAILURE(start_with_upstream());
  HttpReply reply = chat("vx-nokey");
  EXPECT_EQ(reply.status, 500) << reply.body;
  EXPECT_NE(reply.body.find("could not be read"), std::string::npos) << reply.body;
  EXPECT_NE(reply.body.find("missing.json"), std::string::npos) << reply.body;
  EXPECT_TRUE(upstream_requests().empty());
  std::map<std::string, std::string> classes = failure_classes(1, "vertex_ai");
  EXPECT_EQ(classes["vx-nokey"], "APIConnectionError");
}

}  // namespace
}  // namespace llmtap::test
