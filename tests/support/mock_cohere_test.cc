// The Cohere half of the mock upstream, over plain HTTP: what it checks, what it answers and how
// it streams. Its fidelity to Cohere is proven by the official SDK in
// tests/integration/cohere_sdk_test.cc; these pin the wire details that SDK does not show.
#include "support/mock_cohere.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>
#include <string_view>

#include "support/http_call.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// One mock upstream process per test, as integration tests run it.
class MockCohereTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
  }

  HttpReply chat(std::string_view model, std::string_view extra = "",
                 const HeaderList& headers = {{"Authorization", "Bearer co-key"}}) {
    return post("/v2/chat",
                R"({"model":")" + std::string(model) +
                    R"(","messages":[{"role":"user","content":"hello there"}])" +
                    std::string(extra) + "}",
                headers);
  }

  HttpReply post(std::string_view path, std::string_view body,
                 const HeaderList& headers = {{"Authorization", "Bearer co-key"}}) {
    HeaderList all = headers;
    all.emplace_back("Content-Type", "application/json");
    return http_request(mock_.port, "POST", path, all, body);
  }

  // Cohere's error body's message.
  std::string message_of(const HttpReply& reply) {
    simdjson::dom::element root;
    std::string_view message;
    if (parser_.parse(reply.body).get(root) || root["message"].get(message)) return reply.body;
    EXPECT_THAT(std::string(std::string_view(root["id"])), StartsWith("cohere-mock-"));
    return std::string(message);
  }

  TempDir dir_;
  StartedServer mock_;
  simdjson::dom::parser parser_;
};

// Verifies the checks Cohere makes first, each with Cohere's error body.
TEST_F(MockCohereTest, ChecksKeyBodyAndRejectedFields) {
  HttpReply no_key = chat("command-test", "", {});
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(message_of(no_key), "no api key supplied");
  HttpReply bad_key = chat("command-test", "", {{"Authorization", "Bearer bad-key"}});
  EXPECT_EQ(bad_key.status, 401);
  EXPECT_EQ(message_of(bad_key), "invalid api token");
  HttpReply no_model = post("/v2/chat", R"({"messages":[]})");
  EXPECT_EQ(no_model.status, 400);
  EXPECT_EQ(message_of(no_model), "invalid request: model must be a string");
  HttpReply tool_name = post("/v2/chat", R"({"model":"m","messages":[{"role":"tool",)"
                                         R"("tool_call_id":"c","name":"f","content":"x"}]})");
  EXPECT_EQ(tool_name.status, 400);
  EXPECT_EQ(message_of(tool_name), "invalid request: messages[0].name is not a known field");
  HttpReply no_input_type = post("/v2/embed", R"({"model":"embed","texts":["a"]})");
  EXPECT_EQ(no_input_type.status, 400);
  EXPECT_THAT(message_of(no_input_type), HasSubstr("valid input_type must be provided"));
}

// Verifies the markers: status-NNN with Cohere's words, tool with the first tool's name,
// sleep-MS waiting before the answer.
TEST_F(MockCohereTest, MarkersSteerTheAnswer) {
  HttpReply limited = chat("command-status-429");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(message_of(limited), "upstream error for: hello there");
  EXPECT_EQ(message_of(chat("command-status-400")),
            "invalid request: upstream error for: hello there");

  HttpReply tool =
      chat("command-tool", R"(,"tools":[{"type":"function","function":{"name":"lookup"}}])");
  ASSERT_EQ(tool.status, 200) << tool.body;
  EXPECT_THAT(tool.body, HasSubstr(R"("finish_reason":"TOOL_CALL")"));
  EXPECT_THAT(tool.body,
              HasSubstr(R"("function":{"name":"lookup","arguments":"{\"city\":\"Paris\"}"})"));
  // Without tools the marker changes nothing.
  EXPECT_THAT(chat("command-tool").body, HasSubstr(R"("text":"mock answer")"));

  const auto start = std::chrono::steady_clock::now();
  HttpReply slow = chat("command-sleep-300");
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{300});
}

// Verifies the stream: Cohere's SSE headers, one event per chunk, message-end then [DONE]; a
// midstream error ends with an ERROR message-end and nothing after it.
TEST_F(MockCohereTest, StreamsOneEventPerChunk) {
  HttpReply stream = chat("command-test", R"(,"stream":true)");
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_THAT(stream.header("content-type"), StartsWith("text/event-stream"));
  ASSERT_EQ(stream.chunks.size(), 8u) << stream.body;
  EXPECT_THAT(stream.chunks[0], StartsWith("event: message-start\ndata: {"));
  EXPECT_THAT(stream.chunks[6], StartsWith("event: message-end\ndata: "));
  EXPECT_THAT(stream.chunks[6], HasSubstr(R"("tokens":{"input_tokens":71,"output_tokens":7})"));
  EXPECT_EQ(stream.chunks[7], "data: [DONE]\n\n");

  HttpReply broken = chat("command-midstream-error", R"(,"stream":true)");
  ASSERT_EQ(broken.status, 200);
  ASSERT_EQ(broken.chunks.size(), 4u) << broken.body;
  EXPECT_THAT(broken.chunks[3],
              HasSubstr(R"("delta":{"finish_reason":"ERROR","error":"internal error"})"));
}

}  // namespace
}  // namespace llmtap::test
