#include "delivery/runtime_scheduler.h"

#include <utility>

namespace llmtap::delivery {

void RuntimeScheduler::post(std::function<void()> fn) { runtime_.post(std::move(fn)); }

std::unique_ptr<http::Timer> RuntimeScheduler::make_timer() { return runtime_.make_timer(); }

}  // namespace llmtap::delivery
