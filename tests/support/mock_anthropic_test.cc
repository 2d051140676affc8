// The Anthropic half of the mock upstream, over plain HTTP: what it checks, what it answers and
// how it streams. Its fidelity to Anthropic is proven by the official SDK in
// tests/integration/anthropic_sdk_test.cc; these pin the wire details that SDK does not show.
#include "support/mock_anthropic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>
#include <string_view>

#include "support/http_call.h"
#include "support/started_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace llmtap::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kTools =
    R"(,"tools":[{"name":"get_weather","input_schema":{"type":"object"}}])";

// One mock upstream process per test, as integration tests run it.
class MockAnthropicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
  }

  HttpReply messages(std::string_view model, std::string_view extra = "",
                     const HeaderList& headers = {{"x-api-key", "sk-ant"},
                                                  {"anthropic-version", "2023-06-01"}}) {
    return post(R"({"model":")" + std::string(model) +
                    R"(","max_tokens":100,"messages":[{"role":"user","content":"hello there"}])" +
                    std::string(extra) + "}",
                headers);
  }

  HttpReply post(std::string_view body,
                 const HeaderList& headers = {{"x-api-key", "sk-ant"},
                                              {"anthropic-version", "2023-06-01"}}) {
    HeaderList all = headers;
    all.emplace_back("Content-Type", "application/json");
    return http_request(mock_.port, "POST", "/v1/messages", all, body);
  }

  // The error type and message of an Anthropic error body.
  std::pair<std::string, std::string> error_of(const HttpReply& reply) {
    simdjson::dom::element root;
    if (parser_.parse(reply.body).get(root)) return {"not json", reply.body};
    EXPECT_EQ(std::string_view(root["type"]), "error") << reply.body;
    return {std::string(std::string_view(root["error"]["type"])),
            std::string(std::string_view(root["error"]["message"]))};
  }

  TempDir dir_;
  StartedServer mock_;
  simdjson::dom::parser parser_;
};

// Verifies that a request gets a Messages API message echoing the model, with fixed usage, a
// request-id and Anthropic's rate-limit headers, and that it is logged like any other.
TEST_F(MockAnthropicTest, AnswersMessage) {
  const HttpReply reply = messages("claude-test");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 200);
  simdjson::dom::element root = parser_.parse(reply.body);
  EXPECT_THAT(std::string(std::string_view(root["id"])), StartsWith("msg_mock"));
  EXPECT_EQ(std::string_view(root["type"]), "message");
  EXPECT_EQ(std::string_view(root["role"]), "assistant");
  EXPECT_EQ(std::string_view(root["model"]), "claude-test");
  EXPECT_EQ(simdjson::minify(root["content"]), R"([{"type":"text","text":"mock answer"}])");
  EXPECT_EQ(std::string_view(root["stop_reason"]), "end_turn");
  EXPECT_TRUE(root["stop_sequence"].is_null());
  EXPECT_EQ(simdjson::minify(root["usage"]),
            R"({"input_tokens":11,"output_tokens":7,"cache_creation_input_tokens":0,)"
            R"("cache_read_input_tokens":0})");
  EXPECT_THAT(reply.header("request-id"), StartsWith("req_mock"));
  EXPECT_EQ(reply.header("anthropic-ratelimit-requests-remaining"), "3999");
  EXPECT_EQ(reply.header("anthropic-ratelimit-tokens-limit"), "480000");

  std::vector<std::string> lines;
  ASSERT_TRUE(wait_until(
      [&] { return !(lines = read_ndjson_lines(dir_.file("requests.ndjson"))).empty(); }));
  simdjson::dom::element line = parser_.parse(lines[0]);
  EXPECT_EQ(std::string_view(line["path"]), "/v1/messages");
  EXPECT_EQ(std::string_view(line["headers"]["x-api-key"]), "sk-ant");
}

// Verifies the checks Anthropic makes first: the key, the version header, then each required
// field by name.
TEST_F(MockAnthropicTest, RejectsWhatAnthropicRejects) {
  const HttpReply no_key = messages("m", "", {{"anthropic-version", "2023-06-01"}});
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(error_of(no_key), std::make_pair(std::string("authentication_error"),
                                             std::string("x-api-key header is required")));
  const HttpReply no_version = messages("m", "", {{"x-api-key", "k"}});
  EXPECT_EQ(no_version.status, 400);
  EXPECT_EQ(error_of(no_version).first, "invalid_request_error");
  const HttpReply no_max_tokens = post(R"({"model":"m","messages":[]})");
  EXPECT_EQ(no_max_tokens.status, 400);
  EXPECT_EQ(error_of(no_max_tokens), std::make_pair(std::string("invalid_request_error"),
                                                    std::string("max_tokens: Field required")));
  EXPECT_EQ(error_of(post(R"({"max_tokens":1,"messages":[]})")).second, "model: Field required");
  EXPECT_EQ(error_of(post(R"({"model":"m","max_tokens":1})")).second, "messages: Field required");
  EXPECT_EQ(error_of(post(R"({"model":"m","max_tokens":"1","messages":[]})")).second,
            "max_tokens: Input should be a valid integer");
  EXPECT_EQ(post("{not json").status, 400);
}

// Verifies what API version 2026-10-21 changed: the key may come as a bearer token, and the
// sampling parameters are refused (they still pass under 2023-06-01).
TEST_F(MockAnthropicTest, ApiVersion20261021) {
  const HeaderList v2026 = {{"Authorization", "Bearer sk-ant"},
                            {"anthropic-version", "2026-10-21"}};
  EXPECT_EQ(messages("m", "", v2026).status, 200);
  EXPECT_EQ(
      messages("m", "", {{"Authorization", "Bearer "}, {"anthropic-version", "2026-10-21"}}).status,
      401);
  const HttpReply sampled = messages("m", R"(,"top_k":5)", v2026);
  EXPECT_EQ(sampled.status, 400);
  EXPECT_THAT(error_of(sampled).second, StartsWith("top_k: "));
  EXPECT_EQ(messages("m", R"(,"temperature":0.5)").status, 200);
}

// Verifies that status-NNN answers the error type Anthropic uses for NNN, naming the user text.
TEST_F(MockAnthropicTest, AnswersRequestedStatusWithAnthropicErrorTypes) {
  for (const auto& [status, type] :
       std::vector<std::pair<int, std::string>>{{400, "invalid_request_error"},
                                                {401, "authentication_error"},
                                                {403, "permission_error"},
                                                {404, "not_found_error"},
                                                {413, "request_too_large"},
                                                {429, "rate_limit_error"},
                                                {500, "api_error"},
                                                {529, "overloaded_error"}}) {
    const HttpReply reply = messages("claude-status-" + std::to_string(status));
    EXPECT_EQ(reply.status, status);
    EXPECT_EQ(error_of(reply),
              std::make_pair(type, std::string("upstream error for: hello there")));
    EXPECT_THAT(reply.body, HasSubstr(R"("request_id":"req_mock)"));
  }
}

// Verifies that tool answers a text block then a tool_use block only when the request has tools,
// and that cache reports cache tokens.
TEST_F(MockAnthropicTest, ToolAndCacheMarkers) {
  simdjson::dom::element root = parser_.parse(messages("claude-tool-cache", kTools).body);
  EXPECT_EQ(simdjson::minify(root["content"]),
            R"([{"type":"text","text":"mock answer"},{"type":"tool_use","id":"toolu_mock1",)"
            R"("name":"get_weather","input":{"city":"Paris"}}])");
  EXPECT_EQ(std::string_view(root["stop_reason"]), "tool_use");
  EXPECT_EQ(int64_t(root["usage"]["cache_creation_input_tokens"]), 5);
  EXPECT_EQ(int64_t(root["usage"]["cache_read_input_tokens"]), 3);
  root = parser_.parse(messages("claude-tool").body);
  EXPECT_EQ(std::string_view(root["stop_reason"]), "end_turn") << "no tools in the request";
}

// The `event:` names of a streamed reply, one per chunk, checking each chunk is one whole event.
std::vector<std::string> event_names(const HttpReply& reply) {
  std::vector<std::string> names;
  for (const std::string& chunk : reply.chunks) {
    EXPECT_THAT(chunk, StartsWith("event: "));
    EXPECT_TRUE(chunk.ends_with("\n\n")) << chunk;
    EXPECT_EQ(chunk.find("\n\n"), chunk.size() - 2) << "one event per chunk: " << chunk;
    names.push_back(chunk.substr(7, chunk.find('\n') - 7));
  }
  return names;
}

// Verifies a stream's events, one chunk each, in Anthropic's order, with the text in pieces.
TEST_F(MockAnthropicTest, StreamsAnthropicEvents) {
  const HttpReply reply = messages("claude-test", R"(,"stream":true)");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_THAT(reply.header("Content-Type"), StartsWith("text/event-stream"));
  EXPECT_THAT(reply.header("request-id"), StartsWith("req_mock"));
  EXPECT_THAT(event_names(reply),
              ElementsAre("message_start", "content_block_start", "ping", "content_block_delta",
                          "content_block_delta", "content_block_delta", "content_block_stop",
                          "message_delta", "message_stop"));
  EXPECT_THAT(reply.chunks[0], HasSubstr(R"("content":[],"stop_reason":null)"));
  EXPECT_THAT(reply.chunks[3], HasSubstr(R"("delta":{"type":"text_delta","text":"mock"})"));
  EXPECT_THAT(reply.chunks[7], HasSubstr(R"("usage":{"output_tokens":7})"));
}

// Verifies a streamed tool call: a tool_use block whose input arrives as partial JSON pieces.
TEST_F(MockAnthropicTest, StreamsToolUse) {
  const HttpReply reply = messages("claude-tool", std::string(kTools) + R"(,"stream":true)");
  const std::vector<std::string> names = event_names(reply);
  ASSERT_EQ(names.size(), 15u) << reply.body;
  EXPECT_EQ(names[7], "content_block_start");
  EXPECT_THAT(reply.chunks[7], HasSubstr(R"("type":"tool_use","id":"toolu_mock1")"));
  std::string input;
  for (std::size_t i = 8; i < 12; ++i) {
    simdjson::dom::element data = parser_.parse(reply.chunks[i].substr(reply.chunks[i].find('{')));
    EXPECT_EQ(std::string_view(data["delta"]["type"]), "input_json_delta");
    input += std::string_view(data["delta"]["partial_json"]);
  }
  EXPECT_EQ(input, R"({"city": "Paris"})");
  EXPECT_THAT(reply.chunks[13], HasSubstr(R"("stop_reason":"tool_use")"));
}

// Verifies that sleep-MS delays the answer and drip-MS spaces a stream's events (8 gaps).
TEST_F(MockAnthropicTest, SleepAndDripDelay) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(messages("claude-sleep-200-status-529").status, 529);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{200});
  start = std::chrono::steady_clock::now();
  const HttpReply dripped = messages("claude-drip-30", R"(,"stream":true)");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{8 * 30});
  EXPECT_EQ(dripped.chunks.size(), 9u);
}

// Verifies that midstream-error ends the stream with an overloaded error after the first text.
TEST_F(MockAnthropicTest, ErrorEventMidStream) {
  const HttpReply reply = messages("midstream-error", R"(,"stream":true)");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 200);
  EXPECT_THAT(event_names(reply), ElementsAre("message_start", "content_block_start", "ping",
                                              "content_block_delta", "error"));
  EXPECT_EQ(reply.chunks.back(),
            "event: error\ndata: "
            R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"
            "\n\n");
}

}  // namespace
}  // namespace llmtap::test
