#include "delivery/pipeline.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "delivery/encoder.h"
#include "delivery/record_shaper.h"
#include "delivery/request_sealer.h"
#include "delivery/header_names.h"

namespace llmtap::delivery {
namespace {

using std::chrono::nanoseconds;

std::string random_prefix() {
  std::random_device rd;
  const std::uint64_t bits = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  return fmt::format("{:016x}", bits);
}

// The headers every request of this callback carries; Idempotency-Key is added per batch.
http::Headers base_headers(const config::CallbackConfig& callback, std::string_view content_type) {
  http::Headers headers;
  bool has_content_type = false;
  bool has_user_agent = false;
  for (const auto& [name, value] : callback.headers) {
    if (header_name_equals(name, "Idempotency-Key")) continue;  // a fixed key would make receivers drop batches
    has_content_type = has_content_type || header_name_equals(name, "Content-Type");
    has_user_agent = has_user_agent || header_name_equals(name, "User-Agent");
    headers.push_back({name, value});
  }
  if (!has_content_type) headers.push_back({"Content-Type", std::string(content_type)});
  if (!has_user_agent) headers.push_back({"User-Agent", "llmtap/" LLMTAP_VERSION});
  return headers;
}

std::chrono::milliseconds request_timeout(double seconds) {
  if (!(seconds > 0) || !std::isfinite(seconds)) return std::chrono::milliseconds(10000);
  return std::max(std::chrono::milliseconds(1), std::chrono::milliseconds(std::llround(seconds * 1000)));
}

}  // namespace

const char* to_string(RequestOutcome outcome) {
  switch (outcome) {
    case RequestOutcome::status_2xx: return "2xx";
    case RequestOutcome::status_3xx: return "3xx";
    case RequestOutcome::status_4xx: return "4xx";
    case RequestOutcome::status_5xx: return "5xx";
    case RequestOutcome::timeout: return "timeout";
    case RequestOutcome::connect_error: return "connect_error";
    case RequestOutcome::io_error: return "io_error";
    case RequestOutcome::other: return "other";
  }
  return "other";
}

RequestOutcome outcome_of(const http::ClientResult& result) {
  switch (result.error) {
    case http::ClientError::none: break;
    case http::ClientError::timeout: return RequestOutcome::timeout;
    case http::ClientError::bad_url:
    case http::ClientError::resolve:
    case http::ClientError::connect:
    case http::ClientError::tls: return RequestOutcome::connect_error;
    case http::ClientError::io:
    case http::ClientError::protocol:
    case http::ClientError::too_large:
    case http::ClientError::cancelled: return RequestOutcome::io_error;
  }
  const int status = result.response.status;
  if (status >= 200 && status < 300) return RequestOutcome::status_2xx;
  if (status >= 300 && status < 400) return RequestOutcome::status_3xx;
  if (status >= 400 && status < 500) return RequestOutcome::status_4xx;
  if (status >= 500 && status < 600) return RequestOutcome::status_5xx;
  return RequestOutcome::other;
}

struct Pipeline::State : std::enable_shared_from_this<State> {
  State(config::CallbackConfig cb, std::unique_ptr<Transport> t, std::shared_ptr<Scheduler> s, PipelineOptions o)
      : callback(std::move(cb)),
        encoder(callback.log_format),
        shaper(callback),
        sealer(callback),
        headers(base_headers(callback, encoder.content_type())),
        timeout(request_timeout(callback.timeout_seconds)),
        transport(std::move(t)),
        scheduler(std::move(s)),
        clock(o.clock ? std::move(o.clock) : std::make_shared<SteadyClock>()),
        dead_letter(o.dead_letter ? std::move(o.dead_letter) : std::make_shared<LoggingDeadLetterSink>()),
        batcher(make_batcher_options(callback, o)),
        retry(o.retry ? *o.retry : RetryOptions::from_config(callback), std::move(o.random)),
        flush_timer(scheduler->make_timer()),
        spool(std::move(o.spool)) {}

  static BatcherOptions make_batcher_options(const config::CallbackConfig& cb, const PipelineOptions& o) {
    std::string prefix = o.id_prefix;
    if (prefix.empty()) prefix = o.spool ? o.spool->instance_id() : random_prefix();
    BatcherOptions options = BatcherOptions::from_config(cb, std::move(prefix));
    if (o.max_batch_bytes) options.max_batch_bytes = *o.max_batch_bytes;
    options.keys_from_spool = o.spool != nullptr;
    return options;
  }

  // Immutable after construction.
  const config::CallbackConfig callback;
  const Encoder encoder;
  const RecordShaper shaper;   // envelope + truncation, before a record is queued
  const RequestSealer sealer;  // signature + compression, per attempt
  const http::Headers headers;
  const std::chrono::milliseconds timeout;
  const std::unique_ptr<Transport> transport;
  const std::shared_ptr<Scheduler> scheduler;
  const std::shared_ptr<const Clock> clock;
  const std::shared_ptr<DeadLetterSink> dead_letter;

  std::atomic<std::uint64_t> bytes_sent{0};
  std::array<std::atomic<std::uint64_t>, kRequestOutcomeCount> requests{};

  mutable std::mutex mu;
  // Guarded by mu.
  Batcher batcher;
  RetryPolicy retry;
  std::unique_ptr<http::Timer> flush_timer;
  std::optional<TimePoint> flush_armed_for;
  bool pump_posted = false;
  bool draining = false;
  bool closed = false;
  std::uint64_t refused_full = 0;  // when_full: block refusals, reported as dropped{queue_full}
  std::function<void(PipelineDrain)> drain_done;
  std::unique_ptr<http::Timer> drain_timer;
  std::shared_ptr<SegmentLog> spool;          // null: memory buffer
  std::optional<SpoolRecord> spool_next;      // read from disk, waiting for room in memory
  std::uint64_t spool_appended = 0;           // records accepted onto disk by push()
  std::array<std::uint64_t, kDropReasonCount> disk_drops{};  // disk_full / disk_error
  std::array<std::uint64_t, kLatencyBuckets.size() + 1> latency_buckets{};
  double latency_sum_seconds = 0;
  double last_success_unix_seconds = 0;

  // Moves records from the disk buffer into the memory window while it has room. Called with mu
  // held, on a scheduler thread (it reads files).
  void refill_locked(TimePoint now) {
    if (!spool) return;
    for (;;) {
      if (!spool_next) spool_next = spool->read_next();
      if (!spool_next) return;
      const std::size_t bytes = spool_next->json.size();
      // A record too large for the window on its own is pushed anyway, so it is counted as
      // too_large and leaves the disk instead of blocking everything behind it.
      if (!batcher.has_room_for(bytes) && !(batcher.empty() && bytes > batcher.options().max_queue_bytes)) return;
      payload::Record record;
      record.json = std::make_shared<const std::string>(std::move(spool_next->json));
      record.status = spool_next->status == 0 ? payload::RecordStatus::success : payload::RecordStatus::failure;
      record.call_id = std::move(spool_next->call_id);
      const std::uint64_t seq = spool_next->seq;
      spool_next.reset();
      if (batcher.push(std::move(record), now, seq) == PushResult::dropped_too_large) {
        spool->ack(std::span<const std::uint64_t>(&seq, 1));
      }
    }
  }

  // Whether records wait on disk and the memory window could take the next one.
  bool refill_possible_locked() const {
    if (!spool || (!spool_next && spool->caught_up())) return false;
    return batcher.has_room_for(spool_next ? spool_next->json.size() : 1) || batcher.empty();
  }

  std::uint64_t held_total_locked() const {
    return spool ? spool->counters().records : batcher.counters().held_records;
  }

  // Makes sure something wakes the pipeline when the batcher next has work: a posted pump when
  // work is due now, else the flush timer at the deadline. Called with mu held.
  void schedule_locked(TimePoint now) {
    if (closed) return;
    auto deadline = batcher.next_deadline(draining);
    if (refill_possible_locked()) deadline = now;
    if (!deadline) return;  // nothing waiting, or every in-flight slot taken: a result wakes us
    if (*deadline <= now) {
      if (!pump_posted) {
        pump_posted = true;
        scheduler->post([weak = weak_from_this()] {
          if (auto self = weak.lock()) self->pump();
        });
      }
      return;
    }
    if (flush_armed_for && *flush_armed_for <= *deadline) return;
    flush_armed_for = *deadline;
    flush_timer->expire_after(*deadline - now, [weak = weak_from_this()](bool cancelled) {
      if (cancelled) return;  // re-armed for an earlier deadline, or closed
      if (auto self = weak.lock()) {
        {
          std::lock_guard lock(self->mu);
          self->flush_armed_for.reset();
        }
        self->pump();
      }
    });
  }

  // Takes every batch that is due and sends it. Runs on a scheduler thread.
  void pump() {
    std::vector<Batch> batches;
    std::vector<std::shared_ptr<FileHandle>> unsynced;
    {
      std::lock_guard lock(mu);
      pump_posted = false;
      if (closed) return;
      const TimePoint now = clock->now();
      refill_locked(now);
      while (auto batch = batcher.take_batch(now, draining)) batches.push_back(std::move(*batch));
      schedule_locked(now);
      if (spool && !batches.empty()) unsynced = spool->take_unsynced();
    }
    // fsync: batch — records reach the platter before they are sent, never on the request path.
    for (const auto& file : unsynced) file->sync();
    for (auto& batch : batches) send(batch);
  }

  void send(const Batch& batch) {
    http::ClientRequest request;
    request.method = "POST";
    request.url = callback.endpoint;
    request.headers = headers;
    request.headers.push_back({"Idempotency-Key", batch.idempotency_key});
    request.body = encoder.encode(batch.records);
    sealer.seal(request, batch.idempotency_key,
                std::chrono::duration_cast<std::chrono::seconds>(clock->system_now().time_since_epoch()).count());
    request.timeout = timeout;
    const std::size_t body_bytes = request.body.size();
    transport->send(std::move(request), [self = shared_from_this(), id = batch.id, attempt = batch.attempt,
                                         first = batch.first_attempt, body_bytes, oldest = batch.oldest_enqueued,
                                         seqs = spool ? batch.spool_seqs : std::vector<std::uint64_t>()](
                                            const http::ClientResult& result) {
      self->on_result(id, attempt, first, body_bytes, result, oldest, seqs);
    });
  }

  void record_success_locked(TimePoint now, TimePoint oldest_enqueued) {
    const double seconds = std::chrono::duration<double>(now - oldest_enqueued).count();
    std::size_t bucket = 0;
    while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
    latency_buckets[bucket] += 1;
    latency_sum_seconds += std::max(seconds, 0.0);
    last_success_unix_seconds =
        std::chrono::duration<double>(clock->system_now().time_since_epoch()).count();
  }

  void on_result(BatchId id, std::uint32_t attempt, TimePoint first_attempt, std::size_t body_bytes,
                 const http::ClientResult& result, TimePoint oldest_enqueued, const std::vector<std::uint64_t>& seqs) {
    requests[static_cast<std::size_t>(outcome_of(result))].fetch_add(1, std::memory_order_relaxed);
    if (result.ok()) bytes_sent.fetch_add(body_bytes, std::memory_order_relaxed);
    std::optional<Batch> rejected;
    RetryDecision decision;
    std::function<void()> drained;
    {
      std::lock_guard lock(mu);
      const TimePoint now = clock->now();
      decision = retry.decide(result, attempt, now - first_attempt, clock->system_now());
      switch (decision.disposition) {
        case Disposition::deliver:
          if (batcher.ack(id) > 0) {
            record_success_locked(now, oldest_enqueued);
            if (spool) spool->ack(seqs);
          }
          break;
        case Disposition::retry:
          batcher.fail(id, now + decision.delay);
          break;
        case Disposition::reject:
          rejected = batcher.reject(id);
          break;
      }
      drained = finish_drain_if_empty_locked();
      schedule_locked(now);
    }
    if (decision.disposition == Disposition::retry) {
      // One warning per batch, not per attempt: a dead endpoint must not flood the log.
      if (attempt == 0) {
        spdlog::warn("callback {}: batch {} failed ({}); retrying in {:.3f}s", callback.name, id, decision.reason,
                     std::chrono::duration<double>(decision.delay).count());
      }
    } else if (rejected) {
      RejectInfo info;
      info.status = result.ok() ? result.response.status : 0;
      info.reason = std::move(decision.reason);
      info.body_excerpt = result.ok() ? body_excerpt(result.response.body) : std::string();
      info.budget_exhausted = decision.budget_exhausted;
      dead_letter->store(callback.name, *rejected, info);
      if (spool) {
        // Only now, with the batch in the dead-letter store, may it leave the disk buffer.
        std::lock_guard lock(mu);
        spool->ack(seqs);
        if (!drained) drained = finish_drain_if_empty_locked();
        schedule_locked(clock->now());
      }
    }
    if (drained) drained();
  }

  // When draining and nothing is held, returns the call that reports it (to run unlocked).
  std::function<void()> finish_drain_if_empty_locked() {
    if (!drain_done || !batcher.empty() || held_total_locked() > 0) return {};
    return take_drain_report_locked();
  }

  std::function<void()> take_drain_report_locked() {
    PipelineDrain report{callback.name, batcher.counters().delivered, held_total_locked(),
                         spool ? spool->counters().records : 0};
    if (drain_timer) drain_timer->cancel();
    return [done = std::exchange(drain_done, nullptr), report = std::move(report)]() mutable {
      done(std::move(report));
    };
  }

  // The request path with a disk buffer: one framed write(2), then the record joins the memory
  // window when nothing older is still waiting on disk and the window has room.
  PushResult push_to_disk_locked(const payload::Record& record, TimePoint now) {
    const AppendResult appended = spool->append(record.status == payload::RecordStatus::success ? 0 : 1,
                                                record.call_id, record.bytes());
    if (appended.status != AppendStatus::ok) {
      const DropReason reason = appended.status == AppendStatus::full ? DropReason::disk_full : DropReason::disk_error;
      disk_drops[static_cast<std::size_t>(reason)] += 1;
      return PushResult::dropped_full;
    }
    ++spool_appended;
    if (spool->counters().unread == 1 && !spool_next && batcher.has_room_for(record.size())) {
      batcher.push(record, now, appended.seq);
      spool->skip_to_end();
    }
    schedule_locked(now);
    return PushResult::queued;
  }

  void on_drain_deadline() {
    std::function<void()> report;
    {
      std::lock_guard lock(mu);
      if (!drain_done) return;
      report = take_drain_report_locked();
      // With a disk buffer nothing is lost: what is not delivered stays on disk for the restart.
      const std::size_t lost = spool ? 0 : batcher.drop_waiting();
      if (lost > 0) spdlog::error("callback {}: shutdown deadline passed; dropping {} undelivered records", callback.name, lost);
    }
    report();
  }
};

Pipeline::Pipeline(config::CallbackConfig callback, std::unique_ptr<Transport> transport,
                   std::shared_ptr<Scheduler> scheduler, PipelineOptions options)
    : state_(std::make_shared<State>(std::move(callback), std::move(transport), std::move(scheduler),
                                     std::move(options))) {
  if (state_->spool) {
    // Records recovered from the disk buffer are due as soon as the runtime runs.
    std::lock_guard lock(state_->mu);
    state_->schedule_locked(state_->clock->now());
  }
}

Pipeline::~Pipeline() {
  std::lock_guard lock(state_->mu);
  state_->closed = true;
  state_->flush_timer->cancel();
  if (state_->drain_timer) state_->drain_timer->cancel();
}

const config::CallbackConfig& Pipeline::callback() const { return state_->callback; }

PushResult Pipeline::push(const payload::Record& original) {
  State& s = *state_;
  const payload::Record record = s.shaper.shape(original);  // outside the lock: may copy the bytes
  std::lock_guard lock(s.mu);
  const TimePoint now = s.clock->now();
  if (s.spool) return s.push_to_disk_locked(record, now);
  const PushResult result = s.batcher.push(record, now);
  if (result == PushResult::full) ++s.refused_full;  // the request path never waits for an endpoint
  s.schedule_locked(now);
  return result;
}

void Pipeline::shutdown(std::chrono::steady_clock::time_point deadline, std::function<void(PipelineDrain)> done) {
  State& s = *state_;
  std::function<void()> report;
  {
    std::lock_guard lock(s.mu);
    s.draining = true;
    s.drain_done = std::move(done);
    report = s.finish_drain_if_empty_locked();
    const TimePoint now = s.clock->now();
    if (!report) {
      s.drain_timer = s.scheduler->make_timer();
      s.drain_timer->expire_after(std::max(deadline - now, nanoseconds(0)), [weak = s.weak_from_this()](bool cancelled) {
        if (cancelled) return;
        if (auto self = weak.lock()) self->on_drain_deadline();
      });
    }
    s.schedule_locked(now);
  }
  if (report) report();
}

PipelineStats Pipeline::stats() const {
  const State& s = *state_;
  PipelineStats stats;
  stats.callback = s.callback.name;
  {
    std::lock_guard lock(s.mu);
    stats.batcher = s.batcher.counters();
    stats.batcher.dropped[static_cast<std::size_t>(DropReason::queue_full)] += s.refused_full;
    for (std::size_t r = 0; r < kDropReasonCount; ++r) stats.batcher.dropped[r] += s.disk_drops[r];
    stats.latency_buckets = s.latency_buckets;
    stats.latency_sum_seconds = s.latency_sum_seconds;
    stats.last_success_unix_seconds = s.last_success_unix_seconds;
    if (s.spool) {
      stats.disk = true;
      stats.disk_counters = s.spool->counters();
      stats.batcher.enqueued = s.spool_appended;
    }
  }
  stats.dead_lettered = s.dead_letter->stored_records();
  stats.bytes_sent = s.bytes_sent.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < kRequestOutcomeCount; ++i) stats.requests[i] = s.requests[i].load(std::memory_order_relaxed);
  return stats;
}

}  // namespace llmtap::delivery
