// Anthropic deployments end to end: the official `openai` SDK talks to llmtap, llmtap talks the
// Messages API to the Anthropic mock (tests/support/mock_anthropic.h, itself checked by the
// official @anthropic-ai/sdk in anthropic_sdk_test.cc), and the records at the sink are the ones
// LiteLLM logs for these calls: provider, full api_base, OpenAI-shaped response, usage with the
// cache tokens, cost from the price map, failures with LiteLLM's classes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

std::string config() {
  constexpr std::string_view kAnthropic =
      "api_base: {UPSTREAM}\n"
      "api_key: sk-ant-upstream\n";
  return ConfigBuilder()
      .deployment("claude", std::string("model: anthropic/claude-sonnet-4-5\n").append(kAnthropic))
      .deployment("claude-tool",
                  std::string("model: anthropic/claude-sonnet-4-5-tool\n").append(kAnthropic))
      .deployment("claude-cache",
                  std::string("model: anthropic/claude-sonnet-4-5-cache\n").append(kAnthropic))
      .deployment("claude-overloaded",
                  std::string("model: anthropic/status-529\n").append(kAnthropic))
      .deployment("claude-broken",
                  std::string("model: anthropic/midstream-error\n").append(kAnthropic))
      .deployment("claude-unsupported", std::string("model: anthropic/claude-sonnet-4-5\n"
                                                    "drop_params: false\n")
                                            .append(kAnthropic))
      .yaml();
}

class AnthropicE2eTest : public E2eFixture {
 protected:
  simdjson::dom::parser step_parser_;
};

// Verifies a chat call: the SDK gets an OpenAI chat.completion with the mock's answer and usage,
// Anthropic got a Messages request (x-api-key, anthropic-version, system on top, max_tokens),
// and the record says anthropic, the full /v1/messages URL, the usage and the price map's cost.
TEST_F(AnthropicE2eTest, ChatIsTranslatedBothWaysAndLoggedAsLiteLlmLogsIt) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"chat=claude"});
  auto chat = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(std::string_view(chat["finish"]), "stop");
  EXPECT_EQ(std::string_view(chat["object"]), "chat.completion");
  EXPECT_EQ(int64_t(chat["usage"]["prompt_tokens"]), 11);
  EXPECT_EQ(int64_t(chat["usage"]["completion_tokens"]), 7);
  EXPECT_EQ(int64_t(chat["usage"]["total_tokens"]), 18);
  const std::string answer_id{std::string_view(chat["id"])};
  const std::string call_id{std::string_view(chat["call_id"])};

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  auto request = parser_.parse(seen[0]);
  ASSERT_FALSE(request.error());
  EXPECT_EQ(std::string_view(request["path"]), "/v1/messages");
  EXPECT_EQ(std::string_view(request["headers"]["x-api-key"]), "sk-ant-upstream");
  EXPECT_EQ(std::string_view(request["headers"]["anthropic-version"]), "2023-06-01");
  EXPECT_TRUE(request["headers"]["authorization"].error()) << "no bearer key to Anthropic";
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_EQ(std::string_view(sent["model"]), "claude-sonnet-4-5");
  EXPECT_EQ(int64_t(sent["max_tokens"]), 100);
  EXPECT_EQ(std::string_view(sent["system"].at(0)["text"]), "You are terse.");
  EXPECT_EQ(std::string_view(sent["messages"].at(0)["role"]), "user");

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "anthropic");
  EXPECT_EQ(std::string_view(record["model"]), "claude-sonnet-4-5");
  EXPECT_EQ(std::string_view(record["model_group"]), "claude");
  EXPECT_EQ(std::string_view(record["api_base"]), upstream_url() + "/v1/messages");
  EXPECT_EQ(int64_t(record["prompt_tokens"]), 11);
  EXPECT_EQ(int64_t(record["completion_tokens"]), 7);
  EXPECT_DOUBLE_EQ(double(record["response_cost"]), 11 * 3e-06 + 7 * 1.5e-05);
  EXPECT_EQ(std::string_view(record["response"]["object"]), "chat.completion");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
            "mock answer");
  // LiteLLM's own id for the answer ("chatcmpl-…"), not Anthropic's msg_ id.
  EXPECT_EQ(answer_id, "chatcmpl-" + call_id);
  EXPECT_EQ(std::string_view(record["response"]["id"]), answer_id);
  EXPECT_EQ(std::string_view(record["litellm_call_id"]), call_id);
  // Anthropic's rate-limit headers under OpenAI's names, and every header as llm_provider-*.
  auto headers = record["hidden_params"]["additional_headers"];
  EXPECT_EQ(int64_t(headers["x_ratelimit_limit_requests"]), 4000) << lines_[0];
  EXPECT_EQ(int64_t(headers["x_ratelimit_remaining_tokens"]), 479982);
  EXPECT_EQ(std::string_view(headers["llm_provider-anthropic-ratelimit-requests-limit"]), "4000");
}

// Verifies a stream: the SDK reads OpenAI chunks (role first, the text, finish_reason, the usage
// it asked for), and the record holds the assembled answer and its usage.
TEST_F(AnthropicE2eTest, StreamIsTranslatedChunkByChunk) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"stream=claude"});
  auto stream = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_EQ(std::string_view(stream["role"]), "assistant");
  EXPECT_EQ(std::string_view(stream["finish"]), "stop");
  EXPECT_EQ(int64_t(stream["usage"]["total_tokens"]), 18) << steps["stream"];

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  auto request = parser_.parse(seen[0]);
  ASSERT_FALSE(request.error());
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_TRUE(bool(sent["stream"]));
  // No max_tokens from the client: the model's max output tokens in the price map.
  EXPECT_EQ(int64_t(sent["max_tokens"]), 64000);
  EXPECT_TRUE(sent["stream_options"].error()) << "Anthropic takes no stream_options";

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_EQ(int64_t(record["total_tokens"]), 18);
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
            "mock answer");
}

// Verifies tool calls both ways: a tool_use answer is an OpenAI tool call with its input as a
// JSON string, and streamed, its arguments assemble across chunks into the same JSON; a
// response_format answer comes back as content.
TEST_F(AnthropicE2eTest, ToolCallsWholeAndStreamed) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps =
      run_providers_client({"tools=claude-tool", "tools-stream=claude-tool", "json=claude-tool"});
  expect_weather_tool_call(steps, "toolu_mock1");

  // response_format went to Anthropic as LiteLLM's json_tool_call tool; its input is the content.
  auto json = step_parser_.parse(steps["json"]);
  ASSERT_FALSE(json.error()) << steps["json"];
  EXPECT_EQ(std::string_view(json["content"]), R"({"city":"Paris"})") << steps["json"];
  EXPECT_EQ(std::string_view(json["finish"]), "stop");
  EXPECT_EQ(int64_t(json["tool_calls"]), 0);

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 3u);
  auto request = parser_.parse(seen[0]);
  ASSERT_FALSE(request.error());
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_EQ(std::string_view(sent["tools"].at(0)["name"]), "get_weather");
  EXPECT_EQ(std::string_view(sent["tools"].at(0)["input_schema"]["type"]), "object");
  EXPECT_EQ(std::string_view(sent["tool_choice"]["type"]), "auto");
  EXPECT_EQ(records(3).size(), 3u);
}

// Verifies errors: Anthropic's 529 overloaded_error reaches the SDK as a 529 with LiteLLM's
// message and the record is a failure classed InternalServerError; an error event mid-stream
// ends the SDK's stream with an error and is a failure record with what was received; a
// parameter Anthropic does not take is a 400 naming it; embeddings are a 400 saying why.
TEST_F(AnthropicE2eTest, ErrorsAreMappedAndLoggedAsFailures) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"error=claude-overloaded", "stream-error=claude-broken"});
  auto overloaded = step_parser_.parse(steps["error"]);
  ASSERT_FALSE(overloaded.error()) << steps["error"];
  EXPECT_EQ(int64_t(overloaded["status"]), 529) << steps["error"];
  EXPECT_NE(std::string_view(overloaded["error"]).find("AnthropicException"), std::string::npos)
      << steps["error"];

  auto broken = step_parser_.parse(steps["stream-error"]);
  ASSERT_FALSE(broken.error()) << steps["stream-error"];
  EXPECT_NE(std::string_view(broken["error"]).find("Overloaded"), std::string::npos)
      << steps["stream-error"];

  HttpReply seed =
      post("/v1/chat/completions",
           R"({"model":"claude-unsupported","seed":7,"messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(seed.status, 400) << seed.body;
  EXPECT_NE(seed.body.find("seed"), std::string::npos) << seed.body;
  HttpReply embed = post("/v1/embeddings", R"({"model":"claude","input":"x"})");
  EXPECT_EQ(embed.status, 400) << embed.body;
  EXPECT_NE(embed.body.find("does not serve"), std::string::npos) << embed.body;

  auto lines = records(4);
  ASSERT_EQ(lines.size(), 4u);
  std::map<std::string, std::string> classes;
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "failure") << line;
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "anthropic") << line;
    classes[std::string(std::string_view(record["model_group"]))] =
        std::string(std::string_view(record["error_information"]["error_class"]));
  }
  EXPECT_EQ(classes["claude-overloaded"], "InternalServerError");
  EXPECT_EQ(classes["claude-broken"], "InternalServerError");
  EXPECT_EQ(classes["claude-unsupported"], "UnsupportedParamsError");
  EXPECT_EQ(classes["claude"], "BadRequestError");
}

}  // namespace
}  // namespace llmtap::test
