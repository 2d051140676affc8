// End-to-end tests of the gateway routes (README "HTTP API") and the records they produce ("The
// record"), with the real binary, the real sink and the real mock upstream on loopback.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

std::string mock_config() {
  return ConfigBuilder().mock("gpt-3.5-turbo", "Hi from the mock").yaml();
}

std::string upstream_config() {
  return ConfigBuilder()
      .deployment("gpt-4o",
                  "model: openai/gpt-4o-2024-08-06\napi_key: os.environ/TEST_UPSTREAM_KEY\n"
                  "api_base: {UPSTREAM}/v1")
      .upstream("status-500", "status-500")
      .upstream("slow", "sleep-3000", "timeout: 0.3")
      .deployment("nowhere",
                  "model: openai/gpt-4o\napi_key: sk-upstream\napi_base: http://127.0.0.1:1/v1")
      .upstream("dropped", "close")
      .upstream("garbage", "garbage")
      .upstream("truncated", "truncated")
      .upstream("badutf8", "badutf8")
      .yaml();
}

using GatewayE2eTest = E2eFixture;

// Verifies that a mock_response chat call is answered in OpenAI's shape and its success record,
// with every field the reference shows, arrives at the callback endpoint.
TEST_F(GatewayE2eTest, MockChatCallIsAnsweredAndLogged) {
  start(mock_config());
  HttpReply reply = chat("gpt-3.5-turbo", "Hello there");
  ASSERT_TRUE(reply.ok()) << reply.error;
  ASSERT_EQ(reply.status, 200) << reply.body;
  std::string call_id = reply.header("x-litellm-call-id");
  ASSERT_EQ(call_id.size(), 36u);
  auto answer = parser_.parse(reply.body);
  ASSERT_FALSE(answer.error()) << reply.body;
  EXPECT_EQ(std::string_view(answer["choices"].at(0)["message"]["content"]), "Hi from the mock");

  auto lines = records(1);
  ASSERT_EQ(lines.size(), 1u);
  auto record = parser_.parse(lines[0]);
  ASSERT_FALSE(record.error()) << lines[0];
  EXPECT_EQ(std::string_view(record["litellm_call_id"]), call_id);
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_EQ(std::string_view(record["call_type"]), "acompletion");
  EXPECT_EQ(std::string_view(record["model_group"]), "gpt-3.5-turbo");
  EXPECT_EQ(int64_t(record["prompt_tokens"]), 10);
  EXPECT_EQ(int64_t(record["completion_tokens"]), 20);
  EXPECT_EQ(int64_t(record["total_tokens"]), 30);
  EXPECT_EQ(int64_t(record["usage"]["total_tokens"]), 30);
  // gpt-3.5-turbo in the bundled price map: 5e-07 per prompt token, 1.5e-06 per completion token.
  EXPECT_NEAR(double(record["response_cost"]), 10 * 5e-07 + 20 * 1.5e-06, 1e-12);
  EXPECT_NEAR(double(record["cost"]), double(record["response_cost"]), 1e-15);
  EXPECT_EQ(std::string_view(record["messages"].at(0)["content"]), "Hello there");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
            "Hi from the mock");
  EXPECT_GE(double(record["endTime"]), double(record["startTime"]));
  // The master key is never logged, only its hash.
  EXPECT_EQ(lines[0].find("sk-1234"), std::string::npos);
  // sha256("sk-1234"), computed outside llmtap (python3 hashlib).
  EXPECT_EQ(std::string_view(record["metadata"]["user_api_key_hash"]),
            "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b");
}

// Verifies that the master key is enforced: missing or wrong keys get 401 in OpenAI's shape.
TEST_F(GatewayE2eTest, MasterKeyIsRequired) {
  start(mock_config());
  HttpReply missing = chat("gpt-3.5-turbo", "hi", "");
  EXPECT_EQ(missing.status, 401);
  HttpReply wrong = chat("gpt-3.5-turbo", "hi", "sk-wrong");
  EXPECT_EQ(wrong.status, 401);
  auto body = parser_.parse(wrong.body);
  ASSERT_FALSE(body.error()) << wrong.body;
  EXPECT_EQ(std::string_view(body["error"]["code"]), "401");
  HttpReply right = chat("gpt-3.5-turbo", "hi", "sk-1234");
  EXPECT_EQ(right.status, 200);
}

// Verifies that bad JSON and unknown models get 400 / 404 errors and failure records.
TEST_F(GatewayE2eTest, BadRequestsGetErrorsAndFailureRecords) {
  start(mock_config());
  HttpReply bad = http_request(llmtap_.port, "POST", "/v1/chat/completions",
                               {{"Authorization", "Bearer sk-1234"}}, "{not json");
  EXPECT_EQ(bad.status, 400) << bad.body;
  HttpReply unknown = chat("no-such-model");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  auto error = parser_.parse(unknown.body);
  ASSERT_FALSE(error.error());
  EXPECT_EQ(std::string_view(error["error"]["param"]), "model");

  auto lines = records(2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "failure");
    EXPECT_EQ(int64_t(record["total_tokens"]), 0);
    EXPECT_EQ(double(record["response_cost"]), 0.0);
    EXPECT_FALSE(record["error_information"]["error_class"].is_null());
  }
}

// Verifies that calls are forwarded upstream with the deployment's key and model, the answer is
// passed through, and the record names the deployment.
TEST_F(GatewayE2eTest, ForwardsToUpstreamWithDeploymentKeyAndModel) {
  start(upstream_config(), {{"TEST_UPSTREAM_KEY", "sk-upstream-secret"}}, /*with_upstream=*/true);
  HttpReply reply = chat("gpt-4o", "forward me");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto answer = parser_.parse(reply.body);
  ASSERT_FALSE(answer.error()) << reply.body;
  EXPECT_EQ(std::string_view(answer["model"]), "gpt-4o-2024-08-06");

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find("Bearer sk-upstream-secret"), std::string::npos) << seen[0];
  EXPECT_EQ(seen[0].find("sk-1234"), std::string::npos) << "the client's key must not go upstream";

  auto lines = records(1);
  ASSERT_EQ(lines.size(), 1u);
  auto record = parser_.parse(lines[0]);
  ASSERT_FALSE(record.error());
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_EQ(std::string_view(record["model"]), "gpt-4o-2024-08-06");
  EXPECT_EQ(std::string_view(record["model_group"]), "gpt-4o");
  EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "openai");
  EXPECT_EQ(std::string_view(record["api_base"]), upstream_url() + "/v1");
  EXPECT_EQ(int64_t(record["prompt_tokens"]), 11);
  EXPECT_EQ(int64_t(record["completion_tokens"]), 7);
  EXPECT_EQ(lines[0].find("sk-upstream-secret"), std::string::npos)
      << "provider key leaked into the record";
}

// Verifies that upstream errors pass through with their status and produce failure records,
// and that connect failures, dropped connections and timeouts become 502 and 504.
TEST_F(GatewayE2eTest, UpstreamFailuresMapToStatusesAndFailureRecords) {
  start(upstream_config(), {{"TEST_UPSTREAM_KEY", "k"}}, /*with_upstream=*/true);
  EXPECT_EQ(chat("status-500").status, 500);
  EXPECT_EQ(chat("nowhere").status, 502);
  EXPECT_EQ(chat("slow").status, 504);
  EXPECT_EQ(chat("dropped").status, 502) << "an upstream that drops the connection mid-answer";

  auto lines = records(4);
  ASSERT_EQ(lines.size(), 4u);
  std::vector<std::string> codes;
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "failure");
    codes.emplace_back(std::string_view(record["error_information"]["error_code"]));
  }
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"500", "502", "502", "504"}));
}

// Verifies that a 2xx upstream answer that is not JSON, is cut short, or carries bytes that are
// not UTF-8 becomes an OpenAI-style 502 for the client and a failure record (error filled,
// response {}, no tokens or cost), and that the next call is served normally.
TEST_F(GatewayE2eTest, UpstreamInvalidJsonAnswerIsA502AndAFailureRecord) {
  start(upstream_config(), {{"TEST_UPSTREAM_KEY", "k"}}, /*with_upstream=*/true);
  for (const char* model : {"garbage", "truncated", "badutf8"}) {
    HttpReply reply = chat(model, "parse me");
    ASSERT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, 502) << model << ": " << reply.body;
    auto body = parser_.parse(reply.body);
    ASSERT_FALSE(body.error()) << model << ": the client's error must be JSON: " << reply.body;
    EXPECT_NE(std::string_view(body["error"]["message"]).find("invalid JSON"),
              std::string_view::npos)
        << reply.body;
    EXPECT_EQ(std::string_view(body["error"]["type"]), "api_error");
    EXPECT_EQ(std::string_view(body["error"]["code"]), "502");
  }
  EXPECT_EQ(chat("gpt-4o", "still there?").status, 200);

  auto lines = records(4);
  ASSERT_EQ(lines.size(), 4u);
  int failures = 0;
  for (const auto& line : lines) {
    auto record = parser_.parse(line);  // simdjson checks the whole record is valid UTF-8
    ASSERT_FALSE(record.error()) << line;
    if (std::string_view(record["status"]) == "success") continue;
    ++failures;
    EXPECT_EQ(std::string_view(record["error_information"]["error_code"]), "502");
    EXPECT_EQ(std::string_view(record["error_information"]["error_class"]), "APIError");
    EXPECT_NE(std::string_view(record["error_str"]).find("invalid JSON"), std::string_view::npos)
        << line;
    EXPECT_EQ(record["response"].get_object().size(), 0u) << line;
    EXPECT_EQ(int64_t(record["total_tokens"]), 0);
    EXPECT_EQ(double(record["response_cost"]), 0.0);
  }
  EXPECT_EQ(failures, 3);
}

// Verifies the health and model-list routes.
TEST_F(GatewayE2eTest, HealthAndModels) {
  start(mock_config());
  EXPECT_EQ(http_request(llmtap_.port, "GET", "/health/liveliness").status, 200);
  EXPECT_EQ(http_request(llmtap_.port, "GET", "/health/readiness").status, 200);
  HttpReply models =
      http_request(llmtap_.port, "GET", "/v1/models", {{"Authorization", "Bearer sk-1234"}});
  ASSERT_EQ(models.status, 200);
  auto body = parser_.parse(models.body);
  ASSERT_FALSE(body.error()) << models.body;
  EXPECT_EQ(std::string_view(body["data"].at(0)["id"]), "gpt-3.5-turbo");
  // LiteLLM serves every route without /v1 too.
  HttpReply bare =
      http_request(llmtap_.port, "GET", "/models", {{"Authorization", "Bearer sk-1234"}});
  EXPECT_EQ(bare.status, 200);
  EXPECT_EQ(bare.body, models.body);
}

}  // namespace
}  // namespace llmtap::test
