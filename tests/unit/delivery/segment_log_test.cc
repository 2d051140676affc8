#include "delivery/segment_log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
using TempFolder = test::TempDir;

SegmentLogOptions options_for(const std::string& dir, std::size_t segment_bytes = 1 << 20,
                              std::size_t max_bytes = 1 << 30) {
  SegmentLogOptions o;
  o.dir = dir;
  o.segment_bytes = segment_bytes;
  o.max_bytes = max_bytes;
  o.fsync = config::FsyncPolicy::never;
  return o;
}

std::unique_ptr<SegmentLog> open_log(const SegmentLogOptions& options) {
  auto log = SegmentLog::open(options);
  EXPECT_TRUE(log.has_value()) << log.error().message();
  return log ? std::move(*log) : nullptr;
}

std::string json_of(int i) {
  return "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(40, 'x') + "\"}";
}

std::vector<std::string> drain(SegmentLog& log) {
  std::vector<std::string> out;
  while (auto r = log.read_next()) out.push_back(r->json);
  return out;
}

std::vector<std::string> segment_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("seg-", 0) == 0 && e.path().extension() == ".log")
      out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Verifies that appended records come back in order with their status, call id and bytes.
TEST(SegmentLogTest, ReadsBackAppendedRecordsInOrder) {
  TempFolder dir;
  auto log = open_log(options_for(dir.path()));
  auto a = log->append(0, "call-a", json_of(1));
  auto b = log->append(1, "call-b", json_of(2));
  ASSERT_EQ(a.status, AppendStatus::ok);
  ASSERT_EQ(b.status, AppendStatus::ok);
  EXPECT_EQ(b.seq, a.seq + 1);
  EXPECT_EQ(log->counters().records, 2u);
  EXPECT_EQ(log->counters().unread, 2u);
  auto r1 = log->read_next();
  auto r2 = log->read_next();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->seq, a.seq);
  EXPECT_EQ(r1->status, 0);
  EXPECT_EQ(r1->call_id, "call-a");
  EXPECT_EQ(r1->json, json_of(1));
  EXPECT_EQ(r2->status, 1);
  EXPECT_EQ(r2->call_id, "call-b");
  EXPECT_FALSE(log->read_next());
  EXPECT_TRUE(log->caught_up());
}

// Verifies that claim() of a just-appended record hands it out without reading it back, and
// that it refuses a record when older ones still wait.
TEST(SegmentLogTest, ClaimHandsOutAnAppendWithoutReading) {
  TempFolder dir;
  auto log = open_log(options_for(dir.path()));
  const AppendResult a = log->append(0, "a", json_of(1));
  EXPECT_TRUE(log->claim(a.at));
  EXPECT_TRUE(log->caught_up());
  EXPECT_FALSE(log->claim(a.at));  // already handed out
  const AppendResult b = log->append(0, "b", json_of(2));
  const AppendResult c = log->append(0, "c", json_of(3));
  EXPECT_FALSE(log->claim(c.at));  // b waits before it
  EXPECT_EQ(drain(*log), (std::vector<std::string>{json_of(2), json_of(3)}));
  (void)b;
}

// Verifies that after a restart only unacked records come back, with their original seqs.
TEST(SegmentLogTest, RecoversUnackedRecordsAfterReopen) {
  TempFolder dir;
  std::vector<std::uint64_t> seqs;
  {
    auto log = open_log(options_for(dir.path()));
    for (int i = 0; i < 5; ++i)
      seqs.push_back(log->append(0, "c" + std::to_string(i), json_of(i)).seq);
    const std::vector<std::uint64_t> acked{seqs[0], seqs[2]};
    log->ack(acked);
    EXPECT_EQ(log->counters().records, 3u);
  }
  auto log = open_log(options_for(dir.path()));
  EXPECT_EQ(log->counters().recovered, 3u);
  std::vector<std::uint64_t> got;
  while (auto r = log->read_next()) got.push_back(r->seq);
  EXPECT_EQ(got, (std::vector<std::uint64_t>{seqs[1], seqs[3], seqs[4]}));
  // New records continue the numbering.
  EXPECT_GT(log->append(0, "n", json_of(9)).seq, seqs[4]);
}

// Verifies that the instance id survives a reopen (stable idempotency keys across restarts).
TEST(SegmentLogTest, InstanceIdIsStableAcrossReopen) {
  TempFolder dir;
  std::string id;
  {
    auto log = open_log(options_for(dir.path()));
    id = log->instance_id();
  }
  auto log = open_log(options_for(dir.path()));
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(log->instance_id(), id);
}

// Verifies that segments roll at segment_bytes and a fully acked, no longer written one is deleted.
TEST(SegmentLogTest, RollsSegmentsAndDeletesFullyAckedOnes) {
  TempFolder dir;
  auto log = open_log(options_for(dir.path(), 200));
  std::vector<std::uint64_t> seqs;
  for (int i = 0; i < 10; ++i) seqs.push_back(log->append(0, "c", json_of(i)).seq);
  const std::size_t segments = segment_files(dir.path()).size();
  EXPECT_GT(segments, 2u);
  EXPECT_EQ(log->counters().segments, segments);
  EXPECT_EQ(drain(*log).size(), 10u);
  log->ack(std::vector<std::uint64_t>(seqs.begin(), seqs.end() - 1));
  // Only the active segment (holding the unacked last record) remains.
  EXPECT_EQ(segment_files(dir.path()).size(), 1u);
  EXPECT_EQ(log->counters().records, 1u);
  log->ack(std::vector<std::uint64_t>{seqs.back()});
  EXPECT_EQ(log->counters().records, 0u);
}

// Verifies that an append past the disk budget is refused, and that acking frees budget.
TEST(SegmentLogTest, RefusesAppendsPastTheBudget) {
  TempFolder dir;
  auto log = open_log(options_for(dir.path(), 100, 300));
  std::vector<std::uint64_t> seqs;
  AppendResult r;
  while ((r = log->append(0, "c", json_of(1))).status == AppendStatus::ok) seqs.push_back(r.seq);
  EXPECT_EQ(r.status, AppendStatus::full);
  ASSERT_GE(seqs.size(), 2u);
  EXPECT_LE(log->counters().bytes, 300u);
  drain(*log);
  log->ack(seqs);
  EXPECT_EQ(log->append(0, "c", json_of(1)).status, AppendStatus::ok);
}

// Verifies that a second open of the same folder is refused while the first holds it.
TEST(SegmentLogTest, FolderIsLockedWhileOpen) {
  TempFolder dir;
  auto first = open_log(options_for(dir.path()));
  auto second = SegmentLog::open(options_for(dir.path()));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error(), errc::buffer_locked);
  EXPECT_NE(second.error().message().find("in use"), std::string::npos) << second.error().message();
}

// Verifies that a frame with a flipped byte is counted and skipped, and later frames still come
// back.
TEST(SegmentLogTest, SkipsACorruptFrameAndKeepsTheRest) {
  TempFolder dir;
  {
    auto log = open_log(options_for(dir.path()));
    for (int i = 0; i < 3; ++i) log->append(0, "c", json_of(i));
  }
  const std::string seg = segment_files(dir.path()).at(0);
  {
    // Flip a byte inside the second record's JSON.
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    const auto size = static_cast<std::streamoff>(fs::file_size(seg));
    f.seekp(size / 2);
    f.put('#');
  }
  auto log = open_log(options_for(dir.path()));
  EXPECT_EQ(log->counters().corrupt_frames, 1u);
  EXPECT_EQ(log->counters().recovered, 2u);
  EXPECT_EQ(drain(*log), (std::vector<std::string>{json_of(0), json_of(2)}));
}

// Verifies that a segment cut short mid-frame (a torn write) loses only that frame.
TEST(SegmentLogTest, SkipsATruncatedTail) {
  TempFolder dir;
  {
    auto log = open_log(options_for(dir.path()));
    for (int i = 0; i < 3; ++i) log->append(0, "c", json_of(i));
  }
  const std::string seg = segment_files(dir.path()).at(0);
  fs::resize_file(seg, fs::file_size(seg) - 5);
  auto log = open_log(options_for(dir.path()));
  EXPECT_EQ(log->counters().corrupt_frames, 1u);
  EXPECT_EQ(drain(*log), (std::vector<std::string>{json_of(0), json_of(1)}));
  // Writing resumes in a fresh segment, never after the torn tail.
  log->append(0, "c", json_of(7));
  EXPECT_EQ(drain(*log), std::vector<std::string>{json_of(7)});
  EXPECT_EQ(segment_files(dir.path()).size(), 2u);
}

// Verifies that garbage (not one valid frame) and an empty segment never crash recovery.
TEST(SegmentLogTest, SurvivesGarbageSegments) {
  TempFolder dir;
  {
    std::ofstream(dir.path() + "/seg-0000000000000001.log", std::ios::binary)
        << std::string(1000, '\x7f') << "LTPK";
    std::ofstream(dir.path() + "/seg-0000000000000100.log", std::ios::binary);
  }
  auto log = open_log(options_for(dir.path()));
  EXPECT_EQ(log->counters().recovered, 0u);
  EXPECT_EQ(log->counters().corrupt_frames, 1u);
  EXPECT_FALSE(log->read_next());
  EXPECT_EQ(log->append(0, "c", json_of(1)).status, AppendStatus::ok);
  EXPECT_EQ(drain(*log), std::vector<std::string>{json_of(1)});
}

// Verifies that records read back after memory was full come out in append order across segments,
// interleaved with appends.
TEST(SegmentLogTest, CursorFollowsAppendsAcrossSegments) {
  TempFolder dir;
  auto log = open_log(options_for(dir.path(), 150));
  std::vector<std::string> expected;
  std::vector<std::string> got;
  for (int i = 0; i < 12; ++i) {
    log->append(0, "c", json_of(i));
    expected.push_back(json_of(i));
    if (i % 3 == 0) {
      if (auto r = log->read_next()) got.push_back(r->json);
    }
  }
  for (auto& rest : drain(*log)) got.push_back(rest);
  EXPECT_EQ(got, expected);
}

// Verifies that fsync: batch reports each written file once until taken, and never: none.
TEST(SegmentLogTest, BatchFsyncCollectsWrittenFiles) {
  TempFolder dir;
  auto options = options_for(dir.path());
  options.fsync = config::FsyncPolicy::batch;
  auto log = open_log(options);
  log->append(0, "c", json_of(1));
  log->append(0, "c", json_of(2));
  auto files = log->take_unsynced();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0]->sync());
  EXPECT_TRUE(log->take_unsynced().empty());
}

}  // namespace
}  // namespace llmtap::delivery
