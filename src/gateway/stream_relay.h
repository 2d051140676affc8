// StreamRelay: passes one SSE stream from its producer (the upstream's body pieces, or a mock
// deployment's events) to the client as the events complete, and assembles the completion for
// the record on the way (SseSplitter + StreamAssembler).
//
// Each piece fed becomes at most one write to the client: the complete events it finished,
// byte for byte, except the usage-only chunk when the gateway asked the upstream for usage on the
// client's behalf (forward_usage false). `data: [DONE]` passes through and is remembered.
// Bytes that are not SSE (an upstream answering 200 with JSON or HTML) never reach the client:
// they are counted, their start kept for the error, and the producer's end decides the outcome.
// The deployment's key (mask_key) is masked in everything relayed, as an upstream's error event
// may echo it.
//
// Backpressure: http::Client delivers pieces without waiting, so the relay counts the bytes
// handed to the Responder but not yet on the wire; past max_unwritten_bytes the client is too
// slow and feed() asks the producer to stop, as it does once a write failed (client gone).
//
// Thread-safety: feed(), fail() and end() come from one producer at a time (the upstream
// exchange's strand, or the mock's write chain). Write completions arrive on the client
// connection's strand and touch only the shared atomic Flow.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/stream_assembler.h"
#include "http/server.h"
#include "http/sse_splitter.h"
#include "payload/call_type.h"

namespace llmtap::gateway {

struct StreamRelayOptions {
  payload::CallType type = payload::CallType::completion;
  bool forward_usage = true;  // false: the client did not ask for usage; drop the usage chunk
  std::size_t max_unwritten_bytes = 4 * 1024 * 1024;
  std::size_t max_event_bytes = http::SseSplitter::kDefaultMaxEventBytes;
  std::string mask_key;  // the provider key, masked in every byte relayed (empty: none)
};

class StreamRelay {
 public:
  enum class Stop {
    none,
    client_gone,      // a write to the client failed
    client_too_slow,  // more than max_unwritten_bytes waiting for the client
    bad_stream,       // an event larger than max_event_bytes
  };

  // `clock` gives epoch seconds (for the first chunk's time); tests pass a fixed one.
  StreamRelay(std::shared_ptr<http::Responder> responder, StreamRelayOptions options,
              std::function<double()> clock);

  // Feeds bytes of the stream. `on_written`, when given, is called once what this piece produced
  // is on the wire (at once, with true, when it produced nothing to send) — producers that pace
  // themselves (the mock) wait for it. Returns Stop::none to go on, or why the producer must stop.
  Stop feed(std::string_view piece, std::function<void(bool ok)> on_written = {});

  // At the end of the producer's bytes: an event left without its blank line (a peer that ends
  // with "data: [DONE]\n") is completed and passed on rather than dropped.
  void flush_tail();
  // Ends the client's stream normally.
  void end();
  // Ends the client's stream with an OpenAI-style error event (`data: {"error": …}`), the way
  // OpenAI-compatible servers report a failure after the head was sent.
  void fail(std::string_view error_json);

  // Why the producer had to stop (none while the stream may go on); checks the client's state too.
  Stop stop_reason() const { return stopped_ != Stop::none ? stopped_ : check_flow(); }
  bool done_seen() const { return done_seen_; }
  const StreamAssembler& assembler() const { return assembler_; }
  // Epoch seconds of the first chunk carrying choices (time to first token), if any came.
  std::optional<double> first_chunk_time() const { return first_chunk_time_; }
  std::size_t unwritten_bytes() const { return flow_->unwritten.load(); }
  // Bytes of the stream that were not SSE (kept from the client), and the first of them.
  std::size_t non_sse_bytes() const { return non_sse_bytes_; }
  std::string_view non_sse_excerpt() const { return non_sse_excerpt_; }

  static constexpr std::size_t kMaxNonSseExcerpt = 200;

 private:
  // Shared with the write completions, which may run after the relay is gone.
  struct Flow {
    std::atomic<std::size_t> unwritten{0};
    std::atomic<bool> client_gone{false};
  };

  Stop check_flow() const;

  std::shared_ptr<http::Responder> responder_;
  StreamRelayOptions options_;
  std::function<double()> clock_;
  http::SseSplitter splitter_;
  StreamAssembler assembler_;
  std::shared_ptr<Flow> flow_ = std::make_shared<Flow>();
  bool done_seen_ = false;
  bool ended_ = false;
  std::size_t non_sse_bytes_ = 0;
  std::string non_sse_excerpt_;
  Stop stopped_ = Stop::none;
  std::optional<double> first_chunk_time_;
};

const char* to_string(StreamRelay::Stop stop);

}  // namespace llmtap::gateway
