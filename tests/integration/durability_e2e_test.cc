// Fault-injection tests of "never lose a record" (README, `callback_settings.<name>`): the real
// binary against llmtap_fault_receiver (503 / 429 + Retry-After / 401 / changeable plan), the disk
// buffer across kill -9 and SIGTERM, dead letters and `llmtap replay`, and a dead callback beside a
// live one. Counters are asserted exactly against what the receiver accepted.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "integration/e2e_fixture.h"
#include "support/http_call.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace llmtap::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The one deployment every test here calls; the callbacks are the test's own.
ConfigBuilder config() { return ConfigBuilder().mock("m", "ok", "openai/m"); }

// A log endpoint that takes connections and never answers: a listening socket nobody accepts on
// (the kernel completes the handshakes and buffers the requests).
class SilentEndpoint {
 public:
  SilentEndpoint() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::listen(fd_, 16) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~SilentEndpoint() { ::close(fd_); }
  SilentEndpoint(const SilentEndpoint&) = delete;
  SilentEndpoint& operator=(const SilentEndpoint&) = delete;

  bool listening() const { return port_ != 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/logs"; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

using DurabilityE2eTest = E2eFixture;

// Verifies that batches answered 503 are retried until the endpoint recovers, every record
// arrives, and the counters add up exactly: enqueued = delivered, nothing dropped or dead-lettered.
TEST_F(DurabilityE2eTest, RetriesThrough503sAndCountsExactly) {
  start_receiver("503x3,200");
  ConfigBuilder builder = config();
  builder.callback("cb")
      .endpoint("{RECEIVER}")
      .set("batch_size", "5")
      .set("flush_interval", "0.05")
      .set("max_in_flight", "1")
      .set("dead_letter_path", "{DIR}/dl");
  start_llmtap_on(write_config(builder.yaml()));
  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.insert(chat_id("m"));
  ASSERT_EQ(ids.size(), 10u);
  ASSERT_FALSE(ids.count(""));
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{20}));
  ASSERT_TRUE(wait_until(
      [&] { return metric("llmtap_callback_records_delivered_total", "cb") == 10; }, seconds{5}));
  EXPECT_EQ(received_ids(received_file()).size(), 10u);  // a 503'd batch was never accepted
  EXPECT_EQ(metric("llmtap_callback_records_enqueued_total", "cb"), 10);
  EXPECT_GE(metric("llmtap_callback_records_retried_total", "cb"), 3);
  EXPECT_EQ(metric("llmtap_callback_records_dead_lettered_total", "cb"), 0);
  EXPECT_EQ(metric("llmtap_callback_records_dropped_total", "cb", "reason=\"queue_full\""), 0);
  EXPECT_EQ(metric("llmtap_callback_requests_total", "cb", "outcome=\"5xx\""), 3);
  EXPECT_EQ(metric("llmtap_callback_queue_records", "cb"), 0);
  EXPECT_GT(metric("llmtap_callback_last_success_timestamp_seconds", "cb"), 1.6e9);
  // Each retry carried the key of its first attempt: one key per delivered batch, and exactly the
  // three 503s as extra attempts.
  std::map<std::string, int> attempts;
  int total = 0;
  for (const auto& line : receiver_requests()) {
    auto doc = parser_.parse(line);
    std::string_view key;
    ASSERT_FALSE(doc["idempotency_key"].get(key));
    attempts[std::string(key)] += 1;
    ++total;
  }
  EXPECT_EQ(static_cast<double>(attempts.size()),
            metric("llmtap_callback_delivery_latency_seconds_count", "cb"));
  EXPECT_EQ(total, static_cast<int>(attempts.size()) + 3);
}

// Verifies that a 429 with Retry-After: 1 delays the retry by at least that second, same key.
TEST_F(DurabilityE2eTest, Honours429RetryAfter) {
  start_receiver("429@1,200");
  ConfigBuilder builder = config();
  builder.callback("cb")
      .endpoint("{RECEIVER}")
      .set("batch_size", "1")
      .set("flush_interval", "0.05");
  start_llmtap_on(write_config(builder.yaml()));
  const std::string id = chat_id("m");
  ASSERT_FALSE(id.empty());
  const auto sent = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), {id}); }, seconds{10}));
  EXPECT_GE(std::chrono::steady_clock::now() - sent, milliseconds{950});
  const auto requests = receiver_requests();
  ASSERT_EQ(requests.size(), 2u);
  auto key_of = [&](const std::string& line) {
    std::string_view key;
    auto doc = parser_.parse(line);
    EXPECT_FALSE(doc["idempotency_key"].get(key));
    return std::string(key);
  };
  const std::string first = key_of(requests[0]);
  EXPECT_EQ(first, key_of(requests[1]));
  EXPECT_FALSE(first.empty());
}

// Verifies that a 401 dead-letters the batch to a file with status and records (counted), and
// that `llmtap replay --dead-letter --endpoint` delivers them elsewhere and clears the file.
TEST_F(DurabilityE2eTest, RejectedBatchIsDeadLetteredThenReplayed) {
  start_receiver("401");
  ConfigBuilder builder = config();
  builder.callback("cb")
      .endpoint("{RECEIVER}")
      .set("batch_size", "3")
      .set("flush_interval", "0.05")
      .set("dead_letter_path", "{DIR}/dl");
  const std::string config_path = write_config(builder.yaml());
  start_llmtap_on(config_path);
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.insert(chat_id("m"));
  ASSERT_TRUE(
      wait_until([&] { return metric("llmtap_callback_records_dead_lettered_total", "cb") == 3; },
                 seconds{10}));
  EXPECT_EQ(metric("llmtap_callback_records_rejected_total", "cb"), 3);
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_.file("dl")))
    files.push_back(e.path().string());
  ASSERT_EQ(files.size(), 1u);
  const auto lines = read_ndjson_lines(files[0]);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find("\"status\":401"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("fault injected"), std::string::npos) << lines[0];
  llmtap_.process->send_signal(SIGTERM);
  ASSERT_EQ(llmtap_.process->wait_exit(seconds{10}), 0);

  const std::string sink_file = dir_.file("sink.ndjson");
  auto sink = start_sink(sink_file);
  ASSERT_TRUE(sink.ok()) << sink.error;
  Process replay(
      {llmtap_binary(),
       {"replay", "--config", config_path, "--dead-letter", "--endpoint",
        "http://127.0.0.1:" + std::to_string(sink.port) + "/replayed", "--timeout", "10"},
       {}});
  ASSERT_EQ(replay.wait_exit(seconds{20}), 0) << replay.out() << replay.err();
  EXPECT_NE(replay.out().find("3 record(s) delivered"), std::string::npos) << replay.out();
  EXPECT_TRUE(received_all(sink_file, ids));
  EXPECT_TRUE(std::filesystem::is_empty(dir_.file("dl")));
}

// Verifies that with buffer: disk, kill -9 under load loses nothing: after a restart every record
// whose client got a 200 reaches the receiver (compared by litellm_call_id).
TEST_F(DurabilityE2eTest, KillDashNineWithDiskBufferLosesNothing) {
  start_receiver("200x2,503");
  ConfigBuilder builder = config();
  builder.callback("cb")
      .endpoint("{RECEIVER}")
      .set("log_format", "ndjson")
      .set("batch_size", "4")
      .set("flush_interval", "0.02")
      .set("buffer", "disk")
      .set("buffer_path", "{DIR}/buffer")
      .set("fsync", "never")
      .set("max_queue_records", "8");
  const std::string config_path = write_config(builder.yaml());
  start_llmtap_on(config_path);
  std::set<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    const std::string id = chat_id("m");
    if (!id.empty()) ids.insert(id);
  }
  ASSERT_EQ(ids.size(), 40u);
  ASSERT_TRUE(wait_until([&] { return receiver_requests().size() >= 3; }, seconds{10}));
  llmtap_.process->send_signal(SIGKILL);
  ASSERT_TRUE(llmtap_.process->wait_exit(seconds{5}));
  EXPECT_FALSE(
      received_all(received_file(), ids));  // the kill came before the endpoint took everything

  set_plan("200");
  start_llmtap_on(config_path);
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{20}));
  ASSERT_TRUE(
      wait_until([&] { return metric("llmtap_callback_disk_records", "cb") == 0; }, seconds{5}));
  EXPECT_GT(metric("llmtap_callback_disk_recovered_records", "cb"), 0);
  EXPECT_EQ(metric("llmtap_callback_disk_corrupt_frames_total", "cb"), 0);
}

// Verifies that SIGTERM with a dead endpoint keeps the records in the disk buffer (logged, exit 0)
// and a restart against a live endpoint delivers them.
TEST_F(DurabilityE2eTest, SigtermWithDeadEndpointKeepsRecordsOnDisk) {
  start_receiver("503");
  ConfigBuilder builder = config();
  builder.litellm_settings("shutdown_timeout: 0.5");
  builder.callback("cb")
      .endpoint("{RECEIVER}")
      .set("batch_size", "2")
      .set("flush_interval", "0.02")
      .set("buffer", "disk")
      .set("buffer_path", "{DIR}/buffer");
  const std::string config_path = write_config(builder.yaml());
  start_llmtap_on(config_path);
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.insert(chat_id("m"));
  ASSERT_EQ(ids.size(), 5u);
  llmtap_.process->send_signal(SIGTERM);
  ASSERT_EQ(llmtap_.process->wait_exit(seconds{10}), 0);
  EXPECT_NE(
      llmtap_.process->err().find("5 record(s) not delivered yet are kept in the disk buffer"),
      std::string::npos)
      << llmtap_.process->err();
  EXPECT_TRUE(received_ids(received_file()).empty());

  set_plan("200");
  start_llmtap_on(config_path);
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{10}));
}

// Verifies that a dead endpoint neither slows clients nor holds back another callback: every
// client is answered while a silent endpoint still holds the first delivery request it was sent
// (a request path that waited on delivery would wait for that answer, which never comes), the
// live one receives every record, and the dead ones only retry or wait within their bounds.
TEST_F(DurabilityE2eTest, DeadCallbackDoesNotHoldBackTheLiveOne) {
  start_receiver("200");
  const SilentEndpoint silent;
  ASSERT_TRUE(silent.listening());
  ConfigBuilder builder = config();
  builder.callback("dead")
      .endpoint("http://127.0.0.1:1/nothing-listens")
      .set("batch_size", "2")
      .set("flush_interval", "0.02")
      .set("max_queue_records", "5");
  builder.callback("silent")
      .endpoint(silent.url())
      .set("batch_size", "2")
      .set("flush_interval", "0.02")
      .set("max_in_flight", "1")
      .set("max_queue_records", "5")
      .set("timeout", "600");  // longer than the test: its first request is never answered
  builder.callback("live")
      .endpoint("{RECEIVER}")
      .set("batch_size", "5")
      .set("flush_interval", "0.02");
  start_llmtap_on(write_config(builder.yaml()));
  std::set<std::string> ids;
  ids.insert(chat_id("m"));
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_batches_in_flight", "silent") == 1; },
                         seconds{10}));
  for (int i = 1; i < 30; ++i) ids.insert(chat_id("m"));
  ASSERT_EQ(ids.size(), 30u);
  ASSERT_FALSE(ids.count(""));
  // Every client had its answer before the silent endpoint answered anything.
  EXPECT_EQ(metric("llmtap_callback_batches_in_flight", "silent"), 1);
  for (const char* outcome :
       {"2xx", "3xx", "4xx", "5xx", "timeout", "connect_error", "io_error", "other"}) {
    EXPECT_LE(metric("llmtap_callback_requests_total", "silent",
                     "outcome=\"" + std::string(outcome) + "\""),
              0)
        << outcome;
  }
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{10}));
  // The receiver stores a batch before it answers; the counter moves when llmtap reads the answer.
  ASSERT_TRUE(wait_until(
      [&] { return metric("llmtap_callback_records_delivered_total", "live") == 30; }, seconds{5}));
  EXPECT_EQ(metric("llmtap_callback_records_delivered_total", "dead"), 0);
  // The dead callback's bound held: 30 enqueued = 5 held + 25 dropped, every one counted.
  EXPECT_EQ(metric("llmtap_callback_records_dropped_total", "dead", "reason=\"queue_full\"") +
                metric("llmtap_callback_queue_records", "dead"),
            30);
  // So did the silent one's, with its first batch still in flight.
  EXPECT_EQ(metric("llmtap_callback_records_dropped_total", "silent", "reason=\"queue_full\"") +
                metric("llmtap_callback_queue_records", "silent"),
            30);
}

}  // namespace
}  // namespace llmtap::test
