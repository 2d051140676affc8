// Batcher: the sans-I/O heart of a callback pipeline. A bounded queue of Records that cuts batches
// by record count, encoded byte size, or time since the oldest waiting record, and tracks every
// batch it hands out until the caller acks, rejects or fails it. Records leave only through
// ack() (delivered) or reject() (given up), so delivery is at-least-once by construction; a failed
// batch keeps its id, records and order and goes out again before anything that arrived later.
//
// No clock reads, no threads, no I/O: time is passed in, decisions are returned.
// Lifecycle: construct with options, then push()/take_batch()/ack()/fail()/reject() for as long as
// the owner lives. Thread-safety: none; the owner (Pipeline) serialises calls under its mutex.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/enum_names.h"
#include "config/config.h"
#include "payload/record.h"

namespace llmtap::delivery {

using TimePoint = std::chrono::steady_clock::time_point;
using BatchId = std::uint64_t;

inline constexpr std::size_t kDefaultMaxBatchBytes = 5 * 1024 * 1024;

struct BatcherOptions {
  bool single = false;           // log_format single: every record is its own batch
  std::size_t batch_size = 100;  // records per batch, or per flush in single mode
  std::chrono::nanoseconds flush_interval = std::chrono::seconds(60);
  std::size_t max_batch_bytes =
      kDefaultMaxBatchBytes;               // encoded body bound (a lone record may exceed it)
  std::size_t max_queue_records = 100000;  // every record held: waiting, backing off or in flight
  std::size_t max_queue_bytes = 256 * 1024 * 1024;
  config::WhenFull when_full = config::WhenFull::drop_oldest;
  std::size_t max_in_flight = 4;
  std::string id_prefix;  // makes idempotency keys unique across processes and restarts
  // Disk buffer: keys are <id_prefix>-<first disk buffer seq>[-<last disk buffer seq>], so a batch
  // cut the same way after a restart carries the same key (and a `single` record always does).
  bool keys_from_disk_buffer = false;

  // The options a callback's config asks for.
  static BatcherOptions from_config(const config::CallbackConfig& callback, std::string id_prefix);
};

// A batch handed out by take_batch(). Its id and idempotency key stay the same on every attempt.
struct Batch {
  BatchId id = 0;
  std::string idempotency_key;
  std::vector<payload::Record> records;
  std::size_t record_bytes = 0;  // sum of the records' serialized sizes
  std::uint32_t attempt = 0;     // 0 on the first send, then 1, 2, ... after each fail()
  TimePoint first_attempt{};     // when it was first handed out (the retry budget starts here)
  TimePoint oldest_enqueued{};   // when its oldest record was pushed (delivery latency)
  std::vector<std::uint64_t> disk_seqs;  // disk buffer sequence numbers, parallel to records
};

enum class PushResult {
  queued,             // accepted; nothing dropped
  queued_evicted,     // accepted after dropping the oldest waiting record(s) (drop_oldest)
  dropped_full,       // the new record was dropped: queue full (drop_newest, or nothing evictable)
  dropped_too_large,  // the record alone is larger than max_queue_bytes
  full,               // when_full: block — not queued, not counted; the caller decides
};

// disk_full / disk_error: a disk-buffered callback could not append the record (budget spent or
// no space left on the device, or another write failure). dead_letter_error: a rejected record
// of a memory-buffered callback whose dead-letter file could not be written.
enum class DropReason { queue_full, too_large, shutdown, disk_full, disk_error, dead_letter_error };
// The `reason` label of llmtap_callback_records_dropped_total; its size is the enum's count.
inline constexpr auto kDropReasonNames =
    base::make_enum_names<DropReason>({{DropReason::queue_full, "queue_full"},
                                       {DropReason::too_large, "too_large"},
                                       {DropReason::shutdown, "shutdown"},
                                       {DropReason::disk_full, "disk_full"},
                                       {DropReason::disk_error, "disk_error"},
                                       {DropReason::dead_letter_error, "dead_letter_error"}});
inline constexpr std::size_t kDropReasonCount = kDropReasonNames.size();

struct BatcherCounters {
  std::uint64_t enqueued = 0;
  std::uint64_t delivered = 0;                            // records acked
  std::uint64_t rejected = 0;                             // records given up (reject())
  std::uint64_t retried = 0;                              // records put back by fail()
  std::array<std::uint64_t, kDropReasonCount> dropped{};  // by DropReason
  std::size_t held_records = 0;                           // waiting + backing off + in flight
  std::size_t held_bytes = 0;
  std::size_t in_flight_batches = 0;

  std::uint64_t dropped_total() const;
};

class Batcher {
 public:
  explicit Batcher(BatcherOptions options);

  // `disk_seq`: the record's sequence number in the disk buffer (0: memory only).
  PushResult push(payload::Record record, TimePoint now, std::uint64_t disk_seq = 0);

  // Whether a record of `bytes` fits the bounds without dropping anything.
  bool has_room_for(std::size_t bytes) const;

  // The next batch to send, when one is due at `now` and fewer than max_in_flight are out.
  // Failed batches whose backoff has passed come first; `force` cuts waiting records regardless
  // of size and time (flush on shutdown) but never shortens a backoff.
  std::optional<Batch> take_batch(TimePoint now, bool force = false);

  // When take_batch() will next have something (a time already passed means "now"); nullopt when
  // nothing is waiting or all in-flight slots are taken (an ack/fail/reject changes that).
  std::optional<TimePoint> next_deadline(bool force = false) const;

  // The batch was delivered: its records leave. Returns how many (0 for an unknown id).
  std::size_t ack(BatchId id);
  // The batch was given up (rejected or out of retry budget): its records leave, counted, and
  // the batch is returned for the dead-letter sink (nullopt for an unknown id).
  std::optional<Batch> reject(BatchId id);
  // The batch must be sent again, not before `not_before`, with the same id and records, ahead of
  // records that arrived meanwhile. Returns how many records were put back.
  std::size_t fail(BatchId id, TimePoint not_before = TimePoint{});

  // Removes every record not in flight (shutdown gave up on them), counted as dropped{shutdown}.
  std::size_t drop_waiting();

  // Whether the books balance: held records and bytes equal what is waiting, backing off and in
  // flight. Checked (LLMTAP_ASSERT) after every state change in builds with assertions on.
  bool books_balance() const;

  bool empty() const { return counters_.held_records == 0; }
  std::size_t in_flight() const { return in_flight_.size(); }
  const BatcherCounters& counters() const { return counters_; }
  const BatcherOptions& options() const { return options_; }

 private:
  struct Waiting {
    payload::Record record;
    TimePoint enqueued;
    std::uint64_t disk_seq = 0;
  };
  struct BackingOff {
    Batch batch;
    TimePoint not_before;
  };

  void evict_oldest_waiting();
  bool waiting_due(TimePoint now, bool force) const;
  Batch cut_waiting(std::size_t max_records);
  Batch hand_out(Batch batch, TimePoint now);
  // Removes an in-flight batch for good, adding its record count to `counter`.
  std::optional<Batch> finish(BatchId id, std::uint64_t& counter);
  std::optional<Batch> remove_in_flight(BatchId id);
  void check_books() const;

  BatcherOptions options_;
  std::deque<Waiting> waiting_;
  std::size_t waiting_encoded_bytes_ = 0;      // upper bound of the waiting records' encoded size
  std::size_t single_released_ = 0;            // single mode: waiting records released by a flush
  std::map<BatchId, BackingOff> backing_off_;  // ordered by id, i.e. by original order
  std::map<BatchId, Batch> in_flight_;
  BatchId next_id_ = 1;
  BatcherCounters counters_;
};

}  // namespace llmtap::delivery
