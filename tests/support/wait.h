// wait_until(): polls a condition until it holds or a deadline passes, backing off from 1 ms to
// 50 ms between checks. For integration tests that wait on another process (a file appearing, a
// record arriving) where there is nothing to block on; never a fixed sleep.
// Thread-safety: the predicate runs on the calling thread only.
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace llmtap::test {

// Returns true as soon as `predicate()` is true, false if it is still false at the deadline.
template <typename Predicate>
bool wait_until(Predicate&& predicate, std::chrono::steady_clock::time_point deadline) {
  std::chrono::milliseconds pause{1};
  while (true) {
    if (predicate()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::milliseconds{50});
  }
}

template <typename Predicate>
bool wait_until(Predicate&& predicate,
                std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
  return wait_until(std::forward<Predicate>(predicate), std::chrono::steady_clock::now() + timeout);
}

}  // namespace llmtap::test
