// End-to-end tests of streamed calls (stream: true, spec §5 and §7): the real binary relays the
// mock upstream's server-sent events chunk by chunk, and one record per stream reaches the sink —
// on success with the assembled completion, usage and completionStartTime, on failure (upstream
// error, upstream breaking mid-stream, timeout, client gone) with the error.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

constexpr const char* kConfig = R"(
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o-2024-08-06
      api_key: sk-upstream
      api_base: {UPSTREAM}/v1
      input_cost_per_token: 0.000001
      output_cost_per_token: 0.000002
  - model_name: cut
    litellm_params:
      model: openai/cut
      api_key: sk-upstream
      api_base: {UPSTREAM}/v1
  - model_name: unavailable
    litellm_params:
      model: openai/status-503
      api_key: sk-upstream
      api_base: {UPSTREAM}/v1
  - model_name: drip
    litellm_params:
      model: openai/drip-150
      api_key: sk-upstream
      api_base: {UPSTREAM}/v1
  - model_name: drip-timeout
    litellm_params:
      model: openai/drip-300
      api_key: sk-upstream
      api_base: {UPSTREAM}/v1
      timeout: 0.5
  - model_name: mocked
    litellm_params:
      model: openai/gpt-3.5-turbo
      mock_response: "Hi from the streaming mock"
litellm_settings:
  callbacks: ["test_sink"]
callback_settings:
  test_sink:
    callback_type: generic_api
    endpoint: {SINK}/logs
    log_format: ndjson
    flush_interval: 0.1
general_settings:
  master_key: sk-1234
)";

constexpr std::string_view kDoneEvent = "data: [DONE]\n\n";

class StreamingE2eTest : public E2eFixture {
 protected:
  void SetUp() override { start(kConfig, {}, /*with_upstream=*/true); }

  std::string chat_body(std::string_view model, std::string_view extra = {}) {
    return R"({"model":")" + std::string(model) +
           R"(","messages":[{"role":"user","content":"Hello"}],"stream":true)" + std::string(extra) + "}";
  }

  HttpReply post(std::string_view path, const std::string& body) {
    return http_request(llmtap_.port, "POST", path,
                        {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-1234"}}, body);
  }

  // The concatenated content of every chat delta / text chunk in an SSE body.
  std::string streamed_content(const std::string& body, bool chat = true) {
    std::string content;
    std::size_t at = 0;
    while ((at = body.find("data: {", at)) != std::string::npos) {
      const std::size_t end = body.find("\n\n", at);
      auto event = events_parser_.parse(body.substr(at + 6, end - at - 6));
      at = end;
      if (event.error() || event["choices"].error() || event["choices"].get_array().size() == 0) continue;
      std::string_view piece;
      auto choice = event["choices"].at(0);
      if (chat ? !choice["delta"]["content"].get(piece) : !choice["text"].get(piece)) content += piece;
    }
    return content;
  }

  // The one record the sink received (waiting for it), parsed; a failed ASSERT inside leaves an
  // empty element and stops the test through HasFatalFailure().
  simdjson::dom::element only_record() {
    lines_ = records(1);
    EXPECT_EQ(lines_.size(), 1u);
    if (lines_.size() != 1) return {};
    auto record = parser_.parse(lines_[0]);
    EXPECT_FALSE(record.error()) << lines_[0];
    return record.error() ? simdjson::dom::element() : record.value();
  }

  simdjson::dom::parser events_parser_;
  std::vector<std::string> lines_;
};

// Verifies that a streamed chat is relayed as several chunks ending with data: [DONE], without the
// usage chunk the client did not ask for (though llmtap asked the upstream for it), and that its
// record has stream true, the assembled content, the upstream's usage and a first-token time.
TEST_F(StreamingE2eTest, StreamedChatIsRelayedChunkByChunkAndLogged) {
  HttpReply reply = post("/v1/chat/completions", chat_body("gpt-4o"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "text/event-stream");
  const std::string call_id = reply.header("x-litellm-call-id");
  EXPECT_EQ(call_id.size(), 36u);
  EXPECT_GE(reply.chunks.size(), 3u) << "events must be relayed as they come, not buffered";
  ASSERT_TRUE(reply.body.ends_with(kDoneEvent)) << reply.body;
  EXPECT_EQ(reply.body.find(R"("usage")"), std::string::npos) << reply.body;
  EXPECT_EQ(streamed_content(reply.body), "mock answer");

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find(R"(\"stream_options\":{\"include_usage\":true})"), std::string::npos) << seen[0];

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["litellm_call_id"]), call_id);
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_EQ(std::string_view(record["call_type"]), "acompletion");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]), "mock answer");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["finish_reason"]), "stop");
  EXPECT_EQ(std::string_view(record["response"]["model"]), "gpt-4o-2024-08-06");
  EXPECT_EQ(std::string_view(record["id"]), std::string_view(record["response"]["id"]));
  EXPECT_EQ(int64_t(record["prompt_tokens"]), 11);
  EXPECT_EQ(int64_t(record["completion_tokens"]), 7);
  EXPECT_EQ(int64_t(record["total_tokens"]), 18);
  EXPECT_NEAR(double(record["response_cost"]), 11 * 1e-6 + 7 * 2e-6, 1e-12);
  const double start = double(record["startTime"]);
  const double first_token = double(record["completionStartTime"]);
  const double end = double(record["endTime"]);
  EXPECT_LE(start, first_token);
  EXPECT_LE(first_token, end);
  EXPECT_NEAR(double(record["response_time"]), first_token - start, 1e-6) << "time to first token";
}

// Verifies that a client that asked for usage gets the upstream's usage chunk, and its own
// stream_options go upstream unchanged.
TEST_F(StreamingE2eTest, ClientAskingForUsageGetsTheUsageChunk) {
  const std::string body = chat_body("gpt-4o", R"(,"stream_options":{"include_usage":true})");
  HttpReply reply = post("/chat/completions", body);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.body.find(R"("choices":[],"usage":{"prompt_tokens":11)"), std::string::npos) << reply.body;
  ASSERT_TRUE(reply.body.ends_with(kDoneEvent)) << reply.body;
  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find(R"(\"stream\":true,\"stream_options\":{\"include_usage\":true}})"), std::string::npos)
      << seen[0];

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(int64_t(record["completion_tokens"]), 7);
}

// Verifies that a streamed text completion is relayed and its record assembles choices[].text.
TEST_F(StreamingE2eTest, StreamedTextCompletionIsAssembled) {
  HttpReply reply = post("/v1/completions", R"({"model":"gpt-4o","prompt":"Say hi","stream":true})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_TRUE(reply.body.ends_with(kDoneEvent)) << reply.body;
  EXPECT_EQ(streamed_content(reply.body, /*chat=*/false), "mock answer");
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["call_type"]), "atext_completion");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["text"]), "mock answer");
  EXPECT_EQ(int64_t(record["total_tokens"]), 18);
}

// Verifies that a mock_response deployment streams its answer in several chunks and logs it.
TEST_F(StreamingE2eTest, MockResponseDeploymentStreams) {
  HttpReply reply = post("/v1/chat/completions", chat_body("mocked"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "text/event-stream");
  EXPECT_GE(reply.chunks.size(), 4u);
  ASSERT_TRUE(reply.body.ends_with(kDoneEvent)) << reply.body;
  EXPECT_EQ(reply.body.find(R"("usage")"), std::string::npos) << reply.body;
  EXPECT_EQ(streamed_content(reply.body), "Hi from the streaming mock");
  EXPECT_TRUE(upstream_requests().empty());

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
            "Hi from the streaming mock");
  EXPECT_EQ(int64_t(record["prompt_tokens"]), 10);
  EXPECT_EQ(int64_t(record["completion_tokens"]), 20);
}

// Verifies that an upstream that breaks mid-stream ends the client's stream with an error event
// and produces a failure record naming the partial content.
TEST_F(StreamingE2eTest, UpstreamBreakingMidStreamIsAFailure) {
  HttpReply reply = post("/v1/chat/completions", chat_body("cut"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(streamed_content(reply.body), "mock answer") << "the two events before the cut";
  EXPECT_NE(reply.body.find(R"(data: {"error":)"), std::string::npos) << reply.body;
  EXPECT_EQ(reply.body.find("[DONE]"), std::string::npos) << reply.body;

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "failure");
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_EQ(std::string_view(record["error_information"]["error_class"]), "APIConnectionError");
  const std::string_view error = record["error_str"];
  EXPECT_NE(error.find("2 chunks received"), std::string_view::npos) << error;
  EXPECT_NE(error.find("partial content: \"mock answer\""), std::string_view::npos) << error;
  EXPECT_EQ(int64_t(record["total_tokens"]), 0);
}

// Verifies that an upstream error status on a stream request is passed through as JSON, with a
// failure record.
TEST_F(StreamingE2eTest, UpstreamErrorStatusOnStreamIsPassedThrough) {
  HttpReply reply = post("/v1/chat/completions", chat_body("unavailable"));
  ASSERT_EQ(reply.status, 503) << reply.body;
  auto body = parser_.parse(reply.body);
  ASSERT_FALSE(body.error()) << reply.body;
  EXPECT_EQ(std::string_view(body["error"]["message"]), "upstream error for: Hello");
  EXPECT_FALSE(reply.header("x-litellm-call-id").empty());

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "failure");
  EXPECT_EQ(std::string_view(record["error_information"]["error_code"]), "503");
  EXPECT_EQ(std::string_view(record["error_information"]["error_class"]), "ServiceUnavailableError");
}

// Verifies that a stream outliving the deployment's timeout is ended with an error event and
// logged as a Timeout failure.
TEST_F(StreamingE2eTest, TimeoutMidStreamIsAFailure) {
  HttpReply reply = post("/v1/chat/completions", chat_body("drip-timeout"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.body.find(R"(data: {"error":)"), std::string::npos) << reply.body;
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "failure");
  EXPECT_EQ(std::string_view(record["error_information"]["error_class"]), "Timeout");
  EXPECT_EQ(std::string_view(record["error_information"]["error_code"]), "504");
}

// Sends `request` on a raw socket, waits for the first SSE event, then resets the connection.
// Returns whether an event was seen before the deadline.
bool read_first_event_then_reset(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool seen = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    std::string received;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    char buffer[4096];
    while (!seen && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
      seen = received.find("data: ") != std::string::npos;
    }
  }
  // Linger 0: close() resets the connection, so the gateway's next write fails at once.
  linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
  ::close(fd);
  return seen;
}

// Verifies that a client that goes away mid-stream stops the relay and produces a failure record
// (ClientDisconnected, 499) with the partial stream counted.
TEST_F(StreamingE2eTest, ClientDisconnectMidStreamIsAFailure) {
  const std::string body = chat_body("drip");
  const std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Authorization: Bearer sk-1234\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  ASSERT_TRUE(read_first_event_then_reset(llmtap_.port, request));

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "failure");
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_EQ(std::string_view(record["error_information"]["error_class"]), "ClientDisconnected");
  EXPECT_EQ(std::string_view(record["error_information"]["error_code"]), "499");
  EXPECT_NE(std::string_view(record["error_str"]).find("chunks received"), std::string_view::npos);
}

}  // namespace
}  // namespace llmtap::test
