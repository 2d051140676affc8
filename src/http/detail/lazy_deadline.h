// LazyDeadline: the I/O deadline of one connection, free to move later. Private to src/http/.
//
// Beast's tcp_stream arms a timer for every read and write and cancels it when the operation
// completes: two timer-queue updates, one more handler run for the cancelled wait and, whenever it
// is the loop's earliest timer (with one busy connection it always is), a timerfd_settime syscall.
// That was 3-5 of each per proxied request (callgrind, strace; docs/PERFORMANCE.md). A working
// connection's deadline only moves later (now + timeout, again and again), so here one timer waits
// for the deadline that was current when it was armed. When it fires it looks at the deadline now:
// moved later → it waits again; passed → on_expired(); cleared → it stops. Moving the deadline is
// a store; only a deadline earlier than the armed one re-arms the timer at once.
//
// Lifecycle: owned by the connection, whose sockets on_expired may touch; on_expired is never
// called once the LazyDeadline is destroyed. Thread-safety: expires_* and destruction on the
// connection's executor, where on_expired runs too. A timer that fires on the executor while an
// idle (pooled) connection is destroyed elsewhere only reads the atomic deadline, which is cleared.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

namespace llmtap::http {

class LazyDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  LazyDeadline(const boost::asio::any_io_executor& executor, std::function<void()> on_expired)
      : state_(std::make_shared<State>(executor, std::move(on_expired))) {}
  ~LazyDeadline() {
    state_->attached = false;
    state_->timer.cancel();
  }
  LazyDeadline(const LazyDeadline&) = delete;
  LazyDeadline& operator=(const LazyDeadline&) = delete;

  void expires_at(Clock::time_point when) {
    state_->deadline = when.time_since_epoch().count();
    // An armed timer that fires no later than `when` will find the new deadline and wait again.
    if (state_->armed && state_->armed_for <= when) return;
    arm(state_, when);
  }
  void expires_after(Clock::duration timeout) { expires_at(Clock::now() + timeout); }
  void expires_never() { state_->deadline = kNever; }

 private:
  static constexpr Clock::rep kNever = Clock::time_point::max().time_since_epoch().count();

  struct State {
    State(const boost::asio::any_io_executor& executor, std::function<void()> expired)
        : timer(executor), on_expired(std::move(expired)) {}
    boost::asio::steady_timer timer;
    const std::function<void()> on_expired;
    std::atomic<bool> attached{true};
    std::atomic<Clock::rep> deadline{kNever};
    bool armed = false;
    Clock::time_point armed_for;
    std::uint64_t generation = 0;  // of the latest wait: an older one's handler has nothing to do
  };

  // Handlers hold the State, so a wait that completes after the LazyDeadline is gone finds it.
  static void arm(const std::shared_ptr<State>& state, Clock::time_point when) {
    state->armed = true;
    state->armed_for = when;
    const std::uint64_t generation = ++state->generation;
    state->timer.expires_at(when);  // cancels the wait in progress, if any
    state->timer.async_wait([state, generation](const boost::system::error_code& ec) {
      if (ec || !state->attached || generation != state->generation) return;
      state->armed = false;
      const Clock::rep deadline = state->deadline;
      if (deadline == kNever) return;
      const Clock::time_point due{Clock::duration(deadline)};
      if (Clock::now() < due) {
        arm(state, due);
        return;
      }
      state->deadline = kNever;
      state->on_expired();
    });
  }

  std::shared_ptr<State> state_;
};

}  // namespace llmtap::http
