// Test doubles for the Pipeline's seams: a manual clock, a manual scheduler whose timers fire only
// when the test advances time, and a fake endpoint that records every request and answers only
// when the test says so; plus header(), to read what a request carries. Single-threaded:
// everything runs on the test's thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delivery/clock.h"
#include "delivery/scheduler.h"
#include "delivery/transport.h"

namespace llmtap::delivery::testing {

// The value of the first header named exactly `name`, or "<absent>".
inline std::string header(const http::ClientRequest& request, std::string_view name) {
  for (const auto& h : request.headers) {
    if (h.name == name) return h.value;
  }
  return "<absent>";
}

class ManualClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override { return now_; }
  std::chrono::system_clock::time_point system_now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000)) +
           (now_ - start_);
  }
  void set(std::chrono::steady_clock::time_point t) { now_ = t; }

 private:
  std::chrono::steady_clock::time_point start_ =
      std::chrono::steady_clock::time_point(std::chrono::hours(1));
  std::chrono::steady_clock::time_point now_ = start_;
};

class ManualScheduler final : public Scheduler {
 public:
  explicit ManualScheduler(std::shared_ptr<ManualClock> clock) : clock_(std::move(clock)) {}

  void post(std::function<void()> fn) override { posted_.push_back(std::move(fn)); }

  std::unique_ptr<http::Timer> make_timer() override {
    auto slot = std::make_shared<Slot>();
    slots_.push_back(slot);
    return std::make_unique<ManualTimer>(this, slot);
  }

  // Runs posted work and timers due at the current time until nothing more is ready.
  void run_ready() {
    for (;;) {
      if (!posted_.empty()) {
        auto fn = std::move(posted_.front());
        posted_.pop_front();
        fn();
        continue;
      }
      auto slot = earliest_armed();
      if (!slot || slot->at > clock_->now()) return;
      fire(*slot);
    }
  }

  // Moves time forward by `d`, firing every timer on the way at its own time.
  void advance(std::chrono::nanoseconds d) {
    const auto target = clock_->now() + d;
    for (;;) {
      run_ready();
      auto slot = earliest_armed();
      if (!slot || slot->at > target) break;
      clock_->set(slot->at);
    }
    clock_->set(target);
    run_ready();
  }

  // When the earliest armed timer fires, if any.
  std::optional<std::chrono::steady_clock::time_point> next_timer() {
    auto slot = earliest_armed();
    if (!slot) return std::nullopt;
    return slot->at;
  }

 private:
  struct Slot {
    bool armed = false;
    std::chrono::steady_clock::time_point at;
    std::function<void(bool)> fn;
  };

  class ManualTimer final : public http::Timer {
   public:
    ManualTimer(ManualScheduler* owner, std::shared_ptr<Slot> slot)
        : owner_(owner), slot_(std::move(slot)) {}
    ~ManualTimer() override { *slot_ = Slot{}; }  // like SteadyTimer: no callback after destruction
    void expire_after(std::chrono::nanoseconds delay, std::function<void(bool)> fn) override {
      cancel();
      slot_->armed = true;
      slot_->at = owner_->clock_->now() + delay;
      slot_->fn = std::move(fn);
    }
    void cancel() override {
      if (!slot_->armed) return;
      slot_->armed = false;
      owner_->post([fn = std::move(slot_->fn)] { fn(true); });
    }

   private:
    ManualScheduler* owner_;
    std::shared_ptr<Slot> slot_;
  };

  std::shared_ptr<Slot> earliest_armed() {
    std::erase_if(slots_, [](const std::weak_ptr<Slot>& w) { return w.expired(); });
    std::shared_ptr<Slot> best;
    for (auto& weak : slots_) {
      auto slot = weak.lock();
      if (slot && slot->armed && (!best || slot->at < best->at)) best = slot;
    }
    return best;
  }

  static void fire(Slot& slot) {
    slot.armed = false;
    auto fn = std::move(slot.fn);
    fn(false);
  }

  std::shared_ptr<ManualClock> clock_;
  std::deque<std::function<void()>> posted_;
  std::vector<std::weak_ptr<Slot>> slots_;
};

// What the fake endpoint saw, and the exchanges still waiting for an answer.
struct FakeEndpoint {
  struct Exchange {
    http::ClientRequest request;
    std::function<void(http::ClientResult)> done;
  };
  std::vector<http::ClientRequest> requests;  // every request, in order
  std::deque<Exchange> pending;

  // Answers the oldest pending request with `status`.
  void respond(int status, http::Headers headers = {}, std::string body = {}) {
    http::ClientResult result;
    result.response.status = status;
    result.response.headers = std::move(headers);
    result.response.body = std::move(body);
    complete(std::move(result));
  }
  void fail(http::ClientError error) {
    http::ClientResult result;
    result.error = error;
    complete(std::move(result));
  }
  void complete(http::ClientResult result) {
    auto exchange = std::move(pending.front());
    pending.pop_front();
    exchange.done(std::move(result));
  }
};

// Holds its endpoint weakly: unanswered exchanges keep the pipeline alive (as a real client's
// pending requests do), so the test, not the pipeline, must own them to avoid a cycle.
class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(std::weak_ptr<FakeEndpoint> endpoint) : endpoint_(std::move(endpoint)) {}
  void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) override {
    auto endpoint = endpoint_.lock();
    if (!endpoint) return;
    endpoint->requests.push_back(request);
    endpoint->pending.push_back({std::move(request), std::move(done)});
  }

 private:
  std::weak_ptr<FakeEndpoint> endpoint_;
};

}  // namespace llmtap::delivery::testing
