#include "delivery/batcher.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "test_record.h"

namespace llmtap::delivery {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A record of exactly `bytes` bytes whose content names it.
payload::Record sized(const std::string& name, std::size_t bytes) {
  std::string json = "{\"n\":\"" + name + "\"";
  json.append(bytes - json.size() - 1, ' ');
  json.push_back('}');
  return record(std::move(json));
}

std::vector<std::string> contents(const Batch& batch) {
  std::vector<std::string> out;
  for (const auto& r : batch.records) out.emplace_back(r.bytes());
  return out;
}

const TimePoint kT0 = TimePoint{} + seconds(1000);

BatcherOptions options(std::size_t batch_size, std::chrono::nanoseconds interval = seconds(60)) {
  BatcherOptions o;
  o.batch_size = batch_size;
  o.flush_interval = interval;
  o.id_prefix = std::string(1, 'p');  // not = "p": GCC 12's false -Wrestrict at -O3
  return o;
}

// Verifies that a batch is cut as soon as batch_size records wait, and not before.
TEST(BatcherTest, FlushesWhenBatchSizeReached) {
  Batcher b(options(3));
  b.push(record("1"), kT0);
  b.push(record("2"), kT0);
  EXPECT_FALSE(b.take_batch(kT0));
  b.push(record("3"), kT0);
  b.push(record("4"), kT0);
  ASSERT_EQ(b.next_deadline(), TimePoint{});
  auto batch = b.take_batch(kT0);
  ASSERT_TRUE(batch);
  EXPECT_EQ(contents(*batch), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_FALSE(b.take_batch(kT0));  // "4" waits for its interval
}

// Verifies that the deadline is the first waiting record's arrival plus a fractional
// flush_interval.
TEST(BatcherTest, FlushesWhenIntervalElapsedWithFractionalSeconds) {
  config::CallbackConfig cfg;
  cfg.flush_interval = std::chrono::milliseconds(250);
  cfg.batch_size = 10;
  Batcher b(BatcherOptions::from_config(cfg, "p"));
  EXPECT_FALSE(b.next_deadline());
  b.push(record("1"), kT0);
  b.push(record("2"), kT0 + milliseconds(100));
  ASSERT_EQ(b.next_deadline(), kT0 + milliseconds(250));
  EXPECT_FALSE(b.take_batch(kT0 + milliseconds(249)));
  auto batch = b.take_batch(kT0 + milliseconds(250));
  ASSERT_TRUE(batch);
  EXPECT_EQ(contents(*batch), (std::vector<std::string>{"1", "2"}));
  EXPECT_FALSE(b.next_deadline());
}

// Verifies that a batch never exceeds max_batch_bytes once encoded and becomes due when the bytes
// are there.
TEST(BatcherTest, CutsBatchAtMaxBatchBytes) {
  BatcherOptions o = options(100);
  o.max_batch_bytes =
      250;  // three 80-byte records encode to 3*81+1 = 244 bytes; four would not fit
  Batcher b(o);
  for (int i = 0; i < 3; ++i) b.push(sized(std::to_string(i), 80), kT0);
  EXPECT_FALSE(b.take_batch(kT0));
  b.push(sized("3", 80), kT0);
  auto batch = b.take_batch(kT0);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->records.size(), 3u);
  EXPECT_EQ(batch->record_bytes, 240u);
  EXPECT_FALSE(b.take_batch(kT0));
}

// Verifies that a record bigger than max_batch_bytes is still sent, as a batch of one.
TEST(BatcherTest, SendsRecordLargerThanMaxBatchBytesAlone) {
  BatcherOptions o = options(100);
  o.max_batch_bytes = 50;
  Batcher b(o);
  b.push(sized("big", 100), kT0);
  b.push(sized("small", 20), kT0);
  auto batch = b.take_batch(kT0);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->records.size(), 1u);
  EXPECT_EQ(batch->record_bytes, 100u);
}

// Verifies that drop_oldest keeps the newest records within the record bound and counts each drop.
TEST(BatcherTest, DropOldestEvictsWaitingRecordsAndCountsThem) {
  BatcherOptions o = options(100);
  o.max_queue_records = 2;
  o.when_full = config::WhenFull::drop_oldest;
  Batcher b(o);
  EXPECT_EQ(b.push(record("1"), kT0), PushResult::queued);
  EXPECT_EQ(b.push(record("2"), kT0), PushResult::queued);
  EXPECT_EQ(b.push(record("3"), kT0), PushResult::queued_evicted);
  EXPECT_EQ(b.counters().dropped[static_cast<std::size_t>(DropReason::queue_full)], 1u);
  EXPECT_EQ(b.counters().held_records, 2u);
  auto batch = b.take_batch(kT0, /*force=*/true);
  ASSERT_TRUE(batch);
  EXPECT_EQ(contents(*batch), (std::vector<std::string>{"2", "3"}));
}

// Verifies that records of a batch in flight are not evicted: the new record is dropped instead.
TEST(BatcherTest, DropOldestNeverEvictsInFlightRecords) {
  BatcherOptions o = options(2);
  o.max_queue_records = 2;
  Batcher b(o);
  b.push(record("1"), kT0);
  b.push(record("2"), kT0);
  ASSERT_TRUE(b.take_batch(kT0));
  EXPECT_EQ(b.push(record("3"), kT0), PushResult::dropped_full);
  EXPECT_EQ(b.counters().dropped_total(), 1u);
  EXPECT_EQ(b.counters().held_records, 2u);
}

// Verifies that drop_newest refuses a record that would exceed max_queue_bytes and counts it.
TEST(BatcherTest, DropNewestKeepsQueueAndCountsByBytes) {
  BatcherOptions o = options(100);
  o.max_queue_bytes = 100;
  o.when_full = config::WhenFull::drop_newest;
  Batcher b(o);
  EXPECT_EQ(b.push(sized("a", 60), kT0), PushResult::queued);
  EXPECT_EQ(b.push(sized("b", 60), kT0), PushResult::dropped_full);
  EXPECT_EQ(b.push(sized("c", 40), kT0), PushResult::queued);
  EXPECT_EQ(b.counters().held_bytes, 100u);
  EXPECT_EQ(b.counters().enqueued, 2u);
  EXPECT_EQ(b.counters().dropped[static_cast<std::size_t>(DropReason::queue_full)], 1u);
}

// Verifies that when_full block reports "full" and leaves the decision (and the count) to the
// caller.
TEST(BatcherTest, BlockReportsFullWithoutCounting) {
  BatcherOptions o = options(100);
  o.max_queue_records = 1;
  o.when_full = config::WhenFull::block;
  Batcher b(o);
  EXPECT_EQ(b.push(record("1"), kT0), PushResult::queued);
  EXPECT_EQ(b.push(record("2"), kT0), PushResult::full);
  EXPECT_EQ(b.counters().dropped_total(), 0u);
  EXPECT_EQ(b.counters().held_records, 1u);
}

// Verifies that a record that can never fit the byte bound is dropped as too_large.
TEST(BatcherTest, DropsRecordLargerThanQueueBytes) {
  BatcherOptions o = options(100);
  o.max_queue_bytes = 10;
  Batcher b(o);
  EXPECT_EQ(b.push(sized("x", 11), kT0), PushResult::dropped_too_large);
  EXPECT_EQ(b.counters().dropped[static_cast<std::size_t>(DropReason::too_large)], 1u);
  EXPECT_TRUE(b.empty());
}

// Verifies that records pushed while a batch is out are not added to it and form the next batch.
TEST(BatcherTest, RecordsArrivingWhileInFlightGoToNextBatch) {
  Batcher b(options(2));
  b.push(record("1"), kT0);
  b.push(record("2"), kT0);
  auto first = b.take_batch(kT0);
  ASSERT_TRUE(first);
  b.push(record("3"), kT0);
  b.push(record("4"), kT0);
  EXPECT_EQ(b.ack(first->id), 2u);
  auto second = b.take_batch(kT0);
  ASSERT_TRUE(second);
  EXPECT_NE(second->id, first->id);
  EXPECT_EQ(contents(*second), (std::vector<std::string>{"3", "4"}));
}

// Verifies that a failed batch comes back whole, in order, before records that arrived meanwhile.
TEST(BatcherTest, FailPutsRecordsBackInOrderAheadOfNewOnes) {
  Batcher b(options(2));
  b.push(record("1"), kT0);
  b.push(record("2"), kT0);
  auto first = b.take_batch(kT0);
  ASSERT_TRUE(first);
  b.push(record("3"), kT0);
  b.push(record("4"), kT0);
  EXPECT_EQ(b.fail(first->id, kT0 + seconds(5)), 2u);
  EXPECT_EQ(b.counters().retried, 2u);
  EXPECT_EQ(b.counters().held_records, 4u);
  auto retry = b.take_batch(kT0 + seconds(5));
  ASSERT_TRUE(retry);
  EXPECT_EQ(contents(*retry), (std::vector<std::string>{"1", "2"}));
  auto next = b.take_batch(kT0 + seconds(5));
  ASSERT_TRUE(next);
  EXPECT_EQ(contents(*next), (std::vector<std::string>{"3", "4"}));
}

// Verifies that every attempt of a batch carries the same id and key, and counts attempts and
// first-attempt time.
TEST(BatcherTest, IdempotencyKeyStableAcrossRetries) {
  Batcher b(options(1));
  b.push(record("1"), kT0);
  auto a0 = b.take_batch(kT0);
  ASSERT_TRUE(a0);
  EXPECT_EQ(a0->idempotency_key, "p-" + std::to_string(a0->id));
  b.fail(a0->id, kT0 + seconds(1));
  EXPECT_EQ(b.next_deadline(), kT0 + seconds(1));
  EXPECT_FALSE(b.take_batch(kT0 + milliseconds(999)));
  auto a1 = b.take_batch(kT0 + seconds(1));
  ASSERT_TRUE(a1);
  b.fail(a1->id);
  auto a2 = b.take_batch(kT0 + seconds(3));
  ASSERT_TRUE(a2);
  EXPECT_EQ(a1->id, a0->id);
  EXPECT_EQ(a2->idempotency_key, a0->idempotency_key);
  EXPECT_EQ(a2->attempt, 2u);
  EXPECT_EQ(a2->first_attempt, kT0);
  EXPECT_EQ(b.ack(a2->id), 1u);
  EXPECT_EQ(b.counters().delivered, 1u);
  EXPECT_TRUE(b.empty());
}

// Verifies that ack() releases only the acked batch's records, and an unknown or repeated ack does
// nothing.
TEST(BatcherTest, AckRemovesExactlyThatBatch) {
  BatcherOptions o = options(1);
  o.max_in_flight = 3;
  Batcher b(o);
  for (const char* r : {"1", "2", "3"}) b.push(record(r), kT0);
  auto x = b.take_batch(kT0);
  auto y = b.take_batch(kT0);
  auto z = b.take_batch(kT0);
  ASSERT_TRUE(x && y && z);
  EXPECT_EQ(b.ack(y->id), 1u);
  EXPECT_EQ(b.ack(y->id), 0u);
  EXPECT_EQ(b.ack(9999), 0u);
  EXPECT_EQ(b.counters().held_records, 2u);
  EXPECT_EQ(b.in_flight(), 2u);
  auto rejected = b.reject(x->id);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(contents(*rejected), (std::vector<std::string>{"1"}));
  EXPECT_FALSE(b.reject(x->id));
  EXPECT_EQ(b.counters().rejected, 1u);
  EXPECT_EQ(b.counters().delivered, 1u);
  EXPECT_EQ(b.fail(z->id), 1u);
  auto again = b.take_batch(kT0);
  ASSERT_TRUE(again);
  EXPECT_EQ(contents(*again), (std::vector<std::string>{"3"}));
}

// Verifies that no more than max_in_flight batches are out, and that an ack frees a slot.
TEST(BatcherTest, MaxInFlightLimitsBatchesOut) {
  BatcherOptions o = options(1);
  o.max_in_flight = 2;
  Batcher b(o);
  for (const char* r : {"1", "2", "3"}) b.push(record(r), kT0);
  auto x = b.take_batch(kT0);
  ASSERT_TRUE(x);
  ASSERT_TRUE(b.take_batch(kT0));
  EXPECT_FALSE(b.take_batch(kT0));
  EXPECT_FALSE(b.next_deadline());
  b.ack(x->id);
  EXPECT_EQ(b.next_deadline(), TimePoint{});
  EXPECT_TRUE(b.take_batch(kT0));
}

// Verifies that single mode sends one record per batch but only once batch_size or flush_interval
// triggers.
TEST(BatcherTest, SingleModeReleasesBatchSizeRecordsPerFlush) {
  BatcherOptions o = options(3);
  o.single = true;
  o.max_in_flight = 10;
  Batcher b(o);
  b.push(record("1"), kT0);
  b.push(record("2"), kT0);
  EXPECT_FALSE(b.take_batch(kT0));
  b.push(record("3"), kT0);
  b.push(record("4"), kT0);
  std::vector<std::string> sent;
  while (auto batch = b.take_batch(kT0)) {
    ASSERT_EQ(batch->records.size(), 1u);
    sent.push_back(contents(*batch)[0]);
  }
  EXPECT_EQ(sent, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(b.next_deadline(), kT0 + seconds(60));
  auto last = b.take_batch(kT0 + seconds(60));
  ASSERT_TRUE(last);
  EXPECT_EQ(contents(*last), (std::vector<std::string>{"4"}));
}

// Verifies that in single mode a failed record is resent alone while its delivered neighbours are
// not.
TEST(BatcherTest, SingleModeNeverResendsDeliveredRecord) {
  BatcherOptions o = options(2);
  o.single = true;
  o.max_in_flight = 10;
  Batcher b(o);
  b.push(record("1"), kT0);
  b.push(record("2"), kT0);
  auto x = b.take_batch(kT0);
  auto y = b.take_batch(kT0);
  ASSERT_TRUE(x && y);
  EXPECT_NE(x->idempotency_key, y->idempotency_key);
  b.ack(x->id);
  b.fail(y->id);
  std::vector<std::string> resent;
  while (auto batch = b.take_batch(kT0 + seconds(1), true)) {
    resent.push_back(contents(*batch)[0]);
    b.ack(batch->id);
  }
  EXPECT_EQ(resent, (std::vector<std::string>{"2"}));
  EXPECT_EQ(b.counters().delivered, 2u);
  EXPECT_TRUE(b.empty());
}

// Verifies that a forced take sends waiting records at once but leaves a backing-off batch to its
// time.
TEST(BatcherTest, ForceCutsEverythingButHonoursBackoff) {
  Batcher b(options(100));
  b.push(record("1"), kT0);
  auto x = b.take_batch(kT0, true);
  ASSERT_TRUE(x);
  b.fail(x->id, kT0 + seconds(10));
  b.push(record("2"), kT0);
  auto y = b.take_batch(kT0, true);
  ASSERT_TRUE(y);
  EXPECT_EQ(contents(*y), (std::vector<std::string>{"2"}));
  EXPECT_FALSE(b.take_batch(kT0, true));
  EXPECT_EQ(b.next_deadline(true), kT0 + seconds(10));
}

// Verifies that drop_waiting() removes waiting and backing-off records, counts them, and keeps
// in-flight ones.
TEST(BatcherTest, DropWaitingCountsShutdownLosses) {
  BatcherOptions o = options(1);
  o.max_in_flight = 2;
  Batcher b(o);
  for (const char* r : {"1", "2", "3"}) b.push(record(r), kT0);
  auto x = b.take_batch(kT0);
  auto y = b.take_batch(kT0);
  ASSERT_TRUE(x && y);
  b.fail(x->id, kT0 + seconds(30));
  EXPECT_EQ(b.drop_waiting(), 2u);
  EXPECT_EQ(b.counters().dropped[static_cast<std::size_t>(DropReason::shutdown)], 2u);
  EXPECT_EQ(b.counters().held_records, 1u);
  EXPECT_EQ(b.ack(y->id), 1u);
  EXPECT_TRUE(b.empty());
}

// Verifies that callback_settings.<name>.max_batch_bytes reaches the batcher: a batch is cut
// before its encoded body would pass it.
TEST(BatcherTest, TakesMaxBatchBytesFromTheCallbackConfig) {
  config::CallbackConfig cfg;
  cfg.batch_size = 100;
  cfg.flush_interval = std::chrono::seconds(60);
  cfg.max_batch_bytes = 250;  // three 80-byte records encode to 244 bytes; four would not fit
  Batcher b(BatcherOptions::from_config(cfg, "p"));
  for (int i = 0; i < 4; ++i) b.push(record(std::string(80, static_cast<char>('a' + i))), kT0);
  auto batch = b.take_batch(kT0);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->records.size(), 3u);
}

// Verifies that the books balance (held = waiting + backing off + in flight) after every kind of
// state change; in builds with LLMTAP_ASSERTIONS the batcher also checks this itself and aborts.
TEST(BatcherTest, BooksBalanceAfterEveryStateChange) {
  BatcherOptions o = options(2);
  o.max_queue_records = 5;
  o.max_in_flight = 2;
  Batcher b(o);
  const auto balanced = [&b] { return b.books_balance(); };
  EXPECT_TRUE(balanced());
  for (int i = 0; i < 5; ++i) b.push(sized("r" + std::to_string(i), 20), kT0);
  EXPECT_TRUE(balanced());
  EXPECT_EQ(b.push(sized("evicts", 20), kT0), PushResult::queued_evicted);
  EXPECT_TRUE(balanced());
  auto first = b.take_batch(kT0);
  auto second = b.take_batch(kT0);
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(balanced());
  EXPECT_EQ(b.push(sized("full", 20), kT0), PushResult::queued_evicted);
  EXPECT_EQ(b.fail(first->id, kT0 + seconds(1)), 2u);
  EXPECT_TRUE(balanced());
  EXPECT_EQ(b.ack(second->id), 2u);
  EXPECT_TRUE(balanced());
  auto retried = b.take_batch(kT0 + seconds(1));
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->id, first->id);
  EXPECT_TRUE(balanced());
  EXPECT_TRUE(b.reject(retried->id));
  EXPECT_TRUE(balanced());
  auto out = b.take_batch(kT0 + seconds(1), /*force=*/true);
  ASSERT_TRUE(out);
  EXPECT_EQ(b.fail(out->id, kT0 + seconds(5)), out->records.size());
  b.push(sized("late", 20), kT0 + seconds(2));
  EXPECT_TRUE(balanced());
  EXPECT_GT(b.drop_waiting(), 0u);
  EXPECT_TRUE(balanced());
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace llmtap::delivery
