// For delivery tests that run a real Runtime on another thread: shuts a Dispatcher down and blocks
// the test's thread until its drain report arrives.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "delivery/dispatcher.h"

namespace llmtap::delivery {

// Calls shutdown() with `deliver_for` to deliver what is queued and waits at most `wait` for the
// report: the report, or nothing if it did not come in time.
inline std::optional<DrainReport> drain_and_wait(Dispatcher& dispatcher,
                                                 std::chrono::seconds deliver_for,
                                                 std::chrono::seconds wait) {
  // Shared with the callback, which may still run after a timed-out wait has returned.
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<DrainReport> report;
  };
  auto state = std::make_shared<State>();
  dispatcher.shutdown(std::chrono::steady_clock::now() + deliver_for, [state](DrainReport report) {
    std::lock_guard lock(state->mu);
    state->report = std::move(report);
    state->cv.notify_all();
  });
  std::unique_lock lock(state->mu);
  state->cv.wait_for(lock, wait, [&] { return state->report.has_value(); });
  return state->report;
}

}  // namespace llmtap::delivery
