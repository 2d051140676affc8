// What the router's decision costs per request (docs/PERFORMANCE.md "Router"): an AttemptPlan
// made, its first attempt picked among a group's healthy deployments and its success counted —
// what every request pays — and the decision after a failure (a retry picked), against the
// pick llmtap made before the router existed (gateway::Router::pick: a name lookup and a
// modulo), in groups of 1 and 4 deployments. Threads(2): two requests at once, for the Health
// counts' mutex.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "gateway/router.h"
#include "router/attempt_plan.h"
#include "router/health.h"

namespace llmtap {
namespace {

// Groups "solo" (1 deployment) and "quad" (4), plus 20 other groups, as a real model_list has.
config::Config bench_config() {
  config::Config c;
  auto add = [&](const std::string& group, int count) {
    for (int i = 0; i < count; ++i) {
      config::Deployment d;
      d.model_name = group;
      d.model = "openai/" + group;
      d.provider = "openai";
      d.upstream_model = group;
      d.id = group + "-" + std::to_string(i);
      c.deployments.push_back(d);
    }
    c.model_names.push_back(group);
  };
  for (int i = 0; i < 20; ++i) add("model-" + std::to_string(i), 2);
  add("solo", 1);
  add("quad", 4);
  return c;
}

struct Routing {
  config::Config config = bench_config();
  router::Topology topology;
  std::vector<router::Health::DeploymentFacts> facts;
  Routing() {
    for (std::size_t i = 0; i < config.deployments.size(); ++i) {
      topology.groups[config.deployments[i].model_name].push_back(i);
      topology.num_retries.push_back(std::nullopt);
    }
    facts.resize(config.deployments.size());
    for (const auto& [group, members] : topology.groups) {
      for (std::size_t i : members) facts[i].group_size = members.size();
    }
  }
};

const char* group_of(const benchmark::State& state) {
  return state.range(0) == 1 ? "solo" : "quad";
}

// The baseline: the pick every request made before retries and cooldowns.
void BM_PickWithoutRouter(benchmark::State& state) {
  static const config::Config config = bench_config();
  static const gateway::Router routes(config);
  const std::string model = group_of(state);
  std::uint64_t random = 0x9e3779b97f4a7c15ULL;
  for (auto _ : state) {
    random = random * 6364136223846793005ULL + 1442695040888963407ULL;
    auto picked = routes.pick(model, random);
    benchmark::DoNotOptimize(picked);
  }
}
BENCHMARK(BM_PickWithoutRouter)->Arg(1)->Arg(4)->Threads(1)->Threads(2);

// Every request: a plan, its first attempt, its success counted in Health.
void BM_PlanFirstAttempt(benchmark::State& state) {
  static const Routing routing;
  static router::Health health(routing.config.router, routing.facts);
  const std::string model = group_of(state);
  std::uint64_t random = 0x9e3779b97f4a7c15ULL;
  for (auto _ : state) {
    random = random * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto now = std::chrono::steady_clock::now();
    router::AttemptPlan plan(routing.topology, routing.config.router, health,
                             {model, {}, {}, false});
    auto step = plan.first(now, random);
    benchmark::DoNotOptimize(step);
    plan.after_success(now);
  }
}
BENCHMARK(BM_PlanFirstAttempt)->Arg(1)->Arg(4)->Threads(1)->Threads(2);

// A request whose first attempt fails with a 500: the decision to retry (at once on another
// deployment of "quad"; after a backoff for "solo"), then the retry's success. Cooldowns are off
// so every iteration sees the same healthy group.
void BM_PlanRetryDecision(benchmark::State& state) {
  static const Routing routing;
  static const config::RouterSettings settings = [] {
    config::RouterSettings s;
    s.disable_cooldowns = true;
    return s;
  }();
  static router::Health health(settings, routing.facts);
  const std::string model = group_of(state);
  const router::AttemptFailure failure{router::FailureKind::server, 500, std::nullopt};
  std::uint64_t random = 0x9e3779b97f4a7c15ULL;
  for (auto _ : state) {
    random = random * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto now = std::chrono::steady_clock::now();
    router::AttemptPlan plan(routing.topology, settings, health, {model, {}, {}, false});
    auto first = plan.first(now, random);
    benchmark::DoNotOptimize(first);
    auto retry = plan.after_failure(failure, now, random >> 7);
    benchmark::DoNotOptimize(retry);
    plan.after_success(now);
  }
}
BENCHMARK(BM_PlanRetryDecision)->Arg(1)->Arg(4)->Threads(1);

}  // namespace
}  // namespace llmtap

BENCHMARK_MAIN();
