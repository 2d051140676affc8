// Scheduler: where a Pipeline runs deferred work and sets timers: the process runtime in
// production (RuntimeScheduler), a manual one in tests. It is how the caller's thread stays free
// of encoding and I/O: push() posts, the scheduler's threads pump.
// Thread-safety: post() and make_timer() are safe from any thread; a Timer is used under its
// owner's lock (see http::Timer for its one-shot, re-arm-cancels semantics).
#pragma once

#include <functional>
#include <memory>

#include "http/runtime.h"

namespace llmtap::delivery {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void post(std::function<void()> fn) = 0;
  virtual std::unique_ptr<http::Timer> make_timer() = 0;
};

}  // namespace llmtap::delivery
