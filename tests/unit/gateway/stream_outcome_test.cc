// stream_failure(): every way an upstream stream can end, decided without sockets.
#include "gateway/stream_outcome.h"

#include <gtest/gtest.h>

namespace llmtap::gateway {
namespace {

StreamEnd clean_end() {
  StreamEnd end;
  end.api_base = "http://up";
  end.timeout = std::chrono::milliseconds(1500);
  end.done_seen = true;
  end.chunks = 3;
  end.max_event_bytes = 1024;
  return end;
}

// Verifies that [DONE], no error event and nothing stopping the relay is a success.
TEST(StreamOutcomeTest, DoneWithoutErrorsIsNoFailure) {
  EXPECT_FALSE(stream_failure(clean_end()).has_value());
}

// Verifies the client's own endings: gone and too slow are 499 with their own classes, and win
// over anything the upstream did.
TEST(StreamOutcomeTest, ClientEndingsAre499) {
  StreamEnd end = clean_end();
  end.stop = StreamRelay::Stop::client_gone;
  end.exchange_ok = false;
  end.exchange_error = http::ClientError::cancelled;
  auto gone = stream_failure(end);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 499);
  EXPECT_EQ(gone->error_class, "ClientDisconnected");
  end.stop = StreamRelay::Stop::client_too_slow;
  auto slow = stream_failure(end);
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->status, 499);
  EXPECT_EQ(slow->type, "client_too_slow");
}

// Verifies that an oversized event is a 502 naming the limit.
TEST(StreamOutcomeTest, OversizedEventIs502) {
  StreamEnd end = clean_end();
  end.stop = StreamRelay::Stop::bad_stream;
  auto failure = stream_failure(end);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->status, 502);
  EXPECT_EQ(failure->message, "upstream http://up sent an SSE event larger than 1024 bytes");
}

// Verifies that a body with no SSE at all is a 502 quoting its start, but stray non-SSE bytes in
// a stream that did deliver chunks are not.
TEST(StreamOutcomeTest, NonSseBodyIs502OnlyWhenNothingElseCame) {
  StreamEnd end = clean_end();
  end.done_seen = false;
  end.chunks = 0;
  end.non_sse_bytes = 20;
  end.non_sse_excerpt = "<html>";
  auto failure = stream_failure(end);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->error_class, "APIError");
  EXPECT_NE(failure->message.find("20 bytes that are not server-sent events; they start: <html>"),
            std::string::npos);
  end.chunks = 2;
  end.done_seen = true;
  EXPECT_FALSE(stream_failure(end).has_value());
}

// Verifies that an error event inside the stream is a 500 with the upstream's message, classed
// as LiteLLM classes it for a pass-through and for a translated stream, even after [DONE].
TEST(StreamOutcomeTest, ErrorEventIs500WithItsMessage) {
  StreamEnd end = clean_end();
  end.error_raw = R"({"message":"AnthropicException - Overloaded","type":"overloaded_error"})";
  auto passed = stream_failure(end);
  ASSERT_TRUE(passed);
  EXPECT_EQ(passed->status, 500);
  EXPECT_EQ(passed->error_class, "APIError");
  EXPECT_EQ(passed->message,
            "upstream http://up sent an error mid-stream: AnthropicException - Overloaded");
  end.translated = true;
  EXPECT_EQ(stream_failure(end)->error_class, "InternalServerError");
}

// Verifies that a translated stream's error takes the status and class its translator mapped
// (Gemini's mid-stream RESOURCE_EXHAUSTED is LiteLLM's RateLimitError), the message still the
// event's.
TEST(StreamOutcomeTest, TranslatedErrorKeepsItsMappedStatusAndClass) {
  StreamEnd end = clean_end();
  end.translated = true;
  end.error_raw = R"({"message":"VertexAIException - RESOURCE_EXHAUSTED - Quota exceeded",)"
                  R"("type":"rate_limit_error","param":null,"code":"429"})";
  const providers::UpstreamError mapped{429, "rate_limit_error", "RateLimitError", "ignored"};
  end.translated_error = &mapped;
  auto failure = stream_failure(end);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->status, 429);
  EXPECT_EQ(failure->type, "rate_limit_error");
  EXPECT_EQ(failure->error_class, "RateLimitError");
  EXPECT_EQ(failure->message,
            "upstream http://up sent an error mid-stream: VertexAIException - RESOURCE_EXHAUSTED "
            "- Quota exceeded");
}

// Verifies the exchange's endings: a timeout is 504 naming the deadline, a broken connection
// 502 naming the cause, and a clean close before [DONE] 502.
TEST(StreamOutcomeTest, ExchangeEndings) {
  StreamEnd end = clean_end();
  end.done_seen = false;
  end.exchange_ok = false;
  end.exchange_error = http::ClientError::timeout;
  auto timeout = stream_failure(end);
  ASSERT_TRUE(timeout);
  EXPECT_EQ(timeout->status, 504);
  EXPECT_EQ(timeout->message, "upstream http://up timed out after 1.5s mid-stream");
  end.exchange_error = http::ClientError::io;
  end.exchange_message = "reset";
  auto broken = stream_failure(end);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 502);
  EXPECT_EQ(broken->message, "upstream http://up broke the stream: io (reset)");
  end.exchange_ok = true;
  end.exchange_error = http::ClientError::none;
  auto no_done = stream_failure(end);
  ASSERT_TRUE(no_done);
  EXPECT_EQ(no_done->message, "upstream http://up ended the stream before data: [DONE]");
}

}  // namespace
}  // namespace llmtap::gateway
