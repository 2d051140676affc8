#include "http/runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "test_peer.h"

namespace llmtap::http::testing {
namespace {

using RuntimeFixture = RuntimeTest;

// Verifies that post() runs the function on a thread other than the caller's.
TEST_F(RuntimeFixture, PostRunsOnARuntimeThread) {
  std::promise<std::thread::id> ran;
  runtime_.post([&] { ran.set_value(std::this_thread::get_id()); });
  auto future = ran.get_future();
  const auto id = wait_for(future);
  ASSERT_TRUE(id);
  EXPECT_NE(*id, std::this_thread::get_id());
}

// Verifies that expire_after on an armed timer reports the earlier wait as cancelled, and the
// new wait fires.
TEST_F(RuntimeFixture, RearmingATimerCancelsThePreviousWait) {
  auto timer = runtime_.make_timer();
  std::promise<bool> first;
  std::promise<bool> second;
  timer->expire_after(std::chrono::hours(1), [&](bool cancelled) { first.set_value(cancelled); });
  timer->expire_after(std::chrono::milliseconds(1),
                      [&](bool cancelled) { second.set_value(cancelled); });
  auto first_future = first.get_future();
  auto second_future = second.get_future();
  EXPECT_EQ(wait_for(first_future), std::optional<bool>(true));
  EXPECT_EQ(wait_for(second_future), std::optional<bool>(false));
}

// Verifies that on_signals delivers each arrival of a signal, not only the first.
TEST_F(RuntimeFixture, SignalHandlerStaysArmed) {
  std::mutex mu;
  std::vector<int> seen;
  std::promise<void> twice;
  runtime_.on_signals({SIGUSR1}, [&](int signal) {
    std::lock_guard lock(mu);
    seen.push_back(signal);
    if (seen.size() == 1) {
      std::raise(SIGUSR1);
    } else if (seen.size() == 2) {
      twice.set_value();
    }
  });
  std::raise(SIGUSR1);
  auto future = twice.get_future();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<int>{SIGUSR1, SIGUSR1}));
}

// Verifies that run() spreads work over threads() threads and returns once stop() is called.
TEST(RuntimeTestStandalone, RunUsesEveryThreadAndReturnsAfterStop) {
  Runtime runtime(3);
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::promise<void> all_seen;
  std::atomic<bool> done{false};
  // Each task blocks until three distinct threads have picked tasks up, so one thread cannot
  // take them all.
  std::condition_variable cv;
  for (int i = 0; i < 3; ++i) {
    runtime.post([&] {
      std::unique_lock lock(mu);
      threads.insert(std::this_thread::get_id());
      cv.notify_all();
      cv.wait_for(lock, kWait, [&] { return threads.size() >= 3; });
      if (threads.size() >= 3 && !done.exchange(true)) all_seen.set_value();
    });
  }
  std::thread runner([&] { runtime.run(); });
  auto future = all_seen.get_future();
  EXPECT_EQ(future.wait_for(kWait), std::future_status::ready);
  runtime.stop();
  runner.join();
  EXPECT_EQ(threads.size(), 3U);
}

}  // namespace
}  // namespace llmtap::http::testing
