#include "gateway/deployment_metrics.h"

#include "base/prometheus.h"

namespace llmtap::gateway {

DeploymentMetrics::DeploymentMetrics(const std::vector<config::Deployment>& deployments)
    : counters_(std::make_unique<Counters[]>(deployments.size())) {
  names_.reserve(deployments.size());
  for (const config::Deployment& d : deployments) names_.push_back({d.model_name, d.id});
}

void DeploymentMetrics::on_attempt(std::size_t index, bool success, bool retry, bool fallback) {
  if (index >= names_.size()) return;
  Counters& c = counters_[index];
  (success ? c.successes : c.failures).fetch_add(1, std::memory_order_relaxed);
  if (retry) c.retries.fetch_add(1, std::memory_order_relaxed);
  if (fallback) c.fallbacks.fetch_add(1, std::memory_order_relaxed);
}

void DeploymentMetrics::append_text(std::string& text, const router::Health& health,
                                    std::chrono::steady_clock::time_point now) const {
  prometheus::Writer out(text);
  auto each = [&](auto&& value) {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      const prometheus::Label group{"model_group", names_[i].group};
      const prometheus::Label id{"model_id", names_[i].id};
      value(i, group, id);
    }
  };
  out.family("llmtap_deployment_attempts_total", "counter",
             "Upstream attempts per deployment, by outcome (success, failure).");
  each([&](std::size_t i, const prometheus::Label& group, const prometheus::Label& id) {
    out.sample("llmtap_deployment_attempts_total", {group, id, {"outcome", "success"}},
               counters_[i].successes.load(std::memory_order_relaxed));
    out.sample("llmtap_deployment_attempts_total", {group, id, {"outcome", "failure"}},
               counters_[i].failures.load(std::memory_order_relaxed));
  });
  out.family("llmtap_deployment_retries_total", "counter",
             "Attempts per deployment that retried a failed attempt in its group.");
  each([&](std::size_t i, const prometheus::Label& group, const prometheus::Label& id) {
    out.sample("llmtap_deployment_retries_total", {group, id},
               counters_[i].retries.load(std::memory_order_relaxed));
  });
  out.family("llmtap_deployment_fallbacks_total", "counter",
             "Fallback hops per deployment: attempts that began a fallback to its group.");
  each([&](std::size_t i, const prometheus::Label& group, const prometheus::Label& id) {
    out.sample("llmtap_deployment_fallbacks_total", {group, id},
               counters_[i].fallbacks.load(std::memory_order_relaxed));
  });
  out.family("llmtap_deployment_cooldowns_total", "counter",
             "Cooldowns each deployment entered after failures.");
  each([&](std::size_t i, const prometheus::Label& group, const prometheus::Label& id) {
    out.sample("llmtap_deployment_cooldowns_total", {group, id}, health.cooldowns_entered(i));
  });
  out.family("llmtap_deployment_cooling", "gauge",
             "1 while the deployment is cooling down (left out of routing), else 0.");
  each([&](std::size_t i, const prometheus::Label& group, const prometheus::Label& id) {
    out.sample("llmtap_deployment_cooling", {group, id},
               std::uint64_t{health.cooling(i, now) ? 1U : 0U});
  });
}

}  // namespace llmtap::gateway
