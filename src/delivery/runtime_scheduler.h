// RuntimeScheduler: the production Scheduler, posting work and making timers on the process's
// http::Runtime. Lifecycle: the Runtime must outlive it. Thread-safety: as http::Runtime.
#pragma once

#include "delivery/scheduler.h"
#include "http/runtime.h"

namespace llmtap::delivery {

class RuntimeScheduler final : public Scheduler {
 public:
  explicit RuntimeScheduler(http::Runtime& runtime) : runtime_(runtime) {}
  void post(std::function<void()> fn) override;
  std::unique_ptr<http::Timer> make_timer() override;

 private:
  http::Runtime& runtime_;
};

}  // namespace llmtap::delivery
