#include "delivery/batcher.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/assert.h"

namespace llmtap::delivery {
namespace {

// Encoded size bound of one record inside a batch: its bytes plus one separator (`,` or `\n`);
// the batch adds one more byte (json_array's brackets replace one comma). Valid for every format.
std::size_t encoded_cost(std::size_t record_bytes) { return record_bytes + 1; }

}  // namespace

std::uint64_t BatcherCounters::dropped_total() const {
  std::uint64_t total = 0;
  for (auto n : dropped) total += n;
  return total;
}

BatcherOptions BatcherOptions::from_config(const config::CallbackConfig& callback,
                                           std::string id_prefix) {
  BatcherOptions options;
  options.single = callback.log_format == config::LogFormat::single;
  options.batch_size = std::max<std::size_t>(callback.batch_size, 1);
  options.flush_interval = callback.flush_interval;
  options.max_queue_records = std::max<std::size_t>(callback.max_queue_records, 1);
  options.max_queue_bytes = callback.max_queue_bytes;
  options.max_batch_bytes = std::max<std::size_t>(callback.max_batch_bytes, 1);
  options.when_full = callback.when_full;
  options.max_in_flight = std::max<std::size_t>(callback.max_in_flight, 1);
  options.id_prefix = std::move(id_prefix);
  return options;
}

Batcher::Batcher(BatcherOptions options) : options_(std::move(options)) {
  options_.batch_size = std::max<std::size_t>(options_.batch_size, 1);
  options_.max_in_flight = std::max<std::size_t>(options_.max_in_flight, 1);
}

bool Batcher::has_room_for(std::size_t bytes) const {
  return counters_.held_records < options_.max_queue_records &&
         counters_.held_bytes + bytes <= options_.max_queue_bytes;
}

void Batcher::evict_oldest_waiting() {
  const std::size_t bytes = waiting_.front().record.size();
  waiting_.pop_front();
  waiting_encoded_bytes_ -= encoded_cost(bytes);
  counters_.held_records -= 1;
  counters_.held_bytes -= bytes;
  counters_.dropped[static_cast<std::size_t>(DropReason::queue_full)] += 1;
  if (single_released_ > 0) --single_released_;  // released records are the oldest ones
}

PushResult Batcher::push(payload::Record record, TimePoint now, std::uint64_t disk_seq) {
  const std::size_t bytes = record.size();
  if (bytes > options_.max_queue_bytes) {
    counters_.dropped[static_cast<std::size_t>(DropReason::too_large)] += 1;
    return PushResult::dropped_too_large;
  }
  bool evicted = false;
  if (!has_room_for(bytes)) {
    switch (options_.when_full) {
      case config::WhenFull::block:
        return PushResult::full;
      case config::WhenFull::drop_newest:
        counters_.dropped[static_cast<std::size_t>(DropReason::queue_full)] += 1;
        return PushResult::dropped_full;
      case config::WhenFull::drop_oldest:
        // Only waiting records can go: batches out or backing off keep their exact content so
        // their idempotency key keeps meaning the same records.
        while (!has_room_for(bytes) && !waiting_.empty()) {
          evict_oldest_waiting();
          evicted = true;
        }
        if (!has_room_for(bytes)) {
          counters_.dropped[static_cast<std::size_t>(DropReason::queue_full)] += 1;
          check_books();
          return PushResult::dropped_full;
        }
        break;
    }
  }
  waiting_.push_back(Waiting{std::move(record), now, disk_seq});
  waiting_encoded_bytes_ += encoded_cost(bytes);
  counters_.held_records += 1;
  counters_.held_bytes += bytes;
  counters_.enqueued += 1;
  check_books();
  return evicted ? PushResult::queued_evicted : PushResult::queued;
}

bool Batcher::waiting_due(TimePoint now, bool force) const {
  if (waiting_.empty()) return false;
  if (force || waiting_.size() >= options_.batch_size) return true;
  if (options_.single ? single_released_ > 0
                      : waiting_encoded_bytes_ + 1 >= options_.max_batch_bytes)
    return true;
  return now >= waiting_.front().enqueued + options_.flush_interval;
}

Batch Batcher::cut_waiting(std::size_t max_records) {
  Batch batch;
  batch.id = next_id_++;
  if (!waiting_.empty()) batch.oldest_enqueued = waiting_.front().enqueued;
  std::size_t encoded = 1;
  while (!waiting_.empty() && batch.records.size() < max_records) {
    const std::size_t bytes = waiting_.front().record.size();
    // A record larger than max_batch_bytes still goes, alone: it can never fit any better.
    if (!batch.records.empty() && encoded + encoded_cost(bytes) > options_.max_batch_bytes) break;
    encoded += encoded_cost(bytes);
    batch.record_bytes += bytes;
    batch.records.push_back(std::move(waiting_.front().record));
    batch.disk_seqs.push_back(waiting_.front().disk_seq);
    waiting_.pop_front();
    waiting_encoded_bytes_ -= encoded_cost(bytes);
  }
  std::string key = std::to_string(batch.id);
  if (options_.keys_from_disk_buffer && !batch.disk_seqs.empty()) {
    key = std::to_string(batch.disk_seqs.front());
    if (batch.disk_seqs.size() > 1) {
      // Two appends, not "-" + to_string(): GCC 12 at -O3 reports a false -Wrestrict on that.
      key.push_back('-');
      key += std::to_string(batch.disk_seqs.back());
    }
  }
  batch.idempotency_key = options_.id_prefix.empty() ? key : options_.id_prefix + "-" + key;
  return batch;
}

Batch Batcher::hand_out(Batch batch, TimePoint now) {
  if (batch.attempt == 0) batch.first_attempt = now;
  auto [it, inserted] = in_flight_.emplace(batch.id, std::move(batch));
  (void)inserted;
  counters_.in_flight_batches = in_flight_.size();
  check_books();
  return it->second;
}

std::optional<Batch> Batcher::take_batch(TimePoint now, bool force) {
  if (in_flight_.size() >= options_.max_in_flight) return std::nullopt;
  for (auto it = backing_off_.begin(); it != backing_off_.end(); ++it) {
    if (it->second.not_before <= now) {
      Batch batch = std::move(it->second.batch);
      backing_off_.erase(it);
      return hand_out(std::move(batch), now);
    }
  }
  if (!waiting_due(now, force)) return std::nullopt;
  if (!options_.single) return hand_out(cut_waiting(options_.batch_size), now);
  // single: a flush releases up to batch_size records (all of them when forced), each sent as
  // its own batch as in-flight slots allow.
  if (single_released_ == 0) {
    single_released_ = force ? waiting_.size() : std::min(waiting_.size(), options_.batch_size);
  }
  --single_released_;
  return hand_out(cut_waiting(1), now);
}

std::optional<TimePoint> Batcher::next_deadline(bool force) const {
  if (in_flight_.size() >= options_.max_in_flight) return std::nullopt;
  std::optional<TimePoint> best;
  for (const auto& [id, entry] : backing_off_) {
    if (!best || entry.not_before < *best) best = entry.not_before;
  }
  if (!waiting_.empty()) {
    // waiting_due() at the earliest possible time tells whether only the timer is missing.
    const TimePoint due = waiting_due(TimePoint{}, force)
                              ? TimePoint{}
                              : waiting_.front().enqueued + options_.flush_interval;
    if (!best || due < *best) best = due;
  }
  return best;
}

std::optional<Batch> Batcher::remove_in_flight(BatchId id) {
  auto it = in_flight_.find(id);
  if (it == in_flight_.end()) return std::nullopt;
  Batch batch = std::move(it->second);
  in_flight_.erase(it);
  counters_.in_flight_batches = in_flight_.size();
  return batch;
}

std::optional<Batch> Batcher::finish(BatchId id, std::uint64_t& counter) {
  auto batch = remove_in_flight(id);
  if (!batch) return std::nullopt;
  counters_.held_records -= batch->records.size();
  counters_.held_bytes -= batch->record_bytes;
  counter += batch->records.size();
  check_books();
  return batch;
}

std::size_t Batcher::ack(BatchId id) {
  auto batch = finish(id, counters_.delivered);
  return batch ? batch->records.size() : 0;
}

std::optional<Batch> Batcher::reject(BatchId id) { return finish(id, counters_.rejected); }

std::size_t Batcher::fail(BatchId id, TimePoint not_before) {
  auto batch = remove_in_flight(id);
  if (!batch) return 0;
  const std::size_t n = batch->records.size();
  counters_.retried += n;
  batch->attempt += 1;
  backing_off_.emplace(id, BackingOff{std::move(*batch), not_before});
  check_books();
  return n;
}

std::size_t Batcher::drop_waiting() {
  std::size_t dropped = waiting_.size();
  std::size_t bytes = 0;
  for (const auto& w : waiting_) bytes += w.record.size();
  for (const auto& [id, entry] : backing_off_) {
    dropped += entry.batch.records.size();
    bytes += entry.batch.record_bytes;
  }
  waiting_.clear();
  backing_off_.clear();
  waiting_encoded_bytes_ = 0;
  single_released_ = 0;
  counters_.held_records -= dropped;
  counters_.held_bytes -= bytes;
  counters_.dropped[static_cast<std::size_t>(DropReason::shutdown)] += dropped;
  check_books();
  return dropped;
}

bool Batcher::books_balance() const {
  // Waiting bytes come from waiting_encoded_bytes_ (one separator byte per record) so the check
  // costs one step per batch, not per record: it runs on every push in assertion builds.
  if (waiting_encoded_bytes_ < waiting_.size()) return false;
  std::size_t records = waiting_.size();
  std::size_t bytes = waiting_encoded_bytes_ - waiting_.size();
  for (const auto& [id, entry] : backing_off_) {
    records += entry.batch.records.size();
    bytes += entry.batch.record_bytes;
  }
  for (const auto& [id, batch] : in_flight_) {
    records += batch.records.size();
    bytes += batch.record_bytes;
  }
  return records == counters_.held_records && bytes == counters_.held_bytes &&
         in_flight_.size() == counters_.in_flight_batches &&
         in_flight_.size() <= options_.max_in_flight && single_released_ <= waiting_.size();
}

void Batcher::check_books() const { LLMTAP_ASSERT(books_balance()); }

}  // namespace llmtap::delivery
