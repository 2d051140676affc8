// Delivery hot paths (docs/PERFORMANCE.md): the request path's enqueue (Pipeline::push), the
// Batcher's push/take/ack cycle, and body encoding throughput per format with ~1 KB records.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "delivery/batcher.h"
#include "delivery/encoder.h"
#include "delivery/pipeline.h"

namespace llmtap::delivery {
namespace {

payload::Record make_record(std::size_t bytes) {
  std::string json = "{\"id\":\"chatcmpl-1\",\"pad\":\"";
  json.append(bytes > json.size() + 2 ? bytes - json.size() - 2 : 0, 'x');
  json += "\"}";
  payload::Record r;
  r.json = std::make_shared<const std::string>(std::move(json));
  return r;
}

// Swallows work and timers: measures push() alone, as the request path sees it.
class IdleScheduler final : public Scheduler {
 public:
  void post(std::function<void()>) override {}
  std::unique_ptr<http::Timer> make_timer() override { return std::make_unique<IdleTimer>(); }

 private:
  struct IdleTimer final : http::Timer {
    void expire_after(std::chrono::nanoseconds, std::function<void(bool)>) override {}
    void cancel() override {}
  };
};

class NullTransport final : public Transport {
 public:
  void send(http::ClientRequest, std::function<void(http::ClientResult)>) override {}
};

void BM_PipelinePush(benchmark::State& state) {
  config::CallbackConfig cb;
  cb.name = "bench";
  cb.endpoint = "http://127.0.0.1:9/";
  cb.batch_size = 1'000'000'000;  // never due by size: nothing but the enqueue is measured
  cb.max_queue_records = 1 << 16;
  cb.when_full = config::WhenFull::drop_oldest;
  Pipeline pipeline(cb, std::make_unique<NullTransport>(), std::make_shared<IdleScheduler>());
  const payload::Record record = make_record(1024);
  for (auto _ : state) benchmark::DoNotOptimize(pipeline.push(record));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PipelinePush);

void BM_BatcherCycle(benchmark::State& state) {
  BatcherOptions options;
  options.batch_size = static_cast<std::size_t>(state.range(0));
  Batcher batcher(options);
  const payload::Record record = make_record(1024);
  const TimePoint now{};
  for (auto _ : state) {
    for (std::int64_t i = 0; i < state.range(0); ++i) batcher.push(record, now);
    auto batch = batcher.take_batch(now);
    batcher.ack(batch->id);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BatcherCycle)->Arg(100)->Arg(1000);

void BM_Encode(benchmark::State& state) {
  const auto format = static_cast<config::LogFormat>(state.range(0));
  const Encoder encoder(format);
  std::vector<payload::Record> records(format == config::LogFormat::single ? 1 : 100,
                                       make_record(1024));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto body = encoder.encode(records);
    bytes += body.size();
    benchmark::DoNotOptimize(body);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records.size()));
}
BENCHMARK(BM_Encode)
    ->Arg(static_cast<int>(config::LogFormat::json_array))
    ->Arg(static_cast<int>(config::LogFormat::ndjson))
    ->Arg(static_cast<int>(config::LogFormat::single));

}  // namespace
}  // namespace llmtap::delivery

BENCHMARK_MAIN();
