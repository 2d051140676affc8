#include "gateway/stream_relay.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmtap::gateway {
namespace {

// A Responder that keeps what it is asked to do; writes complete only when the test says so.
class FakeResponder final : public http::Responder {
 public:
  void respond(http::Response response) override { responded.push_back(std::move(response)); }
  void begin_stream(int status, http::Headers) override { began = status; }
  void write(std::string chunk, std::function<void(bool)> on_written) override {
    chunks.push_back(std::move(chunk));
    pending.push_back(std::move(on_written));
  }
  void end_stream() override { ++ended; }
  bool client_gone() const override { return gone; }

  // Completes the oldest write not yet completed.
  void complete_one(bool ok) {
    auto done = std::move(pending.front());
    pending.erase(pending.begin());
    if (done) done(ok);
  }

  std::vector<http::Response> responded;
  int began = 0;
  std::vector<std::string> chunks;
  std::vector<std::function<void(bool)>> pending;
  int ended = 0;
  bool gone = false;
};

const std::string kHead = R"({"id":"c1","object":"chat.completion.chunk","created":5,"model":"m")";
const std::string kToken =
    "data: " + kHead + R"(,"choices":[{"index":0,"delta":{"content":"hi"}}]})" + "\n\n";
const std::string kUsage =
    "data: " + kHead +
    R"(,"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}})" +
    "\n\n";
const std::string kDone = "data: [DONE]\n\n";

struct Fixture {
  explicit Fixture(bool forward_usage, std::size_t max_unwritten = 1 << 20) {
    StreamRelayOptions options;
    options.forward_usage = forward_usage;
    options.max_unwritten_bytes = max_unwritten;
    relay = std::make_unique<StreamRelay>(responder, options, [this] { return now; });
  }
  std::shared_ptr<FakeResponder> responder = std::make_shared<FakeResponder>();
  double now = 1000.5;
  std::unique_ptr<StreamRelay> relay;
};

// Verifies that complete events go out byte for byte, an event split across pieces goes out once
// complete, [DONE] is passed through and noticed, and the first token's time is kept.
TEST(StreamRelayTest, ForwardsCompleteEventsAsTheyArrive) {
  Fixture f(/*forward_usage=*/true);
  EXPECT_EQ(f.relay->feed(kToken.substr(0, 10)), StreamRelay::Stop::none);
  EXPECT_TRUE(f.responder->chunks.empty());
  EXPECT_FALSE(f.relay->first_chunk_time().has_value());
  f.relay->feed(kToken.substr(10));
  ASSERT_EQ(f.responder->chunks.size(), 1u);
  EXPECT_EQ(f.responder->chunks[0], kToken);
  EXPECT_EQ(f.relay->first_chunk_time(), 1000.5);
  f.now = 2000;
  f.relay->feed(kToken + kUsage + kDone);
  ASSERT_EQ(f.responder->chunks.size(), 2u);
  EXPECT_EQ(f.responder->chunks[1], kToken + kUsage + kDone);
  EXPECT_TRUE(f.relay->done_seen());
  EXPECT_EQ(f.relay->first_chunk_time(), 1000.5);
  EXPECT_TRUE(f.relay->assembler().has_usage());
}

// Verifies that the usage-only chunk is kept from a client that did not ask for usage, while its
// usage still reaches the assembled completion.
TEST(StreamRelayTest, DropsUsageChunkTheClientDidNotAskFor) {
  Fixture f(/*forward_usage=*/false);
  f.relay->feed(kToken + kUsage + kDone);
  ASSERT_EQ(f.responder->chunks.size(), 1u);
  EXPECT_EQ(f.responder->chunks[0], kToken + kDone);
  EXPECT_EQ(f.relay->assembler().usage_raw(),
            R"({"prompt_tokens":11,"completion_tokens":7,"total_tokens":18})");
}

// Verifies that a failed write makes the next feed ask the producer to stop (client gone).
TEST(StreamRelayTest, StopsWhenTheClientIsGone) {
  Fixture f(true);
  f.relay->feed(kToken);
  f.responder->complete_one(false);
  EXPECT_EQ(f.relay->stop_reason(), StreamRelay::Stop::client_gone);
  EXPECT_EQ(f.relay->feed(kToken), StreamRelay::Stop::client_gone);
  EXPECT_EQ(f.responder->chunks.size(), 1u);
  // No error event is written to a client that is gone; the stream is still ended.
  f.relay->fail(R"({"error":{}})");
  EXPECT_EQ(f.responder->chunks.size(), 1u);
  EXPECT_EQ(f.responder->ended, 1);
}

// Verifies backpressure: past the bound of unwritten bytes the producer is told to stop, and
// completed writes release the bytes.
TEST(StreamRelayTest, BoundsBytesWaitingForASlowClient) {
  Fixture f(true, /*max_unwritten=*/kToken.size() * 2);
  EXPECT_EQ(f.relay->feed(kToken), StreamRelay::Stop::none);
  EXPECT_EQ(f.relay->feed(kToken), StreamRelay::Stop::none);
  EXPECT_EQ(f.relay->unwritten_bytes(), kToken.size() * 2);
  f.responder->complete_one(true);
  EXPECT_EQ(f.relay->unwritten_bytes(), kToken.size());
  EXPECT_EQ(f.relay->feed(kToken), StreamRelay::Stop::none);
  EXPECT_EQ(f.relay->feed(kToken), StreamRelay::Stop::none);  // 3 unwritten now: over the bound
  EXPECT_EQ(f.relay->feed(kToken), StreamRelay::Stop::client_too_slow);
  EXPECT_EQ(f.responder->chunks.size(), 4u);
}

// Verifies that a paced producer's on_written fires after the write completes, or at once when
// the piece produced nothing to send.
TEST(StreamRelayTest, ReportsWhenAPieceIsOnTheWire) {
  Fixture f(false);
  std::vector<bool> done;
  f.relay->feed(kToken, [&](bool ok) { done.push_back(ok); });
  EXPECT_TRUE(done.empty());
  f.responder->complete_one(true);
  EXPECT_EQ(done, std::vector<bool>{true});
  f.relay->feed(kUsage, [&](bool ok) { done.push_back(ok); });  // dropped: nothing to write
  EXPECT_EQ(done, (std::vector<bool>{true, true}));
}

// Verifies that a failure ends the stream with an OpenAI-style error event, once.
TEST(StreamRelayTest, FailWritesErrorEventThenEnds) {
  Fixture f(true);
  f.relay->fail(R"({"error":{"message":"x"}})");
  f.relay->end();
  ASSERT_EQ(f.responder->chunks.size(), 1u);
  EXPECT_EQ(f.responder->chunks[0], "data: {\"error\":{\"message\":\"x\"}}\n\n");
  EXPECT_EQ(f.responder->ended, 1);
}

// Verifies that a last event without its blank line is completed at the end of the stream.
TEST(StreamRelayTest, FlushesUnterminatedTail) {
  Fixture f(true);
  f.relay->feed("data: [DONE]\n");
  EXPECT_FALSE(f.relay->done_seen());
  f.relay->flush_tail();
  EXPECT_TRUE(f.relay->done_seen());
  ASSERT_EQ(f.responder->chunks.size(), 1u);
  EXPECT_EQ(f.responder->chunks[0], "data: [DONE]\n\n");
}

// Verifies that an oversized event stops the stream as malformed.
TEST(StreamRelayTest, StopsOnOversizedEvent) {
  StreamRelayOptions options;
  options.max_event_bytes = 32;
  auto responder = std::make_shared<FakeResponder>();
  StreamRelay relay(responder, options, [] { return 0.0; });
  EXPECT_EQ(relay.feed("data: " + std::string(64, 'x')), StreamRelay::Stop::bad_stream);
  EXPECT_EQ(relay.stop_reason(), StreamRelay::Stop::bad_stream);
}

// Verifies that a body that is not SSE (JSON, text without a blank line) never reaches the
// client: it is counted and its start kept, so the only thing the client gets is the error event.
TEST(StreamRelayTest, KeepsBytesThatAreNotSseFromTheClient) {
  Fixture f(true);
  EXPECT_EQ(f.relay->feed("{\"id\":\"x\",\n\"object\":\"chat.completion\"}\n\n"),
            StreamRelay::Stop::none);
  f.relay->feed("<html>not json {");
  f.relay->flush_tail();
  EXPECT_TRUE(f.responder->chunks.empty());
  EXPECT_EQ(f.relay->non_sse_bytes(), 58u);  // 40 + 16 + the blank line flush_tail adds
  EXPECT_TRUE(f.relay->non_sse_excerpt().starts_with("{\"id\":\"x\",\n"))
      << f.relay->non_sse_excerpt();
  EXPECT_FALSE(f.relay->done_seen());
  f.relay->fail(R"({"error":{"message":"x"}})");
  ASSERT_EQ(f.responder->chunks.size(), 1u);
  EXPECT_EQ(f.responder->chunks[0], "data: {\"error\":{\"message\":\"x\"}}\n\n");
}

// Verifies that the provider key an upstream echoes in an error event mid-stream is masked in
// what the client gets, while the other events go out unchanged.
TEST(StreamRelayTest, MasksTheProviderKeyInRelayedEvents) {
  StreamRelayOptions options;
  options.mask_key = "sk-upstream-secret";
  auto responder = std::make_shared<FakeResponder>();
  StreamRelay relay(responder, options, [] { return 0.0; });
  relay.feed(kToken +
             R"(data: {"error":{"message":"Incorrect API key provided: sk-upstream-secret"}})" +
             "\n\n");
  ASSERT_EQ(responder->chunks.size(), 1u);
  EXPECT_EQ(responder->chunks[0],
            kToken +
                R"(data: {"error":{"message":"Incorrect API key provided: [api_key redacted]"}})" +
                "\n\n");
  EXPECT_NE(relay.assembler().error_raw().find("Incorrect API key"), std::string_view::npos);
}

}  // namespace
}  // namespace llmtap::gateway
