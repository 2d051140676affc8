#include "gateway/stream_outcome.h"

#include <fmt/format.h>

#include "providers/upstream_error.h"

namespace llmtap::gateway {

std::optional<StreamFailure> stream_failure(const StreamEnd& end) {
  using Stop = StreamRelay::Stop;
  if (end.exchange_ok && end.done_seen && end.error_raw.empty() && end.stop == Stop::none) {
    return std::nullopt;
  }
  if (end.stop == Stop::client_gone) {
    return StreamFailure{kClientClosedRequest, "client_disconnected", "ClientDisconnected",
                         "the client disconnected mid-stream"};
  }
  if (end.stop == Stop::client_too_slow) {
    return StreamFailure{kClientClosedRequest, "client_too_slow", "ClientTooSlow",
                         "the client read the stream too slowly; it was cut off to bound memory"};
  }
  if (end.stop == Stop::bad_stream) {
    return StreamFailure{502, "api_connection_error", "APIConnectionError",
                         fmt::format("upstream {} sent an SSE event larger than {} bytes",
                                     end.api_base, end.max_event_bytes)};
  }
  if (end.non_sse_bytes > 0 && end.chunks == 0 && !end.done_seen) {
    return StreamFailure{
        502, "api_error", "APIError",
        fmt::format("upstream {} answered the stream request with {} bytes that are not "
                    "server-sent events; they start: {}",
                    end.api_base, end.non_sse_bytes, end.non_sse_excerpt)};
  }
  if (!end.error_raw.empty()) {
    // A translated stream's error has the status and class its translator mapped (Anthropic's
    // event carries no status: 500, InternalServerError); LiteLLM raises an OpenAI-compatible
    // one as a 500 APIError. error_raw is the event's error object itself; read_error_text()
    // reads an error body.
    const std::string body = fmt::format(R"({{"error":{}}})", end.error_raw);
    std::string message = fmt::format("upstream {} sent an error mid-stream: {}", end.api_base,
                                      providers::read_error_text(body).message);
    if (end.translated_error != nullptr) {
      return StreamFailure{end.translated_error->status, end.translated_error->type,
                           end.translated_error->error_class, std::move(message)};
    }
    return StreamFailure{500, "api_error", end.translated ? "InternalServerError" : "APIError",
                         std::move(message)};
  }
  if (!end.exchange_ok && end.exchange_error == http::ClientError::timeout) {
    return StreamFailure{504, "timeout", "Timeout",
                         fmt::format("upstream {} timed out after {}s mid-stream", end.api_base,
                                     std::chrono::duration<double>(end.timeout).count())};
  }
  if (!end.exchange_ok) {
    return StreamFailure{502, "api_connection_error", "APIConnectionError",
                         fmt::format("upstream {} broke the stream: {} ({})", end.api_base,
                                     http::to_string(end.exchange_error), end.exchange_message)};
  }
  return StreamFailure{
      502, "api_connection_error", "APIConnectionError",
      fmt::format("upstream {} ended the stream before data: [DONE]", end.api_base)};
}

}  // namespace llmtap::gateway
