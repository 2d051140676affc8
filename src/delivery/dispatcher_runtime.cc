#include "delivery/dispatcher_runtime.h"

#include <utility>

#include "delivery/durable_options.h"
#include "delivery/http_transport.h"
#include "delivery/pipeline.h"
#include "delivery/runtime_scheduler.h"

namespace llmtap::delivery {
namespace {

std::vector<std::unique_ptr<Pipeline>> make_pipelines(
    http::Runtime& runtime, std::vector<config::CallbackConfig> callbacks) {
  auto scheduler = std::make_shared<RuntimeScheduler>(runtime);
  std::vector<std::unique_ptr<Pipeline>> pipelines;
  pipelines.reserve(callbacks.size());
  for (auto& callback : callbacks) {
    auto transport = std::make_unique<HttpTransport>(runtime, callback);
    PipelineOptions options = durable_pipeline_options(callback);  // may throw: start-up only
    pipelines.push_back(std::make_unique<Pipeline>(std::move(callback), std::move(transport),
                                                   scheduler, std::move(options)));
  }
  return pipelines;
}

}  // namespace

std::unique_ptr<Dispatcher> make_dispatcher(http::Runtime& runtime,
                                            std::vector<config::CallbackConfig> callbacks) {
  return std::make_unique<Dispatcher>(make_pipelines(runtime, std::move(callbacks)));
}

}  // namespace llmtap::delivery
