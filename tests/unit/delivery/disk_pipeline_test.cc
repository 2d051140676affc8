// The Pipeline over a disk buffer and the file dead-letter store: manual clock and scheduler, a
// fake endpoint, real files in a temp folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "delivery/dead_letter.h"
#include "delivery/pipeline.h"
#include "delivery/segment_log.h"
#include "fakes.h"
#include "support/temp_dir.h"
#include "test_record.h"

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeEndpoint;
using testing::FakeTransport;
using testing::ManualClock;
using testing::ManualScheduler;

using testing::header;

class DiskPipelineTest : public ::testing::Test {
 protected:
  std::shared_ptr<SegmentLog> open_disk_buffer(std::size_t max_bytes = 1 << 20,
                                               std::shared_ptr<disk::FileOps> ops = nullptr) {
    SegmentLogOptions o;
    o.dir = dir_ + "/buffer";
    o.segment_bytes = 64;
    o.max_bytes = max_bytes;
    o.fsync = config::FsyncPolicy::batch;
    o.file_ops = std::move(ops);
    auto log = SegmentLog::open(o);
    EXPECT_TRUE(log.has_value()) << log.error().message();
    return log ? std::shared_ptr<SegmentLog>(std::move(*log)) : nullptr;
  }

  std::unique_ptr<Pipeline> make(config::CallbackConfig cb, std::shared_ptr<SegmentLog> disk_buffer,
                                 std::shared_ptr<DeadLetterSink> dead_letter = nullptr) {
    PipelineOptions options;
    options.clock = clock;
    options.random = [] { return 0.5; };
    options.disk_buffer = std::move(disk_buffer);
    options.dead_letter =
        dead_letter ? std::move(dead_letter) : std::make_shared<LoggingDeadLetterSink>();
    return std::make_unique<Pipeline>(std::move(cb), std::make_unique<FakeTransport>(endpoint),
                                      scheduler, std::move(options));
  }

  const test::TempDir temp_dir_;  // a fresh folder per test, removed afterwards
  const std::string dir_ = temp_dir_.path();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<ManualScheduler> scheduler = std::make_shared<ManualScheduler>(clock);
  std::shared_ptr<FakeEndpoint> endpoint = std::make_shared<FakeEndpoint>();
};

// Verifies that records beyond the memory window wait on disk, nothing is dropped, and all are
// delivered in order once the endpoint answers.
TEST_F(DiskPipelineTest, BacklogBeyondTheMemoryWindowWaitsOnDisk) {
  auto p = make(durable_callback(1, 2), open_disk_buffer());
  for (int i = 0; i < 6; ++i) EXPECT_EQ(p->push(record(i)), PushResult::queued);
  scheduler->run_ready();
  auto stats = p->stats();
  EXPECT_EQ(stats.batcher.enqueued, 6u);
  EXPECT_EQ(stats.batcher.dropped_total(), 0u);
  EXPECT_LE(stats.batcher.held_records, 2u);
  EXPECT_EQ(stats.disk_counters.records, 6u);
  std::vector<std::string> bodies;
  while (!endpoint->pending.empty()) {
    bodies.push_back(endpoint->pending.front().request.body);
    endpoint->respond(200);
    scheduler->run_ready();
  }
  ASSERT_EQ(bodies.size(), 6u);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(bodies[static_cast<std::size_t>(i)], "{\"n\":" + std::to_string(i) + "}\n");
  stats = p->stats();
  EXPECT_EQ(stats.batcher.delivered, 6u);
  EXPECT_EQ(stats.disk_counters.records, 0u);
}

// Verifies that undelivered records survive the pipeline and its buffer going away, come back on
// a new one with their call ids, and carry the same idempotency key when cut the same way.
TEST_F(DiskPipelineTest, RestartResendsUndeliveredWithTheSameKey) {
  std::string first_key;
  {
    auto p = make(durable_callback(3, 100), open_disk_buffer());
    for (int i = 0; i < 3; ++i) p->push(record(i));
    scheduler->run_ready();
    ASSERT_EQ(endpoint->pending.size(), 1u);
    first_key = header(endpoint->pending.front().request, "Idempotency-Key");
    endpoint->respond(503);  // no answer lands before the "crash"
  }
  endpoint->pending.clear();
  endpoint->requests.clear();
  auto p = make(durable_callback(3, 100), open_disk_buffer());
  scheduler->run_ready();
  ASSERT_EQ(endpoint->pending.size(), 1u);
  EXPECT_EQ(endpoint->pending.front().request.body, "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
  EXPECT_EQ(header(endpoint->pending.front().request, "Idempotency-Key"), first_key);
  EXPECT_EQ(p->stats().disk_counters.recovered, 3u);
  endpoint->respond(200);
  scheduler->run_ready();
  EXPECT_EQ(p->stats().disk_counters.records, 0u);
}

// Verifies that a rejected batch lands in the dead-letter folder with its status and records,
// and leaves the disk buffer.
TEST_F(DiskPipelineTest, RejectedBatchIsDeadLetteredAndLeavesTheBuffer) {
  auto dead_letter = std::make_shared<FileDeadLetterSink>(dir_ + "/dead");
  auto p = make(durable_callback(2, 100), open_disk_buffer(), dead_letter);
  p->push(record(1));
  p->push(record(2));
  scheduler->run_ready();
  endpoint->respond(401, {}, "{\"error\":\"bad token\"}");
  scheduler->run_ready();
  const auto files = list_dead_letter_files(dir_ + "/dead");
  ASSERT_EQ(files.size(), 1u);
  auto file = read_dead_letter_file(files[0]);
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->callback, "durable");
  EXPECT_EQ(file->status, 401);
  EXPECT_EQ(file->records, (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"}));
  const auto stats = p->stats();
  EXPECT_EQ(stats.dead_lettered, 2u);
  EXPECT_EQ(stats.batcher.rejected, 2u);
  EXPECT_EQ(stats.disk_counters.records, 0u);
}

// Verifies that at the shutdown deadline undelivered records are reported as kept on disk, not
// dropped.
TEST_F(DiskPipelineTest, ShutdownDeadlineKeepsRecordsOnDisk) {
  auto p = make(durable_callback(1, 2), open_disk_buffer());
  for (int i = 0; i < 4; ++i) p->push(record(i));
  std::optional<PipelineDrain> drain;
  p->shutdown(clock->now() + seconds(1), [&](PipelineDrain d) { drain = d; });
  scheduler->run_ready();
  endpoint->respond(503);
  scheduler->advance(seconds(2));
  ASSERT_TRUE(drain);
  EXPECT_EQ(drain->undelivered, 4u);
  EXPECT_EQ(drain->kept_on_disk, 4u);
  EXPECT_EQ(p->stats().batcher.dropped_total(), 0u);
}

// Verifies that a push past the disk budget is dropped and counted as disk_full.
TEST_F(DiskPipelineTest, DiskBudgetSpentDropsAsDiskFull) {
  auto p = make(durable_callback(100, 100), open_disk_buffer(100));
  int queued = 0;
  for (int i = 0; i < 10; ++i) queued += p->push(record(i)) == PushResult::queued ? 1 : 0;
  const auto stats = p->stats();
  EXPECT_GT(queued, 0);
  EXPECT_LT(queued, 10);
  EXPECT_EQ(stats.batcher.enqueued, static_cast<std::uint64_t>(queued));
  EXPECT_EQ(stats.batcher.dropped[static_cast<std::size_t>(DropReason::disk_full)],
            static_cast<std::uint64_t>(10 - queued));
}

}  // namespace
}  // namespace llmtap::delivery
