// How an upstream stream ended, as the client's error event and the record's failure see it — a
// pure decision over what the relay, the translator and the exchange observed, so every ending
// is unit-tested without sockets (tests/unit/gateway/stream_outcome_test.cc).
//
// In order: the client went away or read too slowly (499); an oversized event (502); bytes that
// were no SSE at all (502); an error event inside the stream (500, as LiteLLM answers an
// OpenAI-compatible `{"error":…}` chunk; a translated one with the status and class its
// translator mapped, e.g. Gemini's 429 RESOURCE_EXHAUSTED a RateLimitError); the upstream timed out
// (504) or broke the connection (502); the stream ended without `data: [DONE]` (502).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/stream_relay.h"
#include "http/client_result.h"
#include "providers/upstream_error.h"

namespace llmtap::gateway {

// What was observed when the upstream's stream ended.
struct StreamEnd {
  std::string_view api_base;  // named in the messages
  std::chrono::milliseconds timeout{0};
  bool translated = false;  // a provider's own stream, translated (LiteLLM's class differs)
  // The exchange: ok, or how it failed.
  bool exchange_ok = true;
  http::ClientError exchange_error = http::ClientError::none;
  std::string_view exchange_message;
  // The relay and translator.
  StreamRelay::Stop stop = StreamRelay::Stop::none;
  bool done_seen = false;
  std::string_view error_raw;  // an error object sent inside the stream, if any
  // A translated stream's error event as its translator mapped it (status, class), or null.
  const providers::UpstreamError* translated_error = nullptr;
  std::size_t chunks = 0;
  std::size_t non_sse_bytes = 0;
  std::string_view non_sse_excerpt;
  std::size_t max_event_bytes = 0;
};

// A stream that did not end well: the client's error event and the record's error.
struct StreamFailure {
  int status = 502;
  std::string_view type;         // OpenAI error type for the client's error event
  std::string_view error_class;  // LiteLLM exception class for the record
  std::string message;
};

// The status nginx logs for a client that went away before the answer was complete.
inline constexpr int kClientClosedRequest = 499;

// nullopt when the stream ended normally (data: [DONE], no error event, nothing stopped it).
std::optional<StreamFailure> stream_failure(const StreamEnd& end);

}  // namespace llmtap::gateway
