// DeploymentMetrics: the router's counters per deployment (README "Metrics"): attempts by
// outcome, how many were retries and how many started a fallback hop, and — from
// router::Health — cooldowns entered and whether it is cooling now. Labels: model_group and
// model_id (the deployment's model_info.id).
//
// Thread-safety: on_attempt() is lock-free (relaxed atomics) and safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "router/health.h"

namespace llmtap::gateway {

class DeploymentMetrics {
 public:
  explicit DeploymentMetrics(const std::vector<config::Deployment>& deployments);

  // One attempt of deployment `index` ended: `retry` when it was a retry in its group,
  // `fallback` when it was the first attempt of a fallback hop.
  void on_attempt(std::size_t index, bool success, bool retry, bool fallback);
  // Appends the exposition text (HELP/TYPE lines included).
  void append_text(std::string& out, const router::Health& health,
                   std::chrono::steady_clock::time_point now) const;

 private:
  struct Counters {
    std::atomic<std::uint64_t> successes{0};
    std::atomic<std::uint64_t> failures{0};
    std::atomic<std::uint64_t> retries{0};
    std::atomic<std::uint64_t> fallbacks{0};
  };
  struct Names {
    std::string group;
    std::string id;
  };
  std::vector<Names> names_;
  std::unique_ptr<Counters[]> counters_;
};

}  // namespace llmtap::gateway
