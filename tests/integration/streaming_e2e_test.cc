// End-to-end tests of streamed calls (stream: true; README "HTTP API", "The record"): the real
// binary relays the mock upstream's server-sent events chunk by chunk, and one record per stream
// reaches the sink — on success with the assembled completion, usage and completionStartTime, on
// failure (upstream error, upstream breaking mid-stream, timeout, client gone) with the error.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>

#include "integration/e2e_fixture.h"
#include "integration/raw_connection.h"

namespace llmtap::test {
namespace {

std::string config() {
  return ConfigBuilder()
      .upstream("gpt-4o", "gpt-4o-2024-08-06",
                "input_cost_per_token: 0.000001\noutput_cost_per_token: 0.000002")
      .upstream("cut", "cut")
      .upstream("unavailable", "status-503")
      .upstream("drip", "drip-150")
      .upstream("drip-timeout", "drip-300", "timeout: 0.5")
      .upstream("badutf8", "badutf8")
      .upstream("garbage", "garbage")
      .mock("mocked", "Hi from the streaming mock")
      .yaml();
}

constexpr std::string_view kDoneEvent = "data: [DONE]\n\n";

class StreamingE2eTest : public E2eFixture {
 protected:
  void SetUp() override { start(config(), {}, /*with_upstream=*/true); }

  std::string chat_body(std::string_view model, std::string_view extra = {}) {
    return R"({"model":")" + std::string(model) +
           R"(","messages":[{"role":"user","content":"Hello"}],"stream":true)" +
           std::string(extra) + "}";
  }

  // The concatenated content of every chat delta / text chunk in an SSE body.
  std::string streamed_content(const std::string& body, bool chat = true) {
    std::string content;
    std::size_t at = 0;
    while ((at = body.find("data: {", at)) != std::string::npos) {
      const std::size_t end = body.find("\n\n", at);
      auto event = events_parser_.parse(body.substr(at + 6, end - at - 6));
      at = end;
      if (event.error() || event["choices"].error() || event["choices"].get_array().size() == 0)
        continue;
      std::string_view piece;
      auto choice = event["choices"].at(0);
      if (chat ? !choice["delta"]["content"].get(piece) : !choice["text"].get(piece))
        content += piece;
    }
    return content;
  }

  simdjson::dom::parser events_parser_;
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
  EXPECT_NE(seen[0].find(R"(\"stream_options\":{\"include_usage\":true})"), std::string::npos)
      << seen[0];

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["litellm_call_id"]), call_id);
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_EQ(std::string_view(record["call_type"]), "acompletion");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
            "mock answer");
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
  // Each of the three is rounded to the microsecond on its own, and the epoch-sized doubles carry
  // ~0.25 µs of their own: the difference of two rounded readings may be off by just over 1 µs.
  EXPECT_NEAR(double(record["response_time"]), first_token - start, 2e-6) << "time to first token";
}

// Verifies that a client that asked for usage gets the upstream's usage chunk, and its own
// stream_options go upstream unchanged.
TEST_F(StreamingE2eTest, ClientAskingForUsageGetsTheUsageChunk) {
  const std::string body = chat_body("gpt-4o", R"(,"stream_options":{"include_usage":true})");
  HttpReply reply = post("/chat/completions", body);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.body.find(R"("choices":[],"usage":{"prompt_tokens":11)"), std::string::npos)
      << reply.body;
  ASSERT_TRUE(reply.body.ends_with(kDoneEvent)) << reply.body;
  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find(R"(\"stream\":true,\"stream_options\":{\"include_usage\":true}})"),
            std::string::npos)
      << seen[0];

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(int64_t(record["completion_tokens"]), 7);
}

// Verifies that a streamed text completion is relayed and its record assembles choices[].text.
TEST_F(StreamingE2eTest, StreamedTextCompletionIsAssembled) {
  HttpReply reply =
      post("/v1/completions", R"({"model":"gpt-4o","prompt":"Say hi","stream":true})");
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

// Verifies that an upstream answering a stream request with 200 and a body that is not SSE at all
// ends the client's stream with one error event and nothing else (none of the upstream's bytes,
// no [DONE]), and gives a failure record quoting the start of those bytes.
TEST_F(StreamingE2eTest, NonSseAnswerToAStreamIsAFailure) {
  HttpReply reply = post("/v1/chat/completions", chat_body("garbage"));
  ASSERT_TRUE(reply.ok()) << reply.error;
  ASSERT_EQ(reply.status, 200);
  ASSERT_TRUE(reply.body.starts_with(R"(data: {"error":)")) << reply.body;
  ASSERT_TRUE(reply.body.ends_with("}\n\n")) << reply.body;
  EXPECT_EQ(reply.body.find("\n\n"), reply.body.size() - 2)
      << "more than one event: " << reply.body;
  auto error = parser_.parse(reply.body.substr(6));
  ASSERT_FALSE(error.error()) << reply.body;
  EXPECT_NE(std::string_view(error["error"]["message"]).find("not server-sent events"),
            std::string_view::npos);
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "failure");
  EXPECT_EQ(std::string_view(record["error_information"]["error_code"]), "502");
  EXPECT_NE(std::string_view(record["error_str"])
                .find("not server-sent events; they start: this is <not> json {"),
            std::string_view::npos)
      << std::string_view(record["error_str"]);
  EXPECT_EQ(int64_t(record["total_tokens"]), 0);
  EXPECT_EQ(post("/v1/chat/completions", chat_body("gpt-4o")).status, 200);
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
  EXPECT_EQ(std::string_view(record["error_information"]["error_class"]),
            "ServiceUnavailableError");
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

// Verifies that a stream whose events carry bytes that are not UTF-8 is relayed to the end and
// gives a record that is valid UTF-8 JSON (the bad bytes replaced), and the server keeps serving.
TEST_F(StreamingE2eTest, NonUtf8StreamEventsGiveAValidRecord) {
  HttpReply reply = post("/v1/chat/completions", chat_body("badutf8"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_TRUE(reply.body.ends_with(kDoneEvent)) << reply.body;
  auto record = only_record();  // simdjson validates the record's UTF-8
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_NE(lines_[0].find(" answer"), std::string::npos) << lines_[0];
  EXPECT_EQ(post("/v1/chat/completions", chat_body("gpt-4o")).status, 200);
}

// Verifies that a client that goes away mid-stream stops the relay and produces a failure record
// (ClientDisconnected, 499) with the partial stream counted.
TEST_F(StreamingE2eTest, ClientDisconnectMidStreamIsAFailure) {
  RawConnection client(llmtap_.port);
  ASSERT_TRUE(client.send(raw_post("/v1/chat/completions", chat_body("drip"))));
  ASSERT_TRUE(client.read_until("data: ", std::chrono::seconds{10})) << client.received();
  // A reset, not a close: the gateway's next write fails at once.
  client.reset();

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
