// logger_throughput: how fast a real delivery::Dispatcher (one callback, production HttpTransport
// and RuntimeScheduler on an http::Runtime) delivers records to a receiver on loopback
// (docs/PERFORMANCE.md: at least 200,000 records/s with ndjson and ~1 KB records).
//
//   logger_throughput --endpoint http://127.0.0.1:PORT/logs [--format ndjson] [--records 200000]
//                     [--record-bytes 1024] [--batch-size 100] [--max-in-flight 4] [--threads 1]
//
// The main thread dispatches as fast as the queue allows (it keeps at most --window records
// outstanding, so no record is ever dropped), then waits until the pipeline's delivered counter
// reaches --records. It prints one line of key=value pairs (records/s, body bytes/s, process CPU
// seconds per record) that bench/gateway.sh parses. Exit 1 when not every record was delivered
// before --deadline-s.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_records.h"
#include "delivery/dispatcher.h"
#include "delivery/http_transport.h"
#include "delivery/pipeline.h"
#include "delivery/runtime_scheduler.h"
#include "http/runtime.h"
#include "payload/record.h"

namespace {

using namespace llmtap;
using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint;
  std::string format_name = "ndjson";
  std::size_t records = 200'000;
  std::size_t record_bytes = 1024;
  std::size_t batch_size = 100;
  std::size_t max_in_flight = 4;
  std::size_t window = 50'000;
  unsigned threads = 1;
  double deadline_s = 60;

  CLI::App app("Dispatcher throughput to a loopback receiver");
  app.add_option("--endpoint", endpoint, "receiver URL")->required();
  app.add_option("--format", format_name, "json_array | ndjson | single")
      ->check(CLI::IsMember({"json_array", "ndjson", "single"}));
  app.add_option("--records", records, "records to deliver");
  app.add_option("--record-bytes", record_bytes, "serialized size of each record");
  app.add_option("--batch-size", batch_size, "callback batch_size");
  app.add_option("--max-in-flight", max_in_flight, "callback max_in_flight");
  app.add_option("--window", window, "records dispatched but not yet delivered, at most");
  app.add_option("--threads", threads, "http::Runtime threads");
  app.add_option("--deadline-s", deadline_s, "give up after this many seconds");
  CLI11_PARSE(app, argc, argv);

  config::CallbackConfig callback;
  callback.name = "bench";
  callback.endpoint = endpoint;
  callback.log_format = format_name == "ndjson"       ? config::LogFormat::ndjson
                        : format_name == "json_array" ? config::LogFormat::json_array
                                                      : config::LogFormat::single;
  callback.batch_size = batch_size;
  callback.flush_interval =
      std::chrono::milliseconds(10);  // the tail of the run is not held back by a timer
  callback.max_in_flight = max_in_flight;
  callback.max_queue_records = window + batch_size;
  callback.max_queue_bytes = (window + batch_size) * (record_bytes + 64);
  callback.timeout = std::chrono::seconds(10);

  http::Runtime runtime(threads);
  auto scheduler = std::make_shared<delivery::RuntimeScheduler>(runtime);
  auto pipeline = std::make_unique<delivery::Pipeline>(
      callback, std::make_unique<delivery::HttpTransport>(runtime, http::ClientOptions{}),
      scheduler);
  delivery::Pipeline* stats_source = pipeline.get();
  std::vector<std::unique_ptr<delivery::Pipeline>> pipelines;
  pipelines.push_back(std::move(pipeline));
  auto dispatcher = std::make_unique<delivery::Dispatcher>(std::move(pipelines));
  std::thread loop([&runtime] { runtime.run(); });

  // A pool of distinct records, reused: the Dispatcher only shares their bytes.
  std::vector<payload::Record> pool;
  const std::size_t pool_size = std::min<std::size_t>(records, 4096);
  pool.reserve(pool_size);
  for (std::size_t i = 0; i < pool_size; ++i) pool.push_back(bench::make_record(i, record_bytes));

  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(deadline_s);
  std::size_t dispatched = 0;
  delivery::PipelineStats stats = stats_source->stats();
  while (stats.batcher.delivered < records && Clock::now() < deadline) {
    // Top up to the window, then look at the counters again (stats() takes the pipeline lock).
    const std::size_t outstanding = dispatched - stats.batcher.delivered;
    std::size_t budget = window > outstanding ? window - outstanding : 0;
    budget = std::min(budget, records - dispatched);
    for (std::size_t i = 0; i < budget; ++i, ++dispatched)
      dispatcher->dispatch(pool[dispatched % pool_size]);
    if (budget == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
    stats = stats_source->stats();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;

  std::uint64_t requests = 0;
  for (auto count : stats.requests) requests += count;
  const bool complete = stats.batcher.delivered == records;
  std::printf(
      "RESULT format=%s records=%zu record_bytes=%zu delivered=%llu dropped=%llu requests=%llu "
      "seconds=%.3f records_per_s=%.0f body_bytes_per_s=%.0f cpu_s=%.3f cpu_us_per_record=%.3f "
      "complete=%d\n",
      format_name.c_str(), records, record_bytes,
      static_cast<unsigned long long>(stats.batcher.delivered),
      static_cast<unsigned long long>(stats.batcher.dropped_total()),
      static_cast<unsigned long long>(requests), elapsed,
      static_cast<double>(stats.batcher.delivered) / elapsed,
      static_cast<double>(stats.bytes_sent) / elapsed, cpu,
      cpu * 1e6 / static_cast<double>(records), complete ? 1 : 0);

  dispatcher.reset();
  runtime.stop();
  loop.join();
  return complete ? 0 : 1;
}
