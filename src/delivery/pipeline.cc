#include "delivery/pipeline.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "base/ascii.h"
#include "base/prometheus.h"
#include "delivery/encoder.h"
#include "delivery/record_shaper.h"
#include "delivery/request_sealer.h"

namespace llmtap::delivery {
namespace {

using std::chrono::nanoseconds;

// How soon a failed dead-letter store is tried again, doubling per failure up to the maximum.
constexpr nanoseconds kDeadLetterRetryFirst = std::chrono::seconds(1);
constexpr nanoseconds kDeadLetterRetryMax = std::chrono::seconds(60);

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
    if (ascii::iequals(name, "Idempotency-Key"))
      continue;  // a fixed key would make receivers drop batches
    has_content_type = has_content_type || ascii::iequals(name, "Content-Type");
    has_user_agent = has_user_agent || ascii::iequals(name, "User-Agent");
    headers.push_back({name, value});
  }
  if (!has_content_type) headers.push_back({"Content-Type", std::string(content_type)});
  if (!has_user_agent) headers.push_back({"User-Agent", "llmtap/" LLMTAP_VERSION});
  return headers;
}

}  // namespace

const char* to_string(RequestOutcome outcome) { return kRequestOutcomeNames[outcome].data(); }

RequestOutcome outcome_of(const http::ClientResult& result) {
  switch (result.error) {
    case http::ClientError::none:
      break;
    case http::ClientError::timeout:
      return RequestOutcome::timeout;
    case http::ClientError::bad_url:
    case http::ClientError::resolve:
    case http::ClientError::connect:
    case http::ClientError::tls:
      return RequestOutcome::connect_error;
    case http::ClientError::io:
    case http::ClientError::protocol:
    case http::ClientError::too_large:
    case http::ClientError::cancelled:
      return RequestOutcome::io_error;
  }
  const int status = result.response.status;
  if (status >= 200 && status < 300) return RequestOutcome::status_2xx;
  if (status >= 300 && status < 400) return RequestOutcome::status_3xx;
  if (status >= 400 && status < 500) return RequestOutcome::status_4xx;
  if (status >= 500 && status < 600) return RequestOutcome::status_5xx;
  return RequestOutcome::other;
}

struct Pipeline::State : std::enable_shared_from_this<State> {
  State(config::CallbackConfig cb, std::unique_ptr<Transport> t, std::shared_ptr<Scheduler> s,
        PipelineOptions o)
      : callback(std::move(cb)),
        encoder(callback.log_format),
        shaper(callback),
        sealer(callback),
        headers(base_headers(callback, encoder.content_type())),
        timeout(callback.timeout),
        transport(std::move(t)),
        scheduler(std::move(s)),
        clock(o.clock ? std::move(o.clock) : std::make_shared<SteadyClock>()),
        dead_letter(o.dead_letter ? std::move(o.dead_letter)
                                  : std::make_shared<LoggingDeadLetterSink>()),
        disk_buffer(std::move(o.disk_buffer)),
        batcher(make_batcher_options(callback, o, disk_buffer.get())),
        retry(o.retry ? *o.retry : RetryOptions::from_config(callback), std::move(o.random)),
        flush_timer(scheduler->make_timer()),
        dead_letter_timer(scheduler->make_timer()) {}

  static BatcherOptions make_batcher_options(const config::CallbackConfig& cb,
                                             const PipelineOptions& o,
                                             const SegmentLog* disk_buffer) {
    std::string prefix = o.id_prefix;
    if (prefix.empty()) prefix = disk_buffer ? disk_buffer->instance_id() : random_prefix();
    BatcherOptions options = BatcherOptions::from_config(cb, std::move(prefix));
    if (o.max_batch_bytes) options.max_batch_bytes = *o.max_batch_bytes;
    options.keys_from_disk_buffer = disk_buffer != nullptr;
    return options;
  }

  // A rejected batch whose dead-letter store failed, kept until a retry stores it.
  struct DeadLetterRetry {
    Batch batch;
    RejectInfo info;
  };

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
  // null: memory buffer. Thread-safe on its own (see SegmentLog): called without mu for disk I/O.
  const std::shared_ptr<SegmentLog> disk_buffer;

  std::atomic<std::uint64_t> bytes_sent{0};
  std::array<std::atomic<std::uint64_t>, kRequestOutcomeCount> requests{};

  // Serialises refills (disk reads) on the Scheduler's threads; never taken by push(). Taken
  // before mu, never while holding it.
  std::mutex refill_mu;

  // Held only for in-memory work: never across a disk read, an .ack write or a dead-letter store.
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
  std::optional<PeekedRecord> disk_next;  // read from disk, waiting for room in memory
  std::uint64_t disk_appended = 0;        // records accepted onto disk by push()
  std::array<std::uint64_t, kDropReasonCount> pipeline_drops{};  // disk_*, dead_letter_error
  std::deque<DeadLetterRetry> dead_letter_retries;               // disk buffer only
  std::size_t dead_letter_retry_records = 0;
  std::size_t dead_letter_retry_bytes = 0;
  std::unique_ptr<http::Timer> dead_letter_timer;
  bool dead_letter_armed = false;
  nanoseconds dead_letter_backoff = kDeadLetterRetryFirst;
  std::array<std::uint64_t, kLatencyBuckets.size() + 1> latency_buckets{};
  double latency_sum_seconds = 0;
  double last_success_unix_seconds = 0;

  // Whether a record of `bytes` fits the memory window beside the batches waiting for a
  // dead-letter retry.
  bool window_has_room_locked(std::size_t bytes) const {
    const BatcherCounters& held = batcher.counters();
    const BatcherOptions& bounds = batcher.options();
    return held.held_records + dead_letter_retry_records < bounds.max_queue_records &&
           held.held_bytes + dead_letter_retry_bytes + bytes <= bounds.max_queue_bytes;
  }

  // A record too large for the window on its own is pushed anyway when the window is empty, so
  // it is counted as too_large and leaves the disk instead of blocking everything behind it.
  bool window_accepts_locked(std::size_t bytes) const {
    return window_has_room_locked(bytes) || (batcher.empty() && dead_letter_retry_records == 0 &&
                                             bytes > batcher.options().max_queue_bytes);
  }

  // Moves records from the disk buffer into the memory window while it has room. Runs on a
  // scheduler thread; reads the disk with mu released. Returns the seqs of records dropped as
  // too_large, to be acked (outside mu).
  std::vector<std::uint64_t> refill() {
    std::vector<std::uint64_t> too_large;
    if (!disk_buffer) return too_large;
    std::lock_guard refill_lock(refill_mu);
    for (;;) {
      std::optional<PeekedRecord> next;
      {
        std::lock_guard lock(mu);
        if (closed) break;
        next = std::exchange(disk_next, std::nullopt);
        if (next && !window_accepts_locked(next->record.json.size())) {
          disk_next = std::move(next);
          break;
        }
        if (!next && (disk_buffer->caught_up() || !window_has_room_locked(1))) break;
      }
      if (!next) next = disk_buffer->peek_next();  // the disk read, mu released
      if (!next) break;
      std::lock_guard lock(mu);
      if (!window_accepts_locked(next->record.json.size())) {
        disk_next = std::move(next);
        break;
      }
      if (!disk_buffer->claim(next->at)) continue;  // push() took it into memory meanwhile
      DiskRecord& stored = next->record;
      payload::Record record;
      record.json = std::make_shared<const std::string>(std::move(stored.json));
      record.status =
          stored.status == 0 ? payload::RecordStatus::success : payload::RecordStatus::failure;
      record.call_id = std::move(stored.call_id);
      if (batcher.push(std::move(record), clock->now(), stored.seq) ==
          PushResult::dropped_too_large) {
        too_large.push_back(stored.seq);
      }
    }
    return too_large;
  }

  // Whether records wait on disk and the memory window could take the next one.
  bool refill_possible_locked() const {
    if (!disk_buffer || (!disk_next && disk_buffer->caught_up())) return false;
    return disk_next ? window_accepts_locked(disk_next->record.json.size())
                     : window_has_room_locked(1);
  }

  std::uint64_t held_total_locked() const {
    return disk_buffer ? disk_buffer->counters().records : batcher.counters().held_records;
  }

  // Records given up and kept nowhere: dropped, or rejected and not in a dead-letter file.
  std::uint64_t given_up_locked() const {
    BatcherCounters counters = batcher.counters();
    std::uint64_t dropped = counters.dropped_total() + refused_full;
    for (std::uint64_t n : pipeline_drops) dropped += n;
    const std::uint64_t rejected = rejected_locked();
    return dropped + rejected - std::min(rejected, dead_letter->stored_records());
  }

  // Rejected records as reported: without those still waiting for a dead-letter store (they are
  // held on disk) and those dropped as dead_letter_error (counted there).
  std::uint64_t rejected_locked() const {
    const std::uint64_t not_yet =
        dead_letter_retry_records +
        pipeline_drops[static_cast<std::size_t>(DropReason::dead_letter_error)];
    return batcher.counters().rejected -
           std::min<std::uint64_t>(batcher.counters().rejected, not_yet);
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
    {
      std::lock_guard lock(mu);
      pump_posted = false;
      if (closed) return;
    }
    if (const std::vector<std::uint64_t> too_large = refill(); !too_large.empty()) {
      disk_buffer->ack(too_large);
    }
    std::vector<Batch> batches;
    std::vector<std::shared_ptr<FileHandle>> unsynced;
    std::function<void()> drained;
    {
      std::lock_guard lock(mu);
      if (closed) return;
      const TimePoint now = clock->now();
      while (auto batch = batcher.take_batch(now, draining)) batches.push_back(std::move(*batch));
      drained = finish_drain_if_empty_locked();
      schedule_locked(now);
      if (disk_buffer && !batches.empty()) unsynced = disk_buffer->take_unsynced();
    }
    // fsync: batch — records reach the platter before they are sent, never on the request path.
    for (const auto& file : unsynced) file->sync();
    for (auto& batch : batches) send(batch);
    if (drained) drained();
  }

  void send(const Batch& batch) {
    http::ClientRequest request;
    request.method = "POST";
    request.url = callback.endpoint;
    request.headers = headers;
    request.headers.push_back({"Idempotency-Key", batch.idempotency_key});
    request.body = encoder.encode(batch.records);
    sealer.seal(
        request, batch.idempotency_key,
        std::chrono::duration_cast<std::chrono::seconds>(clock->system_now().time_since_epoch())
            .count());
    request.timeout = timeout;
    const std::size_t body_bytes = request.body.size();
    transport->send(std::move(request),
                    [self = shared_from_this(), id = batch.id, attempt = batch.attempt,
                     first = batch.first_attempt, body_bytes, oldest = batch.oldest_enqueued,
                     seqs = disk_buffer ? batch.disk_seqs : std::vector<std::uint64_t>()](
                        const http::ClientResult& result) {
                      self->on_result(id, attempt, first, body_bytes, result, oldest, seqs);
                    });
  }

  void record_success_locked(TimePoint now, TimePoint oldest_enqueued) {
    const double seconds = std::chrono::duration<double>(now - oldest_enqueued).count();
    latency_buckets[prometheus::bucket_index(kLatencyBuckets, seconds)] += 1;
    latency_sum_seconds += std::max(seconds, 0.0);
    last_success_unix_seconds =
        std::chrono::duration<double>(clock->system_now().time_since_epoch()).count();
  }

  void on_result(BatchId id, std::uint32_t attempt, TimePoint first_attempt, std::size_t body_bytes,
                 const http::ClientResult& result, TimePoint oldest_enqueued,
                 const std::vector<std::uint64_t>& seqs) {
    requests[static_cast<std::size_t>(outcome_of(result))].fetch_add(1, std::memory_order_relaxed);
    if (result.ok()) bytes_sent.fetch_add(body_bytes, std::memory_order_relaxed);
    std::optional<Batch> rejected;
    RetryDecision decision;
    std::function<void()> drained;
    bool delivered = false;
    {
      std::lock_guard lock(mu);
      const TimePoint now = clock->now();
      decision = retry.decide(result, attempt, now - first_attempt, clock->system_now());
      switch (decision.disposition) {
        case Disposition::deliver:
          if (batcher.ack(id) > 0) {
            record_success_locked(now, oldest_enqueued);
            delivered = true;
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
        spdlog::warn("callback {}: batch {} failed ({}); retrying in {:.3f}s", callback.name, id,
                     decision.reason, std::chrono::duration<double>(decision.delay).count());
      }
    }
    if (delivered && disk_buffer) ack_on_disk(seqs);
    if (rejected) {
      RejectInfo info;
      info.status = result.ok() ? result.response.status : 0;
      info.reason = std::move(decision.reason);
      info.body_excerpt = result.ok() ? body_excerpt(result.response.body) : std::string();
      info.budget_exhausted = decision.budget_exhausted;
      dead_letter_rejected(std::move(*rejected), std::move(info));
    }
    if (drained) drained();
  }

  // The records left memory for good (delivered, dead-lettered, too large): they leave the disk
  // buffer too, outside mu; then a drain may be over and the window may take more from disk.
  void ack_on_disk(const std::vector<std::uint64_t>& seqs) {
    disk_buffer->ack(seqs);
    std::function<void()> drained;
    {
      std::lock_guard lock(mu);
      drained = finish_drain_if_empty_locked();
      schedule_locked(clock->now());
    }
    if (drained) drained();
  }

  // A rejected batch goes to the dead-letter store; only once it is stored may it leave the disk
  // buffer. When the store fails, a disk-buffered batch waits for a retry; without a disk buffer
  // there is nowhere to keep it, so it is dropped as dead_letter_error.
  void dead_letter_rejected(Batch batch, RejectInfo info) {
    if (disk_buffer) {
      std::lock_guard lock(mu);
      if (!dead_letter_retries.empty()) {  // the store is failing: queue behind the others
        keep_for_dead_letter_retry_locked({std::move(batch), std::move(info)});
        return;
      }
    }
    if (dead_letter->store(callback.name, batch, info)) {
      if (disk_buffer) ack_on_disk(batch.disk_seqs);
      return;
    }
    std::lock_guard lock(mu);
    if (!disk_buffer) {
      pipeline_drops[static_cast<std::size_t>(DropReason::dead_letter_error)] +=
          batch.records.size();
      spdlog::error(
          "callback {}: batch {} ({} records) is lost: it was given up and its dead-letter file "
          "could "
          "not be written (no disk buffer to keep it in)",
          callback.name, batch.idempotency_key, batch.records.size());
      return;
    }
    spdlog::error(
        "callback {}: batch {} ({} records) stays in the disk buffer until its dead-letter file "
        "can be "
        "written; retrying in {:.0f}s",
        callback.name, batch.idempotency_key, batch.records.size(),
        std::chrono::duration<double>(dead_letter_backoff).count());
    keep_for_dead_letter_retry_locked({std::move(batch), std::move(info)});
  }

  void keep_for_dead_letter_retry_locked(DeadLetterRetry entry) {
    dead_letter_retry_records += entry.batch.records.size();
    dead_letter_retry_bytes += entry.batch.record_bytes;
    dead_letter_retries.push_back(std::move(entry));
    arm_dead_letter_retry_locked();
  }

  void arm_dead_letter_retry_locked() {
    if (dead_letter_armed || closed) return;
    dead_letter_armed = true;
    dead_letter_timer->expire_after(dead_letter_backoff, [weak = weak_from_this()](bool cancelled) {
      if (cancelled) return;
      if (auto self = weak.lock()) self->retry_dead_letters();
    });
  }

  // Stores the waiting batches in order; on the first failure puts it back and waits longer.
  void retry_dead_letters() {
    for (;;) {
      DeadLetterRetry entry;
      {
        std::lock_guard lock(mu);
        dead_letter_armed = false;
        if (closed || dead_letter_retries.empty()) return;
        entry = std::move(dead_letter_retries.front());
        dead_letter_retries.pop_front();
        dead_letter_retry_records -= entry.batch.records.size();
        dead_letter_retry_bytes -= entry.batch.record_bytes;
      }
      if (!dead_letter->store(callback.name, entry.batch, entry.info)) {
        std::lock_guard lock(mu);
        dead_letter_backoff = std::min(dead_letter_backoff * 2, kDeadLetterRetryMax);
        dead_letter_retry_records += entry.batch.records.size();
        dead_letter_retry_bytes += entry.batch.record_bytes;
        dead_letter_retries.push_front(std::move(entry));
        arm_dead_letter_retry_locked();
        return;
      }
      {
        std::lock_guard lock(mu);
        dead_letter_backoff = kDeadLetterRetryFirst;
      }
      ack_on_disk(entry.batch.disk_seqs);
    }
  }

  // When draining and nothing is held, returns the call that reports it (to run unlocked).
  std::function<void()> finish_drain_if_empty_locked() {
    if (!drain_done || !batcher.empty() || held_total_locked() > 0) return {};
    return take_drain_report_locked();
  }

  std::function<void()> take_drain_report_locked() {
    const std::uint64_t held = held_total_locked();
    PipelineDrain report{callback.name, batcher.counters().delivered, held, disk_buffer ? held : 0,
                         given_up_locked()};
    if (drain_timer) drain_timer->cancel();
    return [done = std::exchange(drain_done, nullptr), report = std::move(report)]() mutable {
      done(std::move(report));
    };
  }

  // The request path with a disk buffer: one framed append, then (in memory only) the record
  // joins the memory window when nothing older is still waiting on disk and the window has room.
  PushResult push_to_disk(const payload::Record& record) {
    const AppendResult appended = disk_buffer->append(
        record.status == payload::RecordStatus::success ? 0 : 1, record.call_id, record.bytes());
    std::lock_guard lock(mu);
    if (appended.status != AppendStatus::ok) {
      const DropReason reason =
          appended.status == AppendStatus::full ? DropReason::disk_full : DropReason::disk_error;
      pipeline_drops[static_cast<std::size_t>(reason)] += 1;
      return PushResult::dropped_full;
    }
    ++disk_appended;
    const TimePoint now = clock->now();
    if (!disk_next && window_has_room_locked(record.size()) && disk_buffer->claim(appended.at)) {
      batcher.push(record, now, appended.seq);
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
      const std::size_t lost = disk_buffer ? 0 : batcher.drop_waiting();
      if (lost > 0)
        spdlog::error("callback {}: shutdown deadline passed; dropping {} undelivered records",
                      callback.name, lost);
    }
    report();
  }
};

Pipeline::Pipeline(config::CallbackConfig callback, std::unique_ptr<Transport> transport,
                   std::shared_ptr<Scheduler> scheduler, PipelineOptions options)
    : state_(std::make_shared<State>(std::move(callback), std::move(transport),
                                     std::move(scheduler), std::move(options))) {
  if (state_->disk_buffer) {
    // Records recovered from the disk buffer are due as soon as the runtime runs.
    std::lock_guard lock(state_->mu);
    state_->schedule_locked(state_->clock->now());
  }
}

Pipeline::~Pipeline() {
  std::lock_guard lock(state_->mu);
  state_->closed = true;
  state_->flush_timer->cancel();
  state_->dead_letter_timer->cancel();
  if (state_->drain_timer) state_->drain_timer->cancel();
}

const config::CallbackConfig& Pipeline::callback() const { return state_->callback; }

PushResult Pipeline::push(const payload::Record& original) {
  State& s = *state_;
  const payload::Record record = s.shaper.shape(original);  // outside the lock: may copy the bytes
  if (s.disk_buffer) return s.push_to_disk(record);
  std::lock_guard lock(s.mu);
  const TimePoint now = s.clock->now();
  const PushResult result = s.batcher.push(record, now);
  if (result == PushResult::full) ++s.refused_full;  // the request path never waits for an endpoint
  s.schedule_locked(now);
  return result;
}

void Pipeline::shutdown(std::chrono::steady_clock::time_point deadline,
                        std::function<void(PipelineDrain)> done) {
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
      s.drain_timer->expire_after(std::max(deadline - now, nanoseconds(0)),
                                  [weak = s.weak_from_this()](bool cancelled) {
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
    for (std::size_t r = 0; r < kDropReasonCount; ++r)
      stats.batcher.dropped[r] += s.pipeline_drops[r];
    stats.batcher.rejected = s.rejected_locked();
    stats.dead_letter_pending = s.dead_letter_retry_records;
    stats.latency_buckets = s.latency_buckets;
    stats.latency_sum_seconds = s.latency_sum_seconds;
    stats.last_success_unix_seconds = s.last_success_unix_seconds;
    if (s.disk_buffer) {
      stats.disk = true;
      stats.disk_counters = s.disk_buffer->counters();
      stats.batcher.enqueued = s.disk_appended;
    }
  }
  stats.dead_lettered = s.dead_letter->stored_records();
  stats.dead_letter_errors = s.dead_letter->write_errors();
  stats.bytes_sent = s.bytes_sent.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < kRequestOutcomeCount; ++i)
    stats.requests[i] = s.requests[i].load(std::memory_order_relaxed);
  return stats;
}

}  // namespace llmtap::delivery
