// The disk buffer's promises seen from outside, against the real binary: a rejected batch whose
// dead-letter file cannot be written stays in the disk buffer (counted, logged) and is
// dead-lettered after a restart once the fault is fixed; a segment that cannot be read stops
// start-up naming the file; the shutdown summary counts every record given up.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include "integration/e2e_fixture.h"
#include "support/http_call.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/wait.h"

namespace llmtap::test {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// The sink checks signatures with this secret; llmtap does not sign, so every batch gets a 401.
constexpr const char* kSinkSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

class DiskBufferFaultsE2eTest : public E2eFixture {
 protected:
  std::string config(std::string_view callback_lines) {
    return ConfigBuilder()
        .mock("m", "ok")
        .litellm_settings("shutdown_timeout: 1")
        .callback_settings(callback_lines)
        .yaml();
  }
};

// Verifies that with a regular file where the dead-letter folder should be, the rejected batch
// stays in the disk buffer (counted and kept on disk at shutdown), and that after a restart with
// the file gone the batch is dead-lettered and leaves the buffer.
TEST_F(DiskBufferFaultsE2eTest, UnwritableDeadLetterKeepsTheBatchAcrossARestart) {
  sink_args_ = {"--signing-secret", kSinkSecret};
  const std::string dead = dir_.file("dead");
  std::ofstream(dead) << "a file, not a folder";
  const std::string lines = "buffer: disk\nbuffer_path: " + dir_.file("buffer") +
                            "\ndead_letter_path: " + dead + "\nbatch_size: 2";
  start(config(lines));
  ASSERT_EQ(chat("m").status, 200);
  ASSERT_EQ(chat("m").status, 200);
  ASSERT_TRUE(wait_until(
      [&] { return metric("llmtap_callback_dead_letter_errors_total", "test_sink") >= 1; },
      seconds{20}));
  EXPECT_EQ(metric("llmtap_callback_dead_letter_pending_records", "test_sink"), 2);
  EXPECT_EQ(metric("llmtap_callback_disk_records", "test_sink"), 2);
  EXPECT_EQ(metric("llmtap_callback_records_dead_lettered_total", "test_sink"), 0);
  llmtap_.process->send_signal(SIGTERM);
  ASSERT_EQ(llmtap_.process->wait_exit(seconds{20}), 0);
  EXPECT_NE(llmtap_.process->err().find("2 kept on disk; 0 lost in all"), std::string::npos)
      << llmtap_.process->err();

  fs::remove(dead);
  llmtap_ = start_llmtap(dir_.file("config.yaml"));
  ASSERT_TRUE(llmtap_.ok()) << llmtap_.error;
  ASSERT_TRUE(wait_until(
      [&] { return metric("llmtap_callback_records_dead_lettered_total", "test_sink") == 2; },
      seconds{20}));
  EXPECT_EQ(metric("llmtap_callback_disk_recovered_records", "test_sink"), 2);
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_disk_records", "test_sink") == 0; },
                         seconds{10}));
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dead))
    files += entry.path().extension() == ".ndjson";
  EXPECT_EQ(files, 1u);
}

// Verifies that without a dead-letter file the shutdown summary counts the rejected records as
// lost rather than saying "0 lost".
TEST_F(DiskBufferFaultsE2eTest, ShutdownSummaryCountsRejectedRecordsAsLost) {
  sink_args_ = {"--signing-secret", kSinkSecret};
  start(config("dead_letter_path: none\nbatch_size: 1"));
  ASSERT_EQ(chat("m").status, 200);
  ASSERT_TRUE(
      wait_until([&] { return metric("llmtap_callback_records_rejected_total", "test_sink") == 1; },
                 seconds{20}));
  llmtap_.process->send_signal(SIGTERM);
  ASSERT_EQ(llmtap_.process->wait_exit(seconds{20}), 0);
  const std::string err = llmtap_.process->err();
  EXPECT_NE(err.find("0 kept on disk; 1 lost in all"), std::string::npos) << err;
  EXPECT_NE(err.find("1 record(s) were given up while running"), std::string::npos) << err;
}

// Verifies that a directory in place of a segment file stops start-up with an error naming that
// file, and that the directory is left as it was.
TEST_F(DiskBufferFaultsE2eTest, UnreadableSegmentStopsStartUpNamingTheFile) {
  const std::string segment = dir_.file("buffer") + "/seg-0000000000000001.log";
  fs::create_directories(segment);
  const std::string path = dir_.write_file(
      "config.yaml", fill(config("buffer: disk\nbuffer_path: " + dir_.file("buffer")),
                          {{"SINK", "http://127.0.0.1:9"}}));
  Process llmtap({llmtap_binary(), {"--config", path, "--host", "127.0.0.1", "--port", "0"}, {}});
  const auto code = llmtap.wait_exit(seconds{20});
  ASSERT_TRUE(code);
  EXPECT_NE(*code, 0);
  EXPECT_NE(llmtap.err().find(segment), std::string::npos) << llmtap.err();
  EXPECT_TRUE(fs::is_directory(segment));
}

}  // namespace
}  // namespace llmtap::test
