#include "delivery/dispatcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <utility>

#include "base/prometheus.h"
#include "delivery/pipeline.h"

namespace llmtap::delivery {
namespace {

bool accepts(const config::CallbackConfig& callback, const payload::Record& record) {
  return record.status == payload::RecordStatus::success ? callback.log_success
                                                         : callback.log_failure;
}

// One per-callback family: its HELP/TYPE lines and one sample per pipeline that `include`s.
struct Family {
  const char* name;
  const char* type;
  const char* help;
};

template <class ValueOf>
void per_callback(prometheus::Writer& out, const std::vector<PipelineStats>& all, const Family& f,
                  ValueOf value_of, bool disk_only = false) {
  out.family(f.name, f.type, f.help);
  for (const auto& stats : all) {
    if (disk_only && !stats.disk) continue;
    out.sample(f.name, {{"callback", stats.callback}}, value_of(stats));
  }
}

// A counter family with a second label: one sample per callback and enumerator, in the
// name table's order.
template <class NameOf, class ValuesOf>
void per_callback_and(prometheus::Writer& out, const std::vector<PipelineStats>& all,
                      const Family& f, std::string_view label, NameOf name_of, ValuesOf values_of) {
  out.family(f.name, f.type, f.help);
  for (const auto& stats : all) {
    const auto& values = values_of(stats);
    for (std::size_t i = 0; i < values.size(); ++i) {
      out.sample(f.name, {{"callback", stats.callback}, {label, name_of(i)}}, values[i]);
    }
  }
}

void write_disk_families(prometheus::Writer& out, const std::vector<PipelineStats>& all) {
  per_callback(
      out, all,
      {"llmtap_callback_disk_records", "gauge", "Undelivered records in the disk buffer."},
      [](const PipelineStats& s) { return s.disk_counters.records; }, true);
  per_callback(
      out, all,
      {"llmtap_callback_disk_bytes", "gauge", "Bytes of the disk buffer's live segment files."},
      [](const PipelineStats& s) { return s.disk_counters.bytes; }, true);
  per_callback(
      out, all, {"llmtap_callback_disk_segments", "gauge", "Segment files in the disk buffer."},
      [](const PipelineStats& s) { return s.disk_counters.segments; }, true);
  per_callback(
      out, all,
      {"llmtap_callback_disk_recovered_records", "gauge",
       "Undelivered records found in the disk buffer at start-up."},
      [](const PipelineStats& s) { return s.disk_counters.recovered; }, true);
  per_callback(
      out, all,
      {"llmtap_callback_disk_corrupt_frames_total", "counter",
       "Damaged or truncated stretches of the disk buffer skipped at start-up."},
      [](const PipelineStats& s) { return s.disk_counters.corrupt_frames; }, true);
  per_callback(
      out, all,
      {"llmtap_callback_disk_write_errors_total", "counter", "Failed writes to the disk buffer."},
      [](const PipelineStats& s) { return s.disk_counters.write_errors; }, true);
  per_callback(
      out, all,
      {"llmtap_callback_disk_short_writes_total", "counter",
       "Appends whose write wrote only part of the frame (taken back, never left torn)."},
      [](const PipelineStats& s) { return s.disk_counters.short_writes; }, true);
  per_callback(
      out, all,
      {"llmtap_callback_disk_read_errors_total", "counter",
       "Segments that could not be opened for reading while running (kept for the next start)."},
      [](const PipelineStats& s) { return s.disk_counters.read_errors; }, true);
}

}  // namespace

std::uint64_t DrainReport::total_undelivered() const {
  std::uint64_t total = 0;
  for (const auto& entry : callbacks) total += entry.undelivered;
  return total;
}

std::uint64_t DrainReport::total_lost() const {
  std::uint64_t total = 0;
  for (const auto& entry : callbacks) {
    total += entry.undelivered - std::min(entry.undelivered, entry.kept_on_disk) + entry.given_up;
  }
  return total;
}

std::uint64_t DrainReport::total_kept_on_disk() const {
  std::uint64_t total = 0;
  for (const auto& entry : callbacks) total += entry.kept_on_disk;
  return total;
}

Dispatcher::Dispatcher(std::vector<std::unique_ptr<Pipeline>> pipelines)
    : pipelines_(std::move(pipelines)) {}

Dispatcher::~Dispatcher() = default;

void Dispatcher::dispatch(const payload::Record& record) {
  for (auto& pipeline : pipelines_) {
    if (accepts(pipeline->callback(), record)) pipeline->push(record);
  }
}

void Dispatcher::shutdown(std::chrono::steady_clock::time_point deadline,
                          std::function<void(DrainReport)> done) {
  struct Pending {
    std::mutex mu;
    DrainReport report;
    std::size_t remaining = 0;
    std::function<void(DrainReport)> done;
  };
  auto pending = std::make_shared<Pending>();
  pending->report.callbacks.resize(pipelines_.size());
  pending->remaining = pipelines_.size();
  pending->done = std::move(done);
  if (pipelines_.empty()) {
    pending->done(std::move(pending->report));
    return;
  }
  for (std::size_t i = 0; i < pipelines_.size(); ++i) {
    pipelines_[i]->shutdown(deadline, [pending, i](PipelineDrain drain) {
      std::function<void(DrainReport)> finish;
      {
        std::lock_guard lock(pending->mu);
        pending->report.callbacks[i] = {std::move(drain.callback), drain.delivered,
                                        drain.undelivered, drain.kept_on_disk, drain.given_up};
        if (--pending->remaining == 0) finish = std::move(pending->done);
      }
      if (finish) finish(std::move(pending->report));
    });
  }
}

std::string Dispatcher::metrics_text() const {
  std::vector<PipelineStats> all;
  all.reserve(pipelines_.size());
  for (const auto& pipeline : pipelines_) all.push_back(pipeline->stats());
  std::string text;
  prometheus::Writer out(text);

  per_callback(out, all,
               {"llmtap_callback_records_enqueued_total", "counter",
                "Records accepted into the callback's queue."},
               [](const PipelineStats& s) { return s.batcher.enqueued; });
  per_callback(out, all,
               {"llmtap_callback_records_delivered_total", "counter",
                "Records acknowledged by the endpoint with a 2xx."},
               [](const PipelineStats& s) { return s.batcher.delivered; });
  per_callback(out, all,
               {"llmtap_callback_records_retried_total", "counter",
                "Records put back for another attempt after a retryable failure."},
               [](const PipelineStats& s) { return s.batcher.retried; });
  per_callback(out, all,
               {"llmtap_callback_records_rejected_total", "counter",
                "Records given up (3xx/4xx answer or retry budget spent) and handed to the "
                "dead-letter sink."},
               [](const PipelineStats& s) { return s.batcher.rejected; });
  per_callback_and(
      out, all,
      {"llmtap_callback_records_dropped_total", "counter",
       "Records dropped without delivery, by reason."},
      "reason", [](std::size_t r) { return kDropReasonNames.at(r); },
      [](const PipelineStats& s) -> const auto& { return s.batcher.dropped; });
  per_callback(out, all,
               {"llmtap_callback_queue_records", "gauge",
                "Records held: waiting, backing off or in flight."},
               [](const PipelineStats& s) { return s.batcher.held_records; });
  per_callback(out, all,
               {"llmtap_callback_queue_bytes", "gauge", "Serialized bytes of the records held."},
               [](const PipelineStats& s) { return s.batcher.held_bytes; });
  per_callback(out, all,
               {"llmtap_callback_batches_in_flight", "gauge", "Batches sent and not yet answered."},
               [](const PipelineStats& s) { return s.batcher.in_flight_batches; });
  per_callback(out, all,
               {"llmtap_callback_bytes_sent_total", "counter",
                "Request body bytes that reached the endpoint, retries included."},
               [](const PipelineStats& s) { return s.bytes_sent; });
  per_callback_and(
      out, all, {"llmtap_callback_requests_total", "counter", "Delivery requests by outcome."},
      "outcome", [](std::size_t o) { return kRequestOutcomeNames.at(o); },
      [](const PipelineStats& s) -> const auto& { return s.requests; });
  per_callback(out, all,
               {"llmtap_callback_records_dead_lettered_total", "counter",
                "Records kept in the dead-letter store (dead_letter_path) for llmtap replay."},
               [](const PipelineStats& s) { return s.dead_lettered; });
  per_callback(out, all,
               {"llmtap_callback_dead_letter_errors_total", "counter",
                "Failed writes of a dead-letter file (each attempt; the batch is kept and retried "
                "with a disk buffer)."},
               [](const PipelineStats& s) { return s.dead_letter_errors; });
  per_callback(
      out, all,
      {"llmtap_callback_dead_letter_pending_records", "gauge",
       "Rejected records kept in the disk buffer until their dead-letter file can be written."},
      [](const PipelineStats& s) { return s.dead_letter_pending; });
  per_callback(
      out, all,
      {"llmtap_callback_last_success_timestamp_seconds", "gauge",
       "Unix time of the last 2xx from the endpoint (0: none yet)."},
      [](const PipelineStats& s) { return fmt::format("{:.3f}", s.last_success_unix_seconds); });

  const char* latency = "llmtap_callback_delivery_latency_seconds";
  out.family(latency, "histogram",
             "Time from a batch's oldest record entering the queue to the endpoint's 2xx.");
  for (const auto& stats : all) {
    out.histogram(latency, {{"callback", stats.callback}}, kLatencyBuckets, stats.latency_buckets,
                  fmt::format("{:.6f}", stats.latency_sum_seconds));
  }
  // Disk buffer families, only when some callback has buffer: disk.
  if (std::any_of(all.begin(), all.end(), [](const PipelineStats& s) { return s.disk; })) {
    write_disk_families(out, all);
  }
  return text;
}

}  // namespace llmtap::delivery
