// Azure OpenAI deployments end to end. First the official `openai` SDK's AzureOpenAI client talks
// to the mock upstream directly, proving the mock answers Azure's URL form (deployments path,
// api-version query, api-key header) as Azure does. Then the plain OpenAI client talks to llmtap,
// llmtap forwards to the mock at Azure's URLs — bodies passed through, as for any OpenAI-wire
// upstream — and the records at the sink are LiteLLM's for azure: custom_llm_provider "azure",
// api_base the resource endpoint as configured, model the deployment name.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

class AzureE2eTest : public E2eFixture {
 protected:
  // Runs azure.mjs with `args` and returns each step's JSON line by step name.
  std::map<std::string, std::string> run_script(const std::vector<std::string>& args,
                                                std::size_t steps) {
    return run_node_steps("azure.mjs", args, steps);
  }

  // The mock's log of the request whose path is `path`, parsed into `into`; false when none.
  bool upstream_request(std::string_view path, simdjson::dom::parser& parser,
                        simdjson::dom::element& into) {
    for (const std::string& line : upstream_requests()) {
      auto doc = parser.parse(line);
      if (!doc.error() && std::string_view(doc["path"]) == path) {
        into = doc.value();
        return true;
      }
    }
    return false;
  }

  simdjson::dom::parser step_parser_;
  simdjson::dom::parser request_parser_;
};

// Verifies that the official AzureOpenAI client gets its answers from the mock: chat, stream,
// embeddings and text completions at /openai/deployments/<deployment>/…?api-version= with the
// api-key header, the deployment echoed as the model, an error status passed to the client, and
// Azure's v1 API (/openai/v1/…, model from the body) for the plain client.
TEST_F(AzureE2eTest, OfficialAzureClientTalksToTheMock) {
  ASSERT_NO_FATAL_FAILURE(launch_upstream());
  auto steps = run_script(
      {"azure", upstream_url(), "az-key", "2024-10-21", "chat=my-dep", "stream=my-dep",
       "embeddings=emb-dep", "completions=txt-dep", "error=status-429", "v1-chat=gpt-4o"},
      6);
  auto chat = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(std::string_view(chat["model"]), "my-dep");
  EXPECT_EQ(int64_t(chat["usage"]["total_tokens"]), 18);

  auto stream = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_EQ(std::string_view(stream["finish"]), "stop");
  EXPECT_EQ(int64_t(stream["usage"]["total_tokens"]), 18) << steps["stream"];

  auto embeddings = step_parser_.parse(steps["embeddings"]);
  ASSERT_FALSE(embeddings.error()) << steps["embeddings"];
  EXPECT_EQ(std::string_view(embeddings["object"]), "list") << steps["embeddings"];
  EXPECT_EQ(int64_t(embeddings["dimensions"]), 3);
  EXPECT_EQ(std::string_view(embeddings["model"]), "emb-dep");

  auto completions = step_parser_.parse(steps["completions"]);
  ASSERT_FALSE(completions.error()) << steps["completions"];
  EXPECT_EQ(std::string_view(completions["text"]), "mock answer") << steps["completions"];
  EXPECT_EQ(std::string_view(completions["model"]), "txt-dep");

  auto error = step_parser_.parse(steps["error"]);
  ASSERT_FALSE(error.error()) << steps["error"];
  EXPECT_EQ(int64_t(error["status"]), 429) << steps["error"];
  EXPECT_EQ(std::string_view(error["type"]), "RateLimitError");

  auto v1 = step_parser_.parse(steps["v1-chat"]);
  ASSERT_FALSE(v1.error()) << steps["v1-chat"];
  EXPECT_EQ(std::string_view(v1["content"]), "mock answer") << steps["v1-chat"];
  EXPECT_EQ(std::string_view(v1["model"]), "gpt-4o");

  simdjson::dom::element request;
  ASSERT_TRUE(
      upstream_request("/openai/deployments/my-dep/chat/completions", request_parser_, request));
  EXPECT_EQ(std::string_view(request["target"]),
            "/openai/deployments/my-dep/chat/completions?api-version=2024-10-21");
  EXPECT_EQ(std::string_view(request["headers"]["api-key"]), "az-key");
  EXPECT_TRUE(upstream_request("/openai/deployments/emb-dep/embeddings", request_parser_, request));
  EXPECT_TRUE(
      upstream_request("/openai/deployments/txt-dep/completions", request_parser_, request));
  EXPECT_TRUE(upstream_request("/openai/v1/chat/completions", request_parser_, request));
}

std::string config() {
  constexpr std::string_view kAzure =
      "api_base: {UPSTREAM}/\n"
      "api_key: az-upstream\n"
      "api_version: '2024-10-21'\n";
  return ConfigBuilder()
      .deployment("azure-chat", std::string("model: azure/my-dep\n").append(kAzure))
      .deployment("azure-embed", std::string("model: azure/emb-dep\n").append(kAzure))
      .deployment("azure-denied", std::string("model: azure/status-401\n").append(kAzure))
      // api_base, key and api_version from AZURE_API_BASE, AZURE_API_KEY and LiteLLM's default.
      .deployment("azure-env", "model: azure/env-dep\n")
      .deployment("azure-v1", std::string("model: azure/v1-dep\n"
                                          "api_base: {UPSTREAM}\n"
                                          "api_key: az-upstream\n"
                                          "api_version: v1\n"))
      // Azure AI off an Azure host: {api_base}/chat/completions with a bearer key, model in
      // the body.
      .deployment("foundry",
                  "model: azure_ai/mistral-large\n"
                  "api_base: {UPSTREAM}\n"
                  "api_key: ai-upstream\n"
                  "api_version: 2024-05-01-preview\n")
      .yaml();
}

// Verifies chat, stream, embeddings and an error through llmtap with the plain OpenAI client:
// llmtap sends each to the deployment's Azure URL with the api-key header (no bearer), the client
// sees the answers and statuses as Azure gave them (the upstream key masked), and each record is
// LiteLLM's for azure.
TEST_F(AzureE2eTest, OpenAiClientThroughLlmtapIsForwardedAndLoggedAsAzure) {
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  ASSERT_NO_FATAL_FAILURE(launch_upstream());
  start_llmtap_on(write_config(config()),
                  {{"AZURE_API_BASE", upstream_url()}, {"AZURE_API_KEY", "az-env-key"}});
  ASSERT_TRUE(llmtap_.ok()) << llmtap_.error;
  const std::string base = "http://127.0.0.1:" + std::to_string(llmtap_.port) + "/v1";
  auto steps = run_script({"openai", base, "sk-1234", "chat=azure-chat", "stream=azure-chat",
                           "embeddings=azure-embed", "error=azure-denied"},
                          4);
  auto chat = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(std::string_view(chat["model"]), "my-dep");
  const std::string chat_call_id{std::string_view(chat["call_id"])};

  auto stream = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_EQ(int64_t(stream["usage"]["total_tokens"]), 18) << steps["stream"];

  auto embeddings = step_parser_.parse(steps["embeddings"]);
  ASSERT_FALSE(embeddings.error()) << steps["embeddings"];
  EXPECT_EQ(int64_t(embeddings["dimensions"]), 3) << steps["embeddings"];
  EXPECT_EQ(std::string_view(embeddings["model"]), "emb-dep");

  auto error = step_parser_.parse(steps["error"]);
  ASSERT_FALSE(error.error()) << steps["error"];
  EXPECT_EQ(int64_t(error["status"]), 401) << steps["error"];
  EXPECT_EQ(std::string_view(error["type"]), "AuthenticationError");
  const std::string error_text{std::string_view(error["error"])};
  EXPECT_EQ(error_text.find("az-upstream"), std::string::npos) << error_text;

  simdjson::dom::element request;
  ASSERT_TRUE(
      upstream_request("/openai/deployments/my-dep/chat/completions", request_parser_, request));
  EXPECT_EQ(std::string_view(request["target"]),
            "/openai/deployments/my-dep/chat/completions?api-version=2024-10-21");
  EXPECT_EQ(std::string_view(request["headers"]["api-key"]), "az-upstream");
  EXPECT_TRUE(request["headers"]["authorization"].error()) << "no bearer key to Azure";
  ASSERT_TRUE(upstream_request("/openai/deployments/emb-dep/embeddings", request_parser_, request));
  EXPECT_EQ(std::string_view(request["target"]),
            "/openai/deployments/emb-dep/embeddings?api-version=2024-10-21");

  auto lines = records(4);
  ASSERT_EQ(lines.size(), 4u);
  std::map<std::string, int> seen;
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "azure") << line;
    EXPECT_EQ(std::string_view(record["api_base"]), upstream_url()) << line;
    const std::string group{std::string_view(record["model_group"])};
    ++seen[group];
    if (group == "azure-chat") {
      EXPECT_EQ(std::string_view(record["status"]), "success") << line;
      EXPECT_EQ(std::string_view(record["model"]), "my-dep");
      EXPECT_EQ(int64_t(record["total_tokens"]), 18) << line;
      EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
                "mock answer");
      if (!bool(record["stream"])) {
        EXPECT_EQ(std::string_view(record["litellm_call_id"]), chat_call_id);
      }
    } else if (group == "azure-embed") {
      EXPECT_EQ(std::string_view(record["status"]), "success") << line;
      EXPECT_EQ(std::string_view(record["call_type"]), "aembedding");
      EXPECT_EQ(std::string_view(record["model"]), "emb-dep");
    } else if (group == "azure-denied") {
      EXPECT_EQ(std::string_view(record["status"]), "failure") << line;
      EXPECT_EQ(std::string_view(record["model"]), "status-401");
      EXPECT_EQ(std::string_view(record["error_information"]["error_class"]),
                "AuthenticationError");
      EXPECT_EQ(line.find("az-upstream"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(seen["azure-chat"], 2);
  EXPECT_EQ(seen["azure-embed"], 1);
  EXPECT_EQ(seen["azure-denied"], 1);
}

// Verifies the environment fallbacks and Azure's v1 API through llmtap: a deployment with no
// api_base, key or api_version goes to AZURE_API_BASE with AZURE_API_KEY and LiteLLM's default
// api-version; api_version v1 goes to /openai/v1/chat/completions with the deployment as the
// body's model and no query; an azure_ai deployment goes to {api_base}/chat/completions.
TEST_F(AzureE2eTest, EnvironmentFallbacksAndTheV1Api) {
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  ASSERT_NO_FATAL_FAILURE(launch_upstream());
  start_llmtap_on(write_config(config()),
                  {{"AZURE_API_BASE", upstream_url()}, {"AZURE_API_KEY", "az-env-key"}});
  ASSERT_TRUE(llmtap_.ok()) << llmtap_.error;
  HttpReply from_env = chat("azure-env");
  EXPECT_EQ(from_env.status, 200) << from_env.body;
  HttpReply v1 = chat("azure-v1");
  EXPECT_EQ(v1.status, 200) << v1.body;
  HttpReply foundry = chat("foundry");
  EXPECT_EQ(foundry.status, 200) << foundry.body;

  simdjson::dom::element request;
  ASSERT_TRUE(
      upstream_request("/openai/deployments/env-dep/chat/completions", request_parser_, request));
  EXPECT_EQ(std::string_view(request["target"]),
            "/openai/deployments/env-dep/chat/completions?api-version=2025-02-01-preview");
  EXPECT_EQ(std::string_view(request["headers"]["api-key"]), "az-env-key");
  ASSERT_TRUE(upstream_request("/openai/v1/chat/completions", request_parser_, request));
  EXPECT_EQ(std::string_view(request["target"]), "/openai/v1/chat/completions");
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_EQ(std::string_view(sent["model"]), "v1-dep");
  ASSERT_TRUE(upstream_request("/chat/completions", request_parser_, request));
  EXPECT_EQ(std::string_view(request["target"]),
            "/chat/completions?api-version=2024-05-01-preview");
  EXPECT_EQ(std::string_view(request["headers"]["authorization"]), "Bearer ai-upstream");
  EXPECT_TRUE(request["headers"]["api-key"].error()) << "api-key only on Azure hosts";
  const std::string foundry_body{std::string_view(request["body"])};
  auto foundry_sent = step_parser_.parse(foundry_body);
  ASSERT_FALSE(foundry_sent.error()) << foundry_body;
  EXPECT_EQ(std::string_view(foundry_sent["model"]), "mistral-large");

  auto lines = records(3);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    const bool foundry_record = std::string_view(record["model_group"]) == "foundry";
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]),
              foundry_record ? "azure_ai" : "azure")
        << line;
    EXPECT_EQ(std::string_view(record["api_base"]), upstream_url()) << line;
  }
}

}  // namespace
}  // namespace llmtap::test
