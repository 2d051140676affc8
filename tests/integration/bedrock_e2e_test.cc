// Bedrock deployments end to end: the official `openai` SDK talks to llmtap, llmtap talks
// Converse to the Bedrock mock (tests/support/mock_bedrock.h, itself checked by the official
// @aws-sdk/client-bedrock-runtime in bedrock_sdk_test.cc) — every request signed with SigV4 and
// the signature verified by the mock, which answers 403 to a wrong one — and the records at the
// sink are the ones LiteLLM logs for these calls: custom_llm_provider bedrock, the model as
// written, the Converse URL as api_base, the usage and the price map's cost, failures with
// LiteLLM's classes, and never a secret.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "integration/e2e_fixture.h"
#include "support/mock_bedrock.h"

namespace llmtap::test {
namespace {

std::string keys(const MockAwsCredentials& credentials) {
  return "aws_access_key_id: " + std::string(credentials.access_key_id) +
         "\naws_secret_access_key: " + std::string(credentials.secret_access_key) +
         "\naws_region_name: us-east-1\napi_base: {UPSTREAM}\n";
}

std::string config() {
  const std::string signed_keys = keys(kMockAwsCredentials[0]);
  MockAwsCredentials wrong = kMockAwsCredentials[0];
  wrong.secret_access_key = "not-the-secret";
  return ConfigBuilder()
      .deployment("haiku", "model: bedrock/anthropic.claude-3-haiku-20240307-v1:0\n" + signed_keys)
      .deployment("tooler", "model: bedrock/converse/anthropic.claude-tool-v1:0\n" + signed_keys)
      .deployment("busy", "model: bedrock/anthropic.status-429-v1:0\n" + signed_keys)
      .deployment("broken", "model: bedrock/anthropic.midstream-error-v1:0\n" + signed_keys)
      .deployment("badframe", "model: bedrock/anthropic.badframe-v1:0\n" + signed_keys)
      .deployment("wrong-secret", "model: bedrock/amazon.nova-lite-v1:0\n" + keys(wrong))
      // The AWS_* variables' temporary credentials (session token signed too).
      .deployment("session", "model: bedrock/us.amazon.nova-lite-v1:0\napi_base: {UPSTREAM}\n")
      // A Bedrock API key: a bearer token instead of a signature.
      .deployment("api-key",
                  "model: bedrock/amazon.nova-micro-v1:0\napi_base: {UPSTREAM}\n"
                  "api_key: " +
                      std::string(kMockBedrockApiKey) + "\n")
      .yaml();
}

EnvVars session_env() {
  const MockAwsCredentials& session = kMockAwsCredentials[1];
  return {{"AWS_ACCESS_KEY_ID", std::string(session.access_key_id)},
          {"AWS_SECRET_ACCESS_KEY", std::string(session.secret_access_key)},
          {"AWS_SESSION_TOKEN", std::string(session.session_token)},
          {"AWS_REGION", "eu-west-1"}};
}

class BedrockE2eTest : public E2eFixture {
 protected:
  simdjson::dom::parser step_parser_;
};

// Verifies chat and stream: the SDK gets OpenAI's answer and usage, the mock got signed Converse
// bodies at the model's URLs (no model or stream in the body), and the records say bedrock, the
// model as written, the Converse URL, the usage and the price map's cost.
TEST_F(BedrockE2eTest, ChatAndStreamAreSignedTranslatedAndLogged) {
  start(config(), session_env(), /*with_upstream=*/true);
  auto steps = run_providers_client({"chat=haiku", "stream=haiku"});
  auto chat = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(std::string_view(chat["finish"]), "stop");
  EXPECT_EQ(int64_t(chat["usage"]["prompt_tokens"]), 11);
  EXPECT_EQ(int64_t(chat["usage"]["completion_tokens"]), 7);
  auto stream = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_EQ(std::string_view(stream["finish"]), "stop");

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 2u);
  const std::string model_path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0";
  for (std::size_t i = 0; i < seen.size(); ++i) {
    auto request = parser_.parse(seen[i]);
    ASSERT_FALSE(request.error());
    EXPECT_EQ(std::string_view(request["path"]),
              model_path + (i == 0 ? "/converse" : "/converse-stream"));
    const std::string_view authorization = request["headers"]["authorization"];
    EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDMOCKBEDROCK/"))
        << authorization;
    EXPECT_NE(authorization.find("/us-east-1/bedrock/aws4_request"), std::string_view::npos);
    const std::string body{std::string_view(request["body"])};
    auto sent = step_parser_.parse(body);
    ASSERT_FALSE(sent.error()) << body;
    EXPECT_TRUE(sent["model"].error()) << body;
    EXPECT_TRUE(sent["stream"].error()) << body;
    EXPECT_EQ(std::string_view(sent["messages"].at(0)["role"]), "user") << body;
  }

  auto lines = records(2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "bedrock") << line;
    EXPECT_EQ(std::string_view(record["model"]), "bedrock/anthropic.claude-3-haiku-20240307-v1:0");
    const bool streamed = bool(record["stream"]);
    EXPECT_EQ(std::string_view(record["api_base"]),
              upstream_url() + model_path + (streamed ? "/converse-stream" : "/converse"))
        << line;
    EXPECT_EQ(int64_t(record["prompt_tokens"]), 11) << line;
    EXPECT_EQ(int64_t(record["completion_tokens"]), 7) << line;
    EXPECT_DOUBLE_EQ(double(record["response_cost"]), 11 * 2.5e-07 + 7 * 1.25e-06) << line;
    EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
              "mock answer");
  }
}

// Verifies tool calls whole and streamed (arguments assembled across chunks), temporary
// credentials from the AWS_* variables (the session token signed) and a Bedrock API key.
TEST_F(BedrockE2eTest, ToolCallsSessionCredentialsAndApiKeys) {
  start(config(), session_env(), /*with_upstream=*/true);
  auto steps = run_providers_client(
      {"tools=tooler", "tools-stream=tooler", "chat=session", "stream=api-key"});
  expect_weather_tool_call(steps, "tooluse_mock1");
  auto session = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(session.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(session["content"]), "mock answer") << steps["chat"];
  auto api_key = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(api_key.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(api_key["content"]), "mock answer") << steps["stream"];

  bool saw_session = false, saw_bearer = false;
  for (const std::string& line : upstream_requests()) {
    auto request = parser_.parse(line);
    ASSERT_FALSE(request.error());
    const std::string_view authorization = request["headers"]["authorization"];
    if (authorization.starts_with("AWS4-HMAC-SHA256 Credential=ASIAMOCKSESSION/")) {
      saw_session = true;
      EXPECT_NE(authorization.find("/eu-west-1/bedrock/aws4_request"), std::string_view::npos);
      EXPECT_EQ(std::string_view(request["headers"]["x-amz-security-token"]),
                kMockAwsCredentials[1].session_token);
    }
    if (authorization == "Bearer " + std::string(kMockBedrockApiKey)) saw_bearer = true;
  }
  EXPECT_TRUE(saw_session);
  EXPECT_TRUE(saw_bearer);
  EXPECT_EQ(failure_classes(4, "bedrock").size(), 0u);
}

// Verifies errors: Bedrock's ThrottlingException is a 429 RateLimitError; a signature the mock
// rejects (403) falls through LiteLLM's Bedrock mapping (no rule names its message or 403) to
// the catch-all APIConnectionError (500), and its record names no secret; an exception frame
// mid-stream and a frame whose CRC is wrong end the SDK's stream with an error and are failure
// records; text completions are a 400.
TEST_F(BedrockE2eTest, ErrorsAreMappedAndLoggedAsFailures) {
  start(config(), session_env(), /*with_upstream=*/true);
  auto steps = run_providers_client({"error=busy", "stream-error=broken"});
  auto busy = step_parser_.parse(steps["error"]);
  ASSERT_FALSE(busy.error()) << steps["error"];
  EXPECT_EQ(int64_t(busy["status"]), 429) << steps["error"];
  auto broken = step_parser_.parse(steps["stream-error"]);
  ASSERT_FALSE(broken.error()) << steps["stream-error"];
  EXPECT_NE(std::string_view(broken["error"]).find("Too many tokens"), std::string::npos)
      << steps["stream-error"];
  HttpReply denied = chat("wrong-secret");
  EXPECT_EQ(denied.status, 500) << denied.body;
  EXPECT_NE(denied.body.find("signature we calculated does not match"), std::string::npos)
      << denied.body;
  HttpReply bad_frame =
      post("/v1/chat/completions",
           R"({"model":"badframe","stream":true,"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(bad_frame.status, 200) << bad_frame.body;
  EXPECT_NE(bad_frame.body.find("\"error\""), std::string::npos) << bad_frame.body;
  HttpReply text = post("/v1/completions", R"({"model":"haiku","prompt":"x"})");
  EXPECT_EQ(text.status, 400) << text.body;
  EXPECT_NE(text.body.find("does not serve"), std::string::npos) << text.body;

  std::map<std::string, std::string> classes = failure_classes(5, "bedrock");
  EXPECT_EQ(classes["busy"], "RateLimitError");
  EXPECT_EQ(classes["broken"], "RateLimitError");
  EXPECT_EQ(classes["wrong-secret"], "APIConnectionError");
  EXPECT_FALSE(classes["badframe"].empty());
  EXPECT_EQ(classes["haiku"], "BadRequestError");
  for (const std::string& line : records(5)) {
    for (std::string_view secret :
         {kMockAwsCredentials[0].secret_access_key, kMockAwsCredentials[1].secret_access_key,
          kMockAwsCredentials[1].session_token}) {
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
    }
  }
}

}  // namespace
}  // namespace llmtap::test
