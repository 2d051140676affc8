// Runtime: the process's one async runtime (a boost::asio::io_context run by a few threads),
// behind an interface small enough that modules outside src/http/ never include Asio.
//
// Lifecycle: construct, hand to servers/clients/timers, call run() (blocks until stop()).
// Thread-safety: post(), make_timer() and stop() may be called from any thread.
#pragma once

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <vector>

namespace llmtap::http {

// A one-shot timer. Re-arming cancels the previous wait (its callback gets cancelled = true).
// Callbacks run on a runtime thread. Destroying the timer cancels it; a callback that has not
// started by then never runs. Not thread-safe: one owner (or its strand/mutex) arms and cancels it.
class Timer {
 public:
  virtual ~Timer() = default;
  virtual void expire_after(std::chrono::nanoseconds delay,
                            std::function<void(bool cancelled)> fn) = 0;
  virtual void cancel() = 0;
};

class Runtime {
 public:
  explicit Runtime(unsigned threads);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  unsigned threads() const { return threads_; }

  // Runs `fn` soon on a runtime thread.
  void post(std::function<void()> fn);

  std::unique_ptr<Timer> make_timer();

  // Calls `fn` (on a runtime thread) each time one of `signals` arrives.
  void on_signals(std::vector<int> signals, std::function<void(int signal)> fn);

  // Runs the event loop on `threads()` threads (the caller is one of them); returns after stop().
  void run();
  // Makes run() return once the handlers in progress finish. Safe from any thread.
  void stop();

  // For code inside src/http/ only: the io_context behind this runtime.
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  unsigned threads_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmtap::http
