// Clock: where a Pipeline reads time, so its logic runs under a manual clock in tests.
// now() is monotonic (deadlines, backoff, retry budgets); system_now() is wall time, used only to
// read HTTP-date Retry-After values. Thread-safety: implementations are safe from any thread.
#pragma once

#include <chrono>

namespace llmtap::delivery {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() const = 0;
  virtual std::chrono::system_clock::time_point system_now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point system_now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace llmtap::delivery
