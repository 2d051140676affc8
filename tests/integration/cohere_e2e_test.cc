// Cohere deployments end to end: the official `openai` SDK talks to llmtap, llmtap talks Cohere's
// v2 API to the Cohere mock (tests/support/mock_cohere.h, itself checked by the official cohere-ai
// SDK in cohere_sdk_test.cc), and the records at the sink are the ones LiteLLM logs for these
// calls: custom_llm_provider cohere_chat for a chat model of the price map (else cohere), the
// v2 URL as api_base, OpenAI-shaped response, Cohere's usage.tokens, cost from the price map,
// failures with LiteLLM's classes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

std::string config() {
  constexpr std::string_view kChat =
      "api_base: {UPSTREAM}/v2/chat\n"
      "api_key: co-upstream\n";
  return ConfigBuilder()
      .deployment("cmd-r", std::string("model: cohere/command-r-08-2024\n").append(kChat))
      .deployment("cmd-tool", std::string("model: cohere/command-tool\n").append(kChat))
      .deployment("cmd-busy", std::string("model: cohere/status-429\n").append(kChat))
      .deployment("cmd-broken", std::string("model: cohere/midstream-error\n").append(kChat))
      // LiteLLM takes a cohere api_base as the full URL of every route.
      .deployment("cmd-embed",
                  "model: cohere/embed-english-v3.0\n"
                  "api_base: {UPSTREAM}/v2/embed\n"
                  "api_key: co-upstream\n")
      .yaml();
}

class CohereE2eTest : public E2eFixture {
 protected:
  simdjson::dom::parser step_parser_;
};

// Verifies chat and stream: the SDK gets OpenAI's answer and usage (Cohere's usage.tokens), Cohere
// got a v2 chat body with LiteLLM's headers, and the records say cohere_chat (a chat model of the
// price map), the /v2/chat URL, the usage and the price map's cost.
TEST_F(CohereE2eTest, ChatAndStreamAreTranslatedAndLoggedAsLiteLlmLogsThem) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"chat=cmd-r", "stream=cmd-r"});
  auto chat = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(std::string_view(chat["finish"]), "stop");
  EXPECT_EQ(int64_t(chat["usage"]["prompt_tokens"]), 71);
  EXPECT_EQ(int64_t(chat["usage"]["completion_tokens"]), 7);
  auto stream = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_EQ(std::string_view(stream["finish"]), "stop");
  EXPECT_EQ(int64_t(stream["usage"]["total_tokens"]), 78) << steps["stream"];

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 2u);
  auto request = parser_.parse(seen[0]);
  ASSERT_FALSE(request.error());
  EXPECT_EQ(std::string_view(request["path"]), "/v2/chat");
  EXPECT_EQ(std::string_view(request["headers"]["authorization"]), "Bearer co-upstream");
  EXPECT_EQ(std::string_view(request["headers"]["request-source"]), "unspecified:litellm");
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_EQ(std::string_view(sent["model"]), "command-r-08-2024") << body;
  EXPECT_EQ(int64_t(sent["max_tokens"]), 100) << body;

  auto lines = records(2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "cohere_chat") << line;
    EXPECT_EQ(std::string_view(record["model"]), "command-r-08-2024");
    EXPECT_EQ(std::string_view(record["api_base"]), upstream_url() + "/v2/chat");
    EXPECT_EQ(int64_t(record["prompt_tokens"]), 71) << line;
    EXPECT_DOUBLE_EQ(double(record["response_cost"]), 71 * 1.5e-07 + 7 * 6e-07) << line;
    EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
              "mock answer");
  }
}

// Verifies tool calls whole and streamed (arguments assembled across chunks), and embeddings
// through Cohere's /v2/embed with output_dimension from `dimensions`.
TEST_F(CohereE2eTest, ToolCallsAndEmbeddings) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client(
      {"tools=cmd-tool", "tools-stream=cmd-tool", "embeddings-float=cmd-embed"});
  expect_weather_tool_call(steps, "get_weather_mock1");

  auto embed = step_parser_.parse(steps["embeddings-float"]);
  ASSERT_FALSE(embed.error()) << steps["embeddings-float"];
  EXPECT_EQ(int64_t(embed["count"]), 2) << steps["embeddings-float"];
  EXPECT_EQ(simdjson::dom::array(embed["vectors"].at(0)).size(), 4u);

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 3u);
  auto request = parser_.parse(seen[2]);
  ASSERT_FALSE(request.error());
  EXPECT_EQ(std::string_view(request["path"]), "/v2/embed");
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_EQ(std::string_view(sent["input_type"]), "search_document") << body;
  EXPECT_EQ(int64_t(sent["output_dimension"]), 4) << body;

  auto lines = records(3);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    // Neither model is a cohere_chat entry of the price map.
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "cohere") << line;
    if (std::string_view(record["model_group"]) == "cmd-embed") {
      EXPECT_EQ(std::string_view(record["call_type"]), "aembedding") << line;
      EXPECT_EQ(std::string_view(record["api_base"]), upstream_url() + "/v2/embed") << line;
      EXPECT_EQ(int64_t(record["prompt_tokens"]), 6) << line;
    }
  }
}

// Verifies errors: Cohere's 429 falls through LiteLLM's mapping to APIConnectionError (500)
// with its "CohereException - " message; an error in message-end ends the SDK's stream with an
// error and is a failure record; text completions are a 400.
TEST_F(CohereE2eTest, ErrorsAreMappedAndLoggedAsFailures) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"error=cmd-busy", "stream-error=cmd-broken"});
  auto busy = step_parser_.parse(steps["error"]);
  ASSERT_FALSE(busy.error()) << steps["error"];
  EXPECT_EQ(int64_t(busy["status"]), 500) << steps["error"];
  EXPECT_NE(std::string_view(busy["error"]).find("CohereException - "), std::string::npos)
      << steps["error"];
  auto broken = step_parser_.parse(steps["stream-error"]);
  ASSERT_FALSE(broken.error()) << steps["stream-error"];
  EXPECT_NE(std::string_view(broken["error"]).find("internal error"), std::string::npos)
      << steps["stream-error"];
  HttpReply text = post("/v1/completions", R"({"model":"cmd-tool","prompt":"x"})");
  EXPECT_EQ(text.status, 400) << text.body;
  EXPECT_NE(text.body.find("does not serve"), std::string::npos) << text.body;

  std::map<std::string, std::string> classes = failure_classes(3, "cohere");
  EXPECT_EQ(classes["cmd-busy"], "APIConnectionError");
  EXPECT_EQ(classes["cmd-tool"], "BadRequestError");
  // LiteLLM's catch-all for the error Cohere's message-end carries.
  EXPECT_EQ(classes["cmd-broken"], "APIConnectionError");
}

}  // namespace
}  // namespace llmtap::test
