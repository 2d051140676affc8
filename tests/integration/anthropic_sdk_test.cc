// The Anthropic mock (tests/support/mock_anthropic.h) proven by Anthropic's own client: the
// official @anthropic-ai/sdk npm package (tests/integration/provider_sdks/anthropic.mjs, installed
// by scripts/install-deps.sh) calls the mock upstream directly, whole and streamed, and its own
// parsing and stream accumulator must turn the mock's answers, SSE events and errors into the
// message, tool input, usage and error classes a real Anthropic answer gives. Run with the latest
// SDK (API version 2026-10-21, key as a bearer token) and the last 0.x (2023-06-01, x-api-key,
// what LiteLLM and llmtap send).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "integration/node_steps.h"
#include "integration/step_json.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr std::string_view kKey = "sk-ant-sdk";

// One mock upstream process, and anthropic.mjs run against it with the SDK named by the parameter
// ("latest" or "v0").
class AnthropicSdkTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
  }

  bool latest() const { return GetParam() == "latest"; }

  // Runs every step and keeps each step's JSON line by its name.
  void run_sdk() {
    EnvVars env;
    if (!latest()) env.emplace_back("ANTHROPIC_SDK", "v0");
    steps_ = run_node_steps(
        "provider_sdks/anthropic.mjs",
        {"http://127.0.0.1:" + std::to_string(mock_.port), std::string(kKey), "create",
         "create-cache", "tool", "stream", "stream-tool", "stream-error", "errors", "sampling"},
        8, env);
    for (const auto& [name, line] : steps_) {
      simdjson::dom::element doc = parser_.parse(line).value_unsafe();
      EXPECT_EQ(text(doc["sdk"]), GetParam()) << line;
      EXPECT_TRUE(doc["unexpected"].error()) << "the SDK failed a step: " << line;
    }
    ASSERT_EQ(steps_.size(), 8u);
  }

  // The step's line, parsed (valid until the next call).
  simdjson::dom::element step(const std::string& name) {
    return parser_.parse(steps_[name]).value_unsafe();
  }

  TempDir dir_;
  StartedServer mock_;
  std::map<std::string, std::string> steps_;
  simdjson::dom::parser parser_;
};

// Verifies that the SDK reads a whole answer as a Message: text block, stop reason, numeric usage
// (with the cache marker's cache tokens), request id and rate-limit headers; and a tool_use block
// with its parsed input.
TEST_P(AnthropicSdkTest, WholeAnswersAreMessages) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element create = step("create");
  EXPECT_EQ(text(create["text"]), "mock answer") << steps_["create"];
  EXPECT_THAT(text(create["id"]), StartsWith("msg_mock"));
  EXPECT_EQ(text(create["type"]), "message");
  EXPECT_EQ(text(create["role"]), "assistant");
  EXPECT_EQ(text(create["model"]), "claude-test");
  EXPECT_EQ(text(create["stop_reason"]), "end_turn");
  EXPECT_TRUE(create["stop_sequence"].is_null());
  EXPECT_THAT(strings(create["blocks"]), ElementsAre("text"));
  EXPECT_EQ(simdjson::minify(create["usage"]),
            R"({"input_tokens":11,"output_tokens":7,"cache_creation_input_tokens":0,)"
            R"("cache_read_input_tokens":0})");
  for (auto field : simdjson::dom::object(create["usage_types"]))
    EXPECT_EQ(text(field.value), "number") << field.key;
  EXPECT_THAT(text(create["request_id"]), StartsWith("req_mock"));
  EXPECT_EQ(text(create["ratelimit_remaining"]), "3999");

  simdjson::dom::element cache = step("create-cache");
  EXPECT_EQ(int64_t(cache["usage"]["cache_creation_input_tokens"]), 5) << steps_["create-cache"];
  EXPECT_EQ(int64_t(cache["usage"]["cache_read_input_tokens"]), 3);

  simdjson::dom::element tool = step("tool");
  EXPECT_THAT(strings(tool["blocks"]), ElementsAre("text", "tool_use")) << steps_["tool"];
  EXPECT_EQ(text(tool["stop_reason"]), "tool_use");
  EXPECT_EQ(simdjson::minify(tool["tool_use"]),
            R"([{"type":"tool_use","id":"toolu_mock1","name":"get_weather",)"
            R"("input":{"city":"Paris"}}])");
}

// Verifies that the SDK's own stream accumulator assembles the mock's SSE events into the same
// message: the text from its deltas, the usage from message_start and message_delta, and the
// tool_use input from the partial JSON pieces.
TEST_P(AnthropicSdkTest, StreamsAssembleIntoMessages) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element stream = step("stream");
  EXPECT_EQ(text(stream["text"]), "mock answer") << steps_["stream"];
  EXPECT_THAT(strings(stream["text_deltas"]), ElementsAre("mock", " ans", "wer"));
  EXPECT_EQ(text(stream["stop_reason"]), "end_turn");
  EXPECT_EQ(simdjson::minify(stream["usage"]),
            R"({"input_tokens":11,"output_tokens":7,"cache_creation_input_tokens":5,)"
            R"("cache_read_input_tokens":3})");
  EXPECT_THAT(strings(stream["events"]),
              ElementsAre("message_start", "content_block_start", "content_block_delta",
                          "content_block_delta", "content_block_delta", "content_block_stop",
                          "message_delta", "message_stop"));

  simdjson::dom::element tool = step("stream-tool");
  EXPECT_THAT(strings(tool["blocks"]), ElementsAre("text", "tool_use")) << steps_["stream-tool"];
  EXPECT_EQ(text(tool["text"]), "mock answer");
  EXPECT_EQ(text(tool["stop_reason"]), "tool_use");
  EXPECT_THAT(strings(tool["json_pieces"]), SizeIs(4));
  EXPECT_EQ(simdjson::minify(tool["tool_use"]),
            R"([{"type":"tool_use","id":"toolu_mock1","name":"get_weather",)"
            R"("input":{"city":"Paris"}}])");
  EXPECT_EQ(int64_t(tool["usage"]["output_tokens"]), 7);
}

// Verifies that the SDK raises the mock's errors as Anthropic's: each status its error class and
// Anthropic's error type (529 overloaded_error, 429 RateLimitError), and an error event mid-stream
// an APIError of type overloaded_error after the text received so far.
TEST_P(AnthropicSdkTest, ErrorsAreTheSdksErrors) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  const std::map<int, std::pair<std::string, std::string>> expected = {
      {400, {"BadRequestError", "invalid_request_error"}},
      {401, {"AuthenticationError", "authentication_error"}},
      {403, {"PermissionDeniedError", "permission_error"}},
      {404, {"NotFoundError", "not_found_error"}},
      {413, {latest() ? "ContentTooLargeError" : "APIError", "request_too_large"}},
      {429, {"RateLimitError", "rate_limit_error"}},
      {500, {"InternalServerError", "api_error"}},
      // The 1.x SDK has a class for 529; the 0.x one files it under InternalServerError.
      {529, {latest() ? "OverloadedError" : "InternalServerError", "overloaded_error"}}};
  simdjson::dom::element errors = step("errors")["errors"];
  for (const auto& [status, want] : expected) {
    simdjson::dom::element error = errors[std::to_string(status)];
    SCOPED_TRACE(simdjson::minify(error));
    EXPECT_TRUE(bool(error["threw"]));
    EXPECT_TRUE(bool(error["is_api_error"]));
    EXPECT_EQ(int64_t(error["status"]), status);
    EXPECT_EQ(text(error["name"]), want.first);
    EXPECT_EQ(text(error["type"]), want.second);
    EXPECT_EQ(text(error["body_type"]), want.second);
    EXPECT_THAT(text(error["message"]), HasSubstr("upstream error for: hello there"));
    EXPECT_THAT(text(error["request_id"]), StartsWith("req_mock"));
  }
  EXPECT_TRUE(bool(errors["429"]["is_rate_limit_error"]));
  EXPECT_TRUE(bool(errors["529"]["is_internal_server_error"]));

  simdjson::dom::element broken = step("stream-error");
  EXPECT_TRUE(bool(broken["threw"])) << steps_["stream-error"];
  EXPECT_TRUE(bool(broken["is_api_error"]));
  EXPECT_TRUE(broken["status"].is_null()) << "an error event has no HTTP status";
  EXPECT_EQ(text(broken["type"]), "overloaded_error");
  EXPECT_THAT(text(broken["message"]), HasSubstr("Overloaded"));
  EXPECT_THAT(strings(broken["text_deltas"]), ElementsAre("mock"));
}

// Verifies how each SDK calls: the latest sends API version 2026-10-21 with the key as a bearer
// token and has temperature refused; the 0.x sends 2023-06-01 with x-api-key and may sample.
TEST_P(AnthropicSdkTest, CallsWithItsApiVersion) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  const std::vector<std::string> lines = read_ndjson_lines(dir_.file("requests.ndjson"));
  ASSERT_FALSE(lines.empty());
  simdjson::dom::parser parser;
  simdjson::dom::element headers = parser.parse(lines[0])["headers"];
  if (latest()) {
    EXPECT_EQ(text(headers["anthropic-version"]), "2026-10-21");
    EXPECT_EQ(text(headers["authorization"]), "Bearer " + std::string(kKey));
    EXPECT_TRUE(headers["x-api-key"].error());
  } else {
    EXPECT_EQ(text(headers["anthropic-version"]), "2023-06-01");
    EXPECT_EQ(text(headers["x-api-key"]), kKey);
    EXPECT_TRUE(headers["authorization"].error());
  }
  simdjson::dom::element sampling = step("sampling");
  EXPECT_EQ(bool(sampling["threw"]), latest()) << steps_["sampling"];
  if (latest()) {
    EXPECT_EQ(text(sampling["name"]), "BadRequestError");
    EXPECT_EQ(text(sampling["type"]), "invalid_request_error");
  } else {
    EXPECT_EQ(text(sampling["text"]), "mock answer");
  }
}

INSTANTIATE_TEST_SUITE_P(Sdk, AnthropicSdkTest, ::testing::Values("latest", "v0"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace llmtap::test
