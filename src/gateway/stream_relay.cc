#include "gateway/stream_relay.h"

#include <utility>

#include "gateway/key_mask.h"

namespace llmtap::gateway {

const char* to_string(StreamRelay::Stop stop) {
  switch (stop) {
    case StreamRelay::Stop::none:
      return "none";
    case StreamRelay::Stop::client_gone:
      return "client_gone";
    case StreamRelay::Stop::client_too_slow:
      return "client_too_slow";
    case StreamRelay::Stop::bad_stream:
      return "bad_stream";
  }
  return "unknown";
}

StreamRelay::StreamRelay(std::shared_ptr<http::Responder> responder, StreamRelayOptions options,
                         std::function<double()> clock)
    : responder_(std::move(responder)),
      options_(options),
      clock_(std::move(clock)),
      splitter_(options.max_event_bytes),
      assembler_(options.type) {}

StreamRelay::Stop StreamRelay::check_flow() const {
  if (flow_->client_gone.load() || responder_->client_gone()) return Stop::client_gone;
  if (flow_->unwritten.load() > options_.max_unwritten_bytes) return Stop::client_too_slow;
  return Stop::none;
}

StreamRelay::Stop StreamRelay::feed(std::string_view piece,
                                    std::function<void(bool ok)> on_written) {
  if (stopped_ == Stop::none) stopped_ = check_flow();
  if (stopped_ != Stop::none) {
    if (on_written) on_written(false);
    return stopped_;
  }
  splitter_.append(piece);
  std::string out;
  http::SseEvent event;
  while (splitter_.next(event)) {
    if (!event.sse) {
      non_sse_bytes_ += event.raw.size();
      if (non_sse_excerpt_.size() < kMaxNonSseExcerpt) {
        non_sse_excerpt_.append(event.raw.substr(0, kMaxNonSseExcerpt - non_sse_excerpt_.size()));
      }
      continue;
    }
    if (event.has_data) {
      if (event.data == "[DONE]") {
        done_seen_ = true;
      } else {
        const ChunkFacts facts = assembler_.add(event.data);
        if (facts.has_choices && !first_chunk_time_) first_chunk_time_ = clock_();
        if (facts.usage_only && !options_.forward_usage) continue;
      }
    }
    if (out.empty()) {
      out.reserve(piece.size());
    }
    out.append(event.raw);
  }
  if (splitter_.overflow()) {
    stopped_ = Stop::bad_stream;
    if (on_written) on_written(false);
    return stopped_;
  }
  if (out.empty()) {
    if (on_written) on_written(true);
    return Stop::none;
  }
  mask_key(out, options_.mask_key);
  const std::size_t size = out.size();
  flow_->unwritten.fetch_add(size);
  responder_->write(std::move(out), [flow = flow_, size, done = std::move(on_written)](bool ok) {
    flow->unwritten.fetch_sub(size);
    if (!ok) flow->client_gone.store(true);
    if (done) done(ok);
  });
  return Stop::none;
}

void StreamRelay::flush_tail() {
  if (splitter_.pending_bytes() > 0) feed("\n\n");
}

void StreamRelay::end() {
  if (ended_) return;
  ended_ = true;
  responder_->end_stream();
}

void StreamRelay::fail(std::string_view error_json) {
  if (ended_) return;
  if (stopped_ != Stop::client_gone && !flow_->client_gone.load()) {
    std::string event;
    event.reserve(error_json.size() + 8);
    event.append("data: ").append(error_json).append("\n\n");
    responder_->write(std::move(event), {});
  }
  end();
}

}  // namespace llmtap::gateway
