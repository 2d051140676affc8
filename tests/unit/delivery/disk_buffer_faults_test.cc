// Fault injection for the promises of the disk buffer (docs/DESIGN.md "Durability"): a batch leaves
// it only once delivered or dead-lettered, recovery never deletes what it could not read, a short
// write or ENOSPC never leaves a torn frame, and the consumer side never blocks an append. Real
// files in a temp folder; faults the file system cannot make on demand come from a FileOps fake.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "delivery/dead_letter.h"
#include "delivery/disk/file_ops.h"
#include "delivery/pipeline.h"
#include "delivery/segment_log.h"
#include "fakes.h"
#include "support/temp_dir.h"
#include "test_record.h"

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;
using testing::FakeEndpoint;
using testing::FakeTransport;
using testing::ManualClock;
using testing::ManualScheduler;

// The real calls, with faults switched on by the test.
class FaultyFileOps final : public disk::FileOps {
 public:
  ssize_t write(int fd, const void* data, std::size_t n) override {
    if (write_errno != 0) {
      errno = write_errno;
      return -1;
    }
    if (short_write_then_errno != 0) {
      // Writes half, then the next call fails: a disk that fills up mid-frame.
      if (!half_written_) {
        half_written_ = true;
        return ::write(fd, data, n / 2);
      }
      half_written_ = false;
      errno = short_write_then_errno;
      return -1;
    }
    if (short_writes) return ::write(fd, data, std::min<std::size_t>(n, 7));  // progress, slowly
    return ::write(fd, data, n);
  }
  ssize_t read(int fd, void* out, std::size_t n) override {
    if (read_errno != 0) {
      errno = read_errno;
      return -1;
    }
    return ::read(fd, out, n);
  }
  ssize_t pread(int fd, void* out, std::size_t n, off_t offset) override {
    if (block_preads) {
      std::unique_lock lock(mu_);
      in_pread_ = true;
      cv_.notify_all();
      cv_.wait(lock, [&] { return !block_preads.load(); });
    }
    return ::pread(fd, out, n, offset);
  }
  int ftruncate(int fd, off_t length) override { return ::ftruncate(fd, length); }

  void wait_in_pread() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_pread_; });
  }
  void release_preads() {
    std::lock_guard lock(mu_);
    block_preads = false;
    cv_.notify_all();
  }

  int write_errno = 0;
  int short_write_then_errno = 0;
  bool short_writes = false;
  int read_errno = 0;
  std::atomic<bool> block_preads{false};

 private:
  bool half_written_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  bool in_pread_ = false;
};

class DiskBufferFaultsTest : public ::testing::Test {
 protected:
  SegmentLogOptions log_options(std::shared_ptr<disk::FileOps> ops = nullptr) const {
    SegmentLogOptions o;
    o.dir = dir_ + "/buffer";
    o.segment_bytes = 1 << 20;
    o.fsync = config::FsyncPolicy::never;
    o.file_ops = std::move(ops);
    return o;
  }

  std::shared_ptr<SegmentLog> open_log(std::shared_ptr<disk::FileOps> ops = nullptr) {
    auto log = SegmentLog::open(log_options(std::move(ops)));
    EXPECT_TRUE(log.has_value()) << log.error().message();
    return log ? std::shared_ptr<SegmentLog>(std::move(*log)) : nullptr;
  }

  std::unique_ptr<Pipeline> make(std::shared_ptr<SegmentLog> disk_buffer,
                                 std::shared_ptr<DeadLetterSink> dead_letter,
                                 std::size_t batch_size = 2) {
    PipelineOptions options;
    options.clock = clock;
    options.random = [] { return 0.5; };
    options.disk_buffer = std::move(disk_buffer);
    options.dead_letter = std::move(dead_letter);
    return std::make_unique<Pipeline>(durable_callback(batch_size),
                                      std::make_unique<FakeTransport>(endpoint), scheduler,
                                      std::move(options));
  }

  // Pushes two records and answers their batch 401: the pipeline gives up on it.
  void push_two_and_reject(Pipeline& p) {
    p.push(record(1));
    p.push(record(2));
    scheduler->run_ready();
    ASSERT_EQ(endpoint->pending.size(), 1u);
    endpoint->respond(401, {}, "{\"error\":\"bad token\"}");
    scheduler->run_ready();
  }

  // Shuts `p` down and runs what is ready; the drain report, if the pipeline gave one.
  std::optional<PipelineDrain> shutdown_and_report(Pipeline& p) {
    std::optional<PipelineDrain> drain;
    p.shutdown(clock->now() + seconds(1), [&](PipelineDrain d) { drain = d; });
    scheduler->run_ready();
    return drain;
  }

  test::TempDir temp_;
  const std::string dir_ = temp_.path();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<ManualScheduler> scheduler = std::make_shared<ManualScheduler>(clock);
  std::shared_ptr<FakeEndpoint> endpoint = std::make_shared<FakeEndpoint>();
};

// Verifies that when a regular file stands where the dead-letter folder should be, the rejected
// batch stays in the disk buffer (counted), and is dead-lettered by a retry once the file is gone.
TEST_F(DiskBufferFaultsTest, DeadLetterFolderIsAFileKeepsTheBatchUntilFixed) {
  const std::string dead = dir_ + "/dead";
  std::ofstream(dead) << "not a folder";
  auto sink = std::make_shared<FileDeadLetterSink>(dead);
  auto p = make(open_log(), sink);
  push_two_and_reject(*p);
  auto stats = p->stats();
  EXPECT_EQ(stats.disk_counters.records, 2u);
  EXPECT_EQ(stats.dead_letter_pending, 2u);
  EXPECT_EQ(stats.dead_letter_errors, 1u);
  EXPECT_EQ(stats.dead_lettered, 0u);
  EXPECT_EQ(stats.batcher.rejected, 0u);  // not yet given up: still held on disk
  EXPECT_EQ(stats.batcher.dropped_total(), 0u);

  scheduler->advance(seconds(1));  // the retry fails again: the fault is still there
  EXPECT_EQ(p->stats().dead_letter_errors, 2u);
  EXPECT_EQ(p->stats().disk_counters.records, 2u);

  fs::remove(dead);
  scheduler->advance(seconds(2));  // the backoff doubled
  stats = p->stats();
  EXPECT_EQ(stats.disk_counters.records, 0u);
  EXPECT_EQ(stats.dead_letter_pending, 0u);
  EXPECT_EQ(stats.dead_lettered, 2u);
  EXPECT_EQ(stats.batcher.rejected, 2u);
  const auto files = list_dead_letter_files(dead);
  ASSERT_EQ(files.size(), 1u);
  auto file = read_dead_letter_file(files[0]);
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->records, (std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"}));
}

// Verifies that a dead-letter folder that cannot be created (its parent is a regular file) keeps
// the batch in the disk buffer across a restart, and the restarted pipeline dead-letters it once
// the folder can be made.
TEST_F(DiskBufferFaultsTest, DeadLetterFolderNotCreatableSurvivesARestart) {
  std::ofstream(dir_ + "/parent") << "a file";
  {
    auto p = make(open_log(), std::make_shared<FileDeadLetterSink>(dir_ + "/parent/dead"));
    push_two_and_reject(*p);
    EXPECT_EQ(p->stats().disk_counters.records, 2u);
    EXPECT_EQ(p->stats().dead_letter_errors, 1u);
    std::optional<PipelineDrain> drain;
    p->shutdown(clock->now() + seconds(1), [&](PipelineDrain d) { drain = d; });
    scheduler->advance(seconds(2));
    ASSERT_TRUE(drain);
    EXPECT_EQ(drain->kept_on_disk, 2u);
    EXPECT_EQ(drain->given_up, 0u);
  }
  endpoint->pending.clear();
  fs::remove(dir_ + "/parent");
  auto sink = std::make_shared<FileDeadLetterSink>(dir_ + "/parent/dead");
  auto p = make(open_log(), sink);
  EXPECT_EQ(p->stats().disk_counters.recovered, 2u);
  scheduler->run_ready();
  ASSERT_EQ(endpoint->pending.size(), 1u);
  endpoint->respond(401);
  scheduler->run_ready();
  EXPECT_EQ(sink->stored_records(), 2u);
  EXPECT_EQ(p->stats().disk_counters.records, 0u);
  EXPECT_EQ(list_dead_letter_files(dir_ + "/parent/dead").size(), 1u);
}

// Verifies that a full disk (ENOSPC on the dead-letter write) keeps the batch in the disk buffer,
// and that it is dead-lettered once space is back.
TEST_F(DiskBufferFaultsTest, DeadLetterDiskFullKeepsTheBatchUntilSpaceIsBack) {
  auto ops = std::make_shared<FaultyFileOps>();
  ops->write_errno = ENOSPC;
  auto sink = std::make_shared<FileDeadLetterSink>(dir_ + "/dead", ops);
  auto p = make(open_log(), sink);
  push_two_and_reject(*p);
  EXPECT_EQ(p->stats().disk_counters.records, 2u);
  EXPECT_EQ(p->stats().dead_letter_errors, 1u);
  EXPECT_TRUE(list_dead_letter_files(dir_ + "/dead").empty());  // no temp file left behind either
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ + "/dead"), fs::directory_iterator()), 0);
  ops->write_errno = 0;
  scheduler->advance(seconds(1));
  EXPECT_EQ(p->stats().disk_counters.records, 0u);
  EXPECT_EQ(sink->stored_records(), 2u);
}

// Verifies that without a disk buffer a batch whose dead-letter file cannot be written is counted
// as dropped{dead_letter_error}, and that the shutdown report counts it as given up.
TEST_F(DiskBufferFaultsTest, MemoryBufferCountsAFailedDeadLetterAsLost) {
  std::ofstream(dir_ + "/dead") << "not a folder";
  auto p = make(nullptr, std::make_shared<FileDeadLetterSink>(dir_ + "/dead"));
  push_two_and_reject(*p);
  const auto stats = p->stats();
  EXPECT_EQ(stats.batcher.dropped[static_cast<std::size_t>(DropReason::dead_letter_error)], 2u);
  EXPECT_EQ(stats.batcher.rejected, 0u);  // counted once, as dropped
  EXPECT_EQ(stats.dead_letter_errors, 1u);
  const std::optional<PipelineDrain> drain = shutdown_and_report(*p);
  ASSERT_TRUE(drain);
  EXPECT_EQ(drain->undelivered, 0u);
  EXPECT_EQ(drain->given_up, 2u);
}

// Verifies that records rejected with only a logging dead-letter sink, and records dropped at a
// bound, are reported as given up at shutdown (never "0 lost").
TEST_F(DiskBufferFaultsTest, ShutdownReportCountsRecordsGivenUpWhileRunning) {
  auto p = make(nullptr, std::make_shared<LoggingDeadLetterSink>());
  push_two_and_reject(*p);
  const std::optional<PipelineDrain> drain = shutdown_and_report(*p);
  ASSERT_TRUE(drain);
  EXPECT_EQ(drain->undelivered, 0u);
  EXPECT_EQ(drain->given_up, 2u);
}

// Verifies that recovery fails naming the problem, and deletes nothing, when a segment cannot be
// read (EIO).
TEST_F(DiskBufferFaultsTest, RecoveryFailsOnAnUnreadableSegmentAndKeepsIt) {
  {
    auto log = open_log();
    log->append(0, "a", "{\"n\":1}");
  }
  fs::remove(dir_ + "/buffer/id");  // so the first read is the segment's
  std::vector<fs::path> before;
  for (const auto& e : fs::directory_iterator(dir_ + "/buffer")) before.push_back(e.path());
  auto ops = std::make_shared<FaultyFileOps>();
  ops->read_errno = EIO;
  auto log = SegmentLog::open(log_options(ops));
  ASSERT_FALSE(log.has_value());
  EXPECT_EQ(log.error(), errc::segment_unreadable);
  for (const auto& path : before) EXPECT_TRUE(fs::exists(path)) << path;
  ops->read_errno = 0;
  auto again = open_log(ops);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->counters().recovered, 1u);
}

// Verifies that a directory where a segment file should be fails recovery and is left in place.
TEST_F(DiskBufferFaultsTest, RecoveryFailsOnADirectoryInPlaceOfASegment) {
  fs::create_directories(dir_ + "/buffer/seg-0000000000000001.log");
  auto log = SegmentLog::open(log_options());
  ASSERT_FALSE(log.has_value());
  EXPECT_EQ(log.error(), errc::segment_unreadable);
  EXPECT_TRUE(fs::is_directory(dir_ + "/buffer/seg-0000000000000001.log"));
}

// Verifies that a write that stops half-way (then ENOSPC) is taken back: the record is refused as
// full, the segment holds only whole frames, and a restart finds no corrupt frame.
TEST_F(DiskBufferFaultsTest, ShortWriteThenEnospcLeavesNoTornFrame) {
  auto ops = std::make_shared<FaultyFileOps>();
  {
    auto log = open_log(ops);
    ASSERT_EQ(log->append(0, "a", "{\"n\":1}").status, AppendStatus::ok);
    const std::uint64_t size = log->counters().bytes;
    ops->short_write_then_errno = ENOSPC;
    EXPECT_EQ(log->append(0, "b", "{\"n\":2}").status, AppendStatus::full);
    EXPECT_EQ(log->counters().short_writes, 1u);
    EXPECT_EQ(log->counters().write_errors, 1u);
    EXPECT_EQ(log->counters().bytes, size);
    ops->short_write_then_errno = 0;
    ASSERT_EQ(log->append(0, "c", "{\"n\":3}").status, AppendStatus::ok);
  }
  auto log = open_log();
  EXPECT_EQ(log->counters().corrupt_frames, 0u);
  EXPECT_EQ(log->counters().recovered, 2u);
  std::vector<std::string> got;
  while (auto r = log->read_next()) got.push_back(r->json);
  EXPECT_EQ(got, (std::vector<std::string>{"{\"n\":1}", "{\"n\":3}"}));
}

// Verifies that short writes that keep making progress complete the frame.
TEST_F(DiskBufferFaultsTest, ShortWritesAreCompleted) {
  auto ops = std::make_shared<FaultyFileOps>();
  ops->short_writes = true;
  {
    auto log = open_log(ops);
    ASSERT_EQ(log->append(0, "a", "{\"n\":1,\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"}").status,
              AppendStatus::ok);
  }
  auto log = open_log();
  EXPECT_EQ(log->counters().corrupt_frames, 0u);
  EXPECT_EQ(log->counters().recovered, 1u);
}

// Verifies that ENOSPC on append drops the record as disk_full (counted) and later appends work.
TEST_F(DiskBufferFaultsTest, EnospcOnAppendDropsAsDiskFull) {
  auto ops = std::make_shared<FaultyFileOps>();
  auto p = make(open_log(ops), std::make_shared<LoggingDeadLetterSink>(), 100);
  ops->write_errno = ENOSPC;
  EXPECT_EQ(p->push(record(1)), PushResult::dropped_full);
  ops->write_errno = EIO;
  EXPECT_EQ(p->push(record(2)), PushResult::dropped_full);
  ops->write_errno = 0;
  EXPECT_EQ(p->push(record(3)), PushResult::queued);
  const auto stats = p->stats();
  EXPECT_EQ(stats.batcher.dropped[static_cast<std::size_t>(DropReason::disk_full)], 1u);
  EXPECT_EQ(stats.batcher.dropped[static_cast<std::size_t>(DropReason::disk_error)], 1u);
  EXPECT_EQ(stats.disk_counters.write_errors, 2u);
  EXPECT_EQ(stats.disk_counters.records, 1u);
}

// Verifies that an append completes while the consumer side is stuck in a disk read.
TEST_F(DiskBufferFaultsTest, AppendNeverWaitsForARead) {
  auto ops = std::make_shared<FaultyFileOps>();
  auto log = open_log(ops);
  log->append(0, "a", "{\"n\":1}");
  ops->block_preads = true;
  std::thread reader([&] { EXPECT_TRUE(log->read_next()); });
  ops->wait_in_pread();
  EXPECT_EQ(log->append(0, "b", "{\"n\":2}").status, AppendStatus::ok);  // would hang if it waited
  EXPECT_EQ(log->counters().records, 2u);
  ops->release_preads();
  reader.join();
  auto next = log->read_next();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->json, "{\"n\":2}");
}

// Verifies that push() returns while the delivery side is stuck in a disk read of a refill (it
// would hang if the read held a lock push() takes).
TEST_F(DiskBufferFaultsTest, PushNeverWaitsForARefillRead) {
  auto ops = std::make_shared<FaultyFileOps>();
  config::CallbackConfig cb = durable_callback(1);
  cb.max_queue_records = 1;
  PipelineOptions options;
  options.clock = clock;
  options.random = [] { return 0.5; };
  options.disk_buffer = open_log(ops);
  auto p = std::make_unique<Pipeline>(cb, std::make_unique<FakeTransport>(endpoint), scheduler,
                                      std::move(options));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(p->push(record(i)), PushResult::queued);
  scheduler->run_ready();
  ASSERT_EQ(endpoint->pending.size(), 1u);  // record 0 in flight, 1 and 2 wait on disk
  ops->block_preads = true;
  endpoint->respond(200);  // room in the window: a refill is posted
  std::thread delivery([&] { scheduler->run_ready(); });
  ops->wait_in_pread();
  EXPECT_EQ(p->push(record(3)), PushResult::queued);
  ops->release_preads();
  delivery.join();
  std::vector<std::string> bodies;
  while (!endpoint->pending.empty()) {
    bodies.push_back(endpoint->pending.front().request.body);
    endpoint->respond(200);
    scheduler->run_ready();
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{"{\"n\":1}\n", "{\"n\":2}\n", "{\"n\":3}\n"}));
  EXPECT_EQ(p->stats().disk_counters.records, 0u);
}

}  // namespace
}  // namespace llmtap::delivery
