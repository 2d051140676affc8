#include "support/mock_stream.h"

#include <utility>

namespace llmtap::test {
namespace {

struct EventWriter : std::enable_shared_from_this<EventWriter> {
  http::Runtime& runtime;
  std::shared_ptr<http::Responder> responder;
  std::vector<std::string> events;
  std::chrono::milliseconds drip;
  std::optional<std::size_t> cut_after;
  std::size_t next = 0;

  EventWriter(http::Runtime& rt, std::shared_ptr<http::Responder> r, std::vector<std::string> e,
              std::chrono::milliseconds d, std::optional<std::size_t> cut)
      : runtime(rt), responder(std::move(r)), events(std::move(e)), drip(d), cut_after(cut) {}

  void write_next() {
    if (cut_after && next == *cut_after) {
      responder.reset();
      return;
    }
    if (next == events.size()) {
      responder->end_stream();
      return;
    }
    std::string event = std::move(events[next++]);
    responder->write(std::move(event), [self = shared_from_this()](bool ok) {
      if (!ok) {
        self->responder->end_stream();
        return;
      }
      if (self->drip.count() <= 0) {
        self->write_next();
        return;
      }
      std::shared_ptr<http::Timer> timer = self->runtime.make_timer();
      timer->expire_after(self->drip, [timer, self](bool) { self->write_next(); });
    });
  }
};

}  // namespace

void write_events(http::Runtime& runtime, std::shared_ptr<http::Responder> responder,
                  std::vector<std::string> events, std::chrono::milliseconds drip,
                  std::optional<std::size_t> cut_after) {
  std::make_shared<EventWriter>(runtime, std::move(responder), std::move(events), drip, cut_after)
      ->write_next();
}

void answer_after(http::Runtime& runtime, std::chrono::milliseconds delay,
                  std::function<void()> answer) {
  if (delay.count() <= 0) {
    answer();
    return;
  }
  // The timer must outlive this call: the callback holds the only reference to it.
  std::shared_ptr<http::Timer> timer = runtime.make_timer();
  timer->expire_after(delay, [timer, answer = std::move(answer)](bool) { answer(); });
}

}  // namespace llmtap::test
