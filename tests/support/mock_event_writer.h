// write_events(): a mock's streamed answer written one event after the other, each once the
// previous is on the wire (and `drip` later), so each goes out as its own chunk, the way the
// providers stream; the stream ends after the last event, or when the client has gone.
// (The Anthropic and Cohere mocks use it; the OpenAI mock keeps its own, which can also cut.)
//
// Thread-safety: the writer lives on the runtime's callbacks; start it from a handler.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/runtime.h"
#include "http/server.h"

namespace llmtap::test {

class EventWriter : public std::enable_shared_from_this<EventWriter> {
 public:
  EventWriter(http::Runtime& runtime, std::shared_ptr<http::Responder> responder,
              std::vector<std::string> events, std::chrono::milliseconds drip)
      : runtime_(runtime),
        responder_(std::move(responder)),
        events_(std::move(events)),
        drip_(drip) {}

  void write_next() {
    if (next_ == events_.size()) {
      responder_->end_stream();
      return;
    }
    std::string event = events_[next_++];
    responder_->write(std::move(event), [self = shared_from_this()](bool ok) {
      if (!ok) {
        self->responder_->end_stream();
        return;
      }
      if (self->drip_.count() <= 0) {
        self->write_next();
        return;
      }
      std::shared_ptr<http::Timer> timer = self->runtime_.make_timer();
      timer->expire_after(self->drip_, [timer, self](bool) { self->write_next(); });
    });
  }

 private:
  http::Runtime& runtime_;
  std::shared_ptr<http::Responder> responder_;
  std::vector<std::string> events_;
  std::chrono::milliseconds drip_;
  std::size_t next_ = 0;
};

// Starts writing `events` (after begin_stream()).
inline void write_events(http::Runtime& runtime, std::shared_ptr<http::Responder> responder,
                         std::vector<std::string> events, std::chrono::milliseconds drip) {
  std::make_shared<EventWriter>(runtime, std::move(responder), std::move(events), drip)
      ->write_next();
}

}  // namespace llmtap::test
