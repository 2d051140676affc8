// Pipeline: one generic API logger (one callback). Owns its Batcher, its Transport (its own HTTP
// connections), its timers and counters, so a slow or dead endpoint only ever fills its own queue.
//
// push() is the request path's whole cost: lock, move the record's shared bytes into the queue,
// maybe arm the flush timer or post a pump, unlock. Encoding, sending, retry decisions and
// dead-lettering run on the Scheduler's threads. Every batch goes out as
//   POST <endpoint>  (callback headers, Content-Type per format unless configured,
//                     User-Agent: llmtap/<version>, Idempotency-Key: <batch key>)
// with the same Idempotency-Key on every retry; records leave the queue only on a 2xx (or when
// given up, counted and handed to the DeadLetterSink).
//
// With a disk buffer (buffer: disk) push() first appends the record to it — one write(2) of one
// frame, plus fdatasync under fsync: always — and only then takes the mutex; it never reads the
// disk and never waits for a disk read, an .ack write or a dead-letter write, which run on the
// Scheduler's threads outside that mutex (see SegmentLog's two sides). A rejected batch leaves
// the disk buffer only once the DeadLetterSink has stored it; until then it waits in memory
// (taking its place in the max_queue_records / max_queue_bytes window) and the store is retried
// on a backoff. Without a disk buffer such a batch is dropped as dead_letter_error.
//
// Lifecycle: construct, push() from any thread, shutdown() once to drain, destroy. In-flight
// exchanges keep the pipeline's internal state alive until they complete, so destroying the
// Pipeline never leaves a dangling callback. Thread-safety: every public method is safe from
// any thread; internal state is guarded by one mutex held only for in-memory work, counters are
// read under it or are atomics.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/enum_names.h"
#include "config/config.h"
#include "delivery/batcher.h"
#include "delivery/clock.h"
#include "delivery/dead_letter.h"
#include "delivery/retry.h"
#include "delivery/scheduler.h"
#include "delivery/segment_log.h"
#include "delivery/transport.h"
#include "payload/record.h"

namespace llmtap::delivery {

// How one exchange ended, for llmtap_callback_requests_total{outcome=…}.
enum class RequestOutcome {
  status_2xx,
  status_3xx,
  status_4xx,
  status_5xx,
  timeout,
  connect_error,
  io_error,
  other
};
inline constexpr auto kRequestOutcomeNames =
    base::make_enum_names<RequestOutcome>({{RequestOutcome::status_2xx, "2xx"},
                                           {RequestOutcome::status_3xx, "3xx"},
                                           {RequestOutcome::status_4xx, "4xx"},
                                           {RequestOutcome::status_5xx, "5xx"},
                                           {RequestOutcome::timeout, "timeout"},
                                           {RequestOutcome::connect_error, "connect_error"},
                                           {RequestOutcome::io_error, "io_error"},
                                           {RequestOutcome::other, "other"}});
inline constexpr std::size_t kRequestOutcomeCount = kRequestOutcomeNames.size();
const char* to_string(RequestOutcome outcome);  // "2xx", "3xx", …, "timeout", "connect_error", …
RequestOutcome outcome_of(const http::ClientResult& result);

// Upper bounds (seconds) of llmtap_callback_delivery_latency_seconds, from a batch's oldest
// record entering the queue to the 2xx; one more bucket (+Inf) follows.
inline constexpr std::array<double, 14> kLatencyBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                        1,     2.5,  5,     10,   30,  60,   300};

struct PipelineStats {
  std::string callback;
  // dropped[queue_full] includes records refused by when_full: block. With a disk buffer,
  // `enqueued` counts records appended to disk and held_* describe the memory window only.
  BatcherCounters batcher;
  std::uint64_t bytes_sent = 0;  // request bodies that reached the endpoint (every attempt)
  std::array<std::uint64_t, kRequestOutcomeCount> requests{};
  std::uint64_t dead_lettered = 0;        // records kept by the dead-letter store
  std::uint64_t dead_letter_errors = 0;   // failed dead-letter stores (every attempt)
  std::uint64_t dead_letter_pending = 0;  // rejected records waiting in the disk buffer for a store
  std::array<std::uint64_t, kLatencyBuckets.size() + 1> latency_buckets{};  // not cumulative
  double latency_sum_seconds = 0;
  double last_success_unix_seconds = 0;  // 0: never
  bool disk = false;                     // a disk buffer is configured
  SegmentLogCounters disk_counters;
};

// Summary handed to shutdown()'s callback.
struct PipelineDrain {
  std::string callback;
  std::uint64_t delivered = 0;  // records delivered over the pipeline's lifetime
  std::uint64_t undelivered =
      0;  // records still held (waiting, backing off or in flight) at the end
  std::uint64_t kept_on_disk = 0;  // of those, records safe in the disk buffer (sent after restart)
  // Records given up earlier and kept nowhere: dropped for any reason, or rejected without a
  // dead-letter file (dead_letter_path: none, or a failed store without a disk buffer).
  std::uint64_t given_up = 0;
};

struct PipelineOptions {
  std::shared_ptr<const Clock> clock;           // default: SteadyClock
  std::shared_ptr<DeadLetterSink> dead_letter;  // default: LoggingDeadLetterSink
  RetryPolicy::RandomSource random;             // default: seeded from std::random_device
  std::optional<RetryOptions> retry;            // default: RetryOptions::from_config(callback)
  std::optional<std::size_t> max_batch_bytes;   // default: the callback's max_batch_bytes
  std::string id_prefix;                        // default: 16 random hex digits
  // The disk buffer (buffer: disk), already open; records go to it first and memory holds a
  // window of at most max_queue_records / max_queue_bytes. Default: memory only.
  std::shared_ptr<SegmentLog> disk_buffer;
};

class Pipeline {
 public:
  Pipeline(config::CallbackConfig callback, std::unique_ptr<Transport> transport,
           std::shared_ptr<Scheduler> scheduler, PipelineOptions options = {});
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  const config::CallbackConfig& callback() const;

  // Queues `record` (a shared_ptr copy of its bytes); the result says what the bound did (a
  // refused or dropped record is already counted). Never waits for an endpoint. Without a disk
  // buffer it does no I/O; with one it does the append described above and nothing else on disk.
  PushResult push(const payload::Record& record);

  // From now on every waiting record is sent at once; `done` runs once, when nothing is held any
  // more or at `deadline`, whichever comes first (then waiting records are dropped as
  // dropped{shutdown}; in-flight ones may still complete).
  void shutdown(std::chrono::steady_clock::time_point deadline,
                std::function<void(PipelineDrain)> done);

  PipelineStats stats() const;

 private:
  struct State;
  // Shared with in-flight exchanges and timer callbacks, which must be able to outlive this handle.
  std::shared_ptr<State> state_;
};

}  // namespace llmtap::delivery
