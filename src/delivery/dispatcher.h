// Dispatcher: hands each finished Record to every callback pipeline whose event_types accept it.
// One Pipeline per configured callback, each with its own queue, batches, connections and
// counters, so a slow or dead endpoint never slows another callback or a client request.
//
// Lifecycle: construct with the resolved callbacks, dispatch() from any thread for as long as the
// gateway serves, then shutdown() once to drain, and destroy before the Runtime. Thread-safety:
// dispatch() is safe from any thread and only enqueues (no I/O, no waiting on an endpoint).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "payload/record.h"

namespace llmtap::delivery {

class Pipeline;

// What shutdown() could not deliver, per callback.
struct DrainReport {
  struct Entry {
    std::string callback;
    std::uint64_t delivered = 0;     // records delivered over the pipeline's lifetime
    std::uint64_t undelivered = 0;   // records still queued or in flight at the deadline
    std::uint64_t kept_on_disk = 0;  // of those, kept in the disk buffer (not lost)
    std::uint64_t given_up = 0;      // given up earlier and kept nowhere (PipelineDrain::given_up)
  };
  std::vector<Entry> callbacks;
  std::uint64_t total_undelivered() const;
  // Undelivered and not kept on disk, plus every record given up earlier and kept nowhere.
  std::uint64_t total_lost() const;
  std::uint64_t total_kept_on_disk() const;
};

class Dispatcher {
 public:
  // Over pipelines built elsewhere: make_dispatcher() (dispatcher_runtime.h) in production, fake
  // transports with a manual clock and scheduler in tests.
  explicit Dispatcher(std::vector<std::unique_ptr<Pipeline>> pipelines);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Enqueues `record` on each matching pipeline. Never blocks on I/O.
  void dispatch(const payload::Record& record);

  // Sends everything queued, waits for in-flight batches, and calls `done` once every pipeline
  // is empty or `deadline` has passed. Records arriving after this call are still accepted and
  // sent while the deadline allows.
  void shutdown(std::chrono::steady_clock::time_point deadline,
                std::function<void(DrainReport)> done);

  // Prometheus text exposition of every pipeline's counters (GET /metrics).
  std::string metrics_text() const;

  std::size_t pipeline_count() const { return pipelines_.size(); }

 private:
  // Declared last: pipelines own background work (timers, sends) that must stop first.
  std::vector<std::unique_ptr<Pipeline>> pipelines_;
};

}  // namespace llmtap::delivery
