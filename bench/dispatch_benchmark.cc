// The request path's enqueue (delivery::Dispatcher::dispatch, target: under 1 µs median) and how
// it grows with the number of callbacks and the record size; and body encoding per format as the
// batch and the records grow. delivery_benchmark.cc covers Pipeline::push and the Batcher alone.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_records.h"
#include "delivery/dispatcher.h"
#include "delivery/encoder.h"
#include "delivery/pipeline.h"
#include "delivery/runtime_scheduler.h"
#include "http/runtime.h"

namespace llmtap::delivery {
namespace {

// Answers every batch 200 on the runtime, as an endpoint that is never slow would.
class AckTransport final : public Transport {
 public:
  explicit AckTransport(http::Runtime& runtime) : runtime_(runtime) {}
  void send(http::ClientRequest, std::function<void(http::ClientResult)> done) override {
    runtime_.post([done = std::move(done)] { done(http::ClientResult{}); });
  }

 private:
  http::Runtime& runtime_;
};

class NullTransport final : public Transport {
 public:
  void send(http::ClientRequest, std::function<void(http::ClientResult)>) override {}
};

config::CallbackConfig bench_callback(int index, std::size_t batch_size) {
  config::CallbackConfig callback;
  callback.name = "bench" + std::to_string(index);
  callback.endpoint = "http://127.0.0.1:9/logs";
  callback.log_format = config::LogFormat::ndjson;
  callback.batch_size = batch_size;
  callback.flush_interval = std::chrono::seconds(3600);
  callback.max_queue_records = 1 << 20;
  callback.max_queue_bytes = std::size_t{1} << 40;  // never the bound in these runs
  return callback;
}

// The production scheduler over a runtime nobody runs: the flush timer is armed, never fires.
std::unique_ptr<Dispatcher> idle_dispatcher(http::Runtime& idle_runtime, int callbacks) {
  auto scheduler = std::make_shared<RuntimeScheduler>(idle_runtime);
  std::vector<std::unique_ptr<Pipeline>> pipelines;
  for (int i = 0; i < callbacks; ++i) {
    // Never due by size: records only accumulate, so the measured cost is the enqueue alone.
    pipelines.push_back(std::make_unique<Pipeline>(bench_callback(i, 1'000'000'000),
                                                   std::make_unique<NullTransport>(), scheduler));
  }
  return std::make_unique<Dispatcher>(std::move(pipelines));
}

// dispatch() into N callbacks whose endpoint is never reached. Every 100k records the dispatcher is
// rebuilt (untimed) so the queue never reaches its bound and no eviction is measured.
void BM_DispatchIdle(benchmark::State& state) {
  const int callbacks = static_cast<int>(state.range(0));
  const auto record_bytes = static_cast<std::size_t>(state.range(1));
  const payload::Record record = bench::make_record(1, record_bytes);
  http::Runtime idle_runtime(1);
  auto dispatcher = idle_dispatcher(idle_runtime, callbacks);
  std::size_t queued = 0;
  for (auto _ : state) {
    dispatcher->dispatch(record);
    if (++queued == 100'000) {
      state.PauseTiming();
      dispatcher = idle_dispatcher(idle_runtime, callbacks);
      queued = 0;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["callbacks"] = callbacks;
  state.counters["record_bytes"] = static_cast<double>(record_bytes);
}
BENCHMARK(BM_DispatchIdle)
    ->ArgNames({"callbacks", "record_bytes"})
    ->Args({1, 1024})
    ->Args({2, 1024})
    ->Args({4, 1024})
    ->Args({8, 1024})
    ->Args({1, 256})
    ->Args({1, 16384})
    ->Args({1, 65536});

// dispatch() with the production scheduler on a live one-thread http::Runtime and an endpoint that
// acks at once: batches of 100 are cut, encoded and acked on the runtime thread while the caller
// keeps dispatching, so lock contention and the pump posts are part of the figure.
void BM_DispatchLive(benchmark::State& state) {
  const int callbacks = static_cast<int>(state.range(0));
  http::Runtime runtime(1);
  auto scheduler = std::make_shared<RuntimeScheduler>(runtime);
  std::vector<std::unique_ptr<Pipeline>> pipelines;
  for (int i = 0; i < callbacks; ++i) {
    pipelines.push_back(std::make_unique<Pipeline>(
        bench_callback(i, 100), std::make_unique<AckTransport>(runtime), scheduler));
  }
  auto dispatcher = std::make_unique<Dispatcher>(std::move(pipelines));
  std::thread loop([&runtime] { runtime.run(); });
  const payload::Record record = bench::make_record(1, 1024);
  for (auto _ : state) dispatcher->dispatch(record);
  state.SetItemsProcessed(state.iterations());
  dispatcher.reset();
  runtime.stop();
  loop.join();
}
BENCHMARK(BM_DispatchLive)->ArgName("callbacks")->Arg(1)->Arg(4)->UseRealTime();

// One request body from `batch` records of `record_bytes` each.
void BM_EncodeBatch(benchmark::State& state) {
  const auto format = static_cast<config::LogFormat>(state.range(0));
  const auto batch = static_cast<std::size_t>(state.range(1));
  const auto record_bytes = static_cast<std::size_t>(state.range(2));
  const Encoder encoder(format);
  std::vector<payload::Record> records;
  for (std::size_t i = 0; i < batch; ++i) records.push_back(bench::make_record(i, record_bytes));
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string body = encoder.encode(records);
    bytes += body.size();
    benchmark::DoNotOptimize(body);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}
constexpr int kJsonArray = static_cast<int>(config::LogFormat::json_array);
constexpr int kNdjson = static_cast<int>(config::LogFormat::ndjson);
constexpr int kSingle = static_cast<int>(config::LogFormat::single);
BENCHMARK(BM_EncodeBatch)
    ->ArgNames({"format", "batch", "record_bytes"})
    ->Args({kJsonArray, 100, 1024})
    ->Args({kNdjson, 100, 1024})
    ->Args({kSingle, 1, 1024})
    ->Args({kNdjson, 10, 1024})
    ->Args({kNdjson, 1000, 1024})
    ->Args({kNdjson, 100, 256})
    ->Args({kNdjson, 100, 4096})
    ->Args({kNdjson, 100, 16384});

}  // namespace
}  // namespace llmtap::delivery

BENCHMARK_MAIN();
