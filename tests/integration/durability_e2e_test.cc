// Fault-injection tests of "never lose a record" (spec §6): the real binary against
// llmtap_fault_receiver (503 / 429 + Retry-After / 401 / changeable plan), the disk buffer across
// kill -9 and SIGTERM, dead letters and `llmtap replay`, and a dead callback beside a live one.
// Counters are asserted exactly against what the receiver accepted.
#include <csignal>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

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

constexpr const char* kModelList = R"(
model_list:
  - model_name: m
    litellm_params:
      model: openai/m
      mock_response: "ok"
general_settings:
  master_key: sk-1234
)";

std::string fault_receiver_binary() {
  return (std::filesystem::path(mock_upstream_binary()).parent_path() / "llmtap_fault_receiver").string();
}

class DurabilityE2eTest : public ::testing::Test {
 protected:
  // Starts the fault receiver with `plan` (on `port`, 0: any).
  void start_receiver(const std::string& plan, std::uint16_t port = 0) {
    receiver_ = start_server({fault_receiver_binary(),
                              {"--host", "127.0.0.1", "--port", std::to_string(port), "--out", received_file(),
                               "--requests-out", dir_.file("receiver-requests.ndjson"), "--plan", plan},
                              {}});
    ASSERT_TRUE(receiver_.ok()) << receiver_.error;
  }
  void set_plan(const std::string& plan) {
    auto reply = http_request(receiver_.port, "POST", "/__plan", {}, plan);
    ASSERT_EQ(reply.status, 200) << reply.error << reply.body;
  }
  std::string receiver_url() const { return "http://127.0.0.1:" + std::to_string(receiver_.port) + "/logs"; }
  std::string received_file() const { return dir_.file("received.ndjson"); }

  // Writes the config (`{RECEIVER}`, `{DIR}` filled) and starts llmtap on it.
  std::string write_config(const std::string& callbacks_yaml) {
    return dir_.write_file("config.yaml", fill(std::string(kModelList) + callbacks_yaml,
                                               {{"RECEIVER", receiver_url()}, {"DIR", dir_.path()}}));
  }
  void start_llmtap_on(const std::string& config_path) {
    llmtap_ = start_llmtap(config_path);
    ASSERT_TRUE(llmtap_.ok()) << llmtap_.error;
  }

  // One chat; returns the x-litellm-call-id of a 200, or "" otherwise.
  std::string chat(milliseconds timeout = seconds{10}) {
    auto reply = http_request(llmtap_.port, "POST", "/v1/chat/completions",
                              {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-1234"}},
                              R"({"model":"m","messages":[{"role":"user","content":"hi"}]})", timeout);
    return reply.status == 200 ? reply.header("x-litellm-call-id") : std::string();
  }

  // litellm_call_id of every record the receiver accepted (with repeats).
  std::multiset<std::string> received_ids(const std::string& file) {
    std::multiset<std::string> ids;
    for (const auto& line : read_ndjson_lines(file)) {
      auto doc = parser_.parse(line);
      std::string_view id;
      if (!doc.error() && !doc["litellm_call_id"].get(id)) ids.insert(std::string(id));
    }
    return ids;
  }
  bool received_all(const std::string& file, const std::set<std::string>& expected) {
    auto got = received_ids(file);
    return std::all_of(expected.begin(), expected.end(), [&](const std::string& id) { return got.count(id) > 0; });
  }

  // `name{callback="cb"[,…]} value` from /metrics; -1 when absent.
  double metric(const std::string& name, const std::string& callback, const std::string& extra = "") {
    auto reply = http_request(llmtap_.port, "GET", "/metrics");
    const std::string labels = "{callback=\"" + callback + "\"" + (extra.empty() ? "" : "," + extra) + "}";
    const std::string prefix = name + labels + " ";
    std::size_t at = reply.body.find(prefix);
    if (at == std::string::npos || (at > 0 && reply.body[at - 1] != '\n')) return -1;
    return std::stod(reply.body.substr(at + prefix.size()));
  }

  std::vector<std::string> receiver_requests() { return read_ndjson_lines(dir_.file("receiver-requests.ndjson")); }

  TempDir dir_;
  StartedServer receiver_;
  StartedServer llmtap_;
  simdjson::dom::parser parser_;
};

// Verifies that batches answered 503 are retried until the endpoint recovers, every record
// arrives, and the counters add up exactly: enqueued = delivered, nothing dropped or dead-lettered.
TEST_F(DurabilityE2eTest, RetriesThrough503sAndCountsExactly) {
  start_receiver("503x3,200");
  start_llmtap_on(write_config(R"(
litellm_settings:
  callbacks: ["cb"]
callback_settings:
  cb:
    callback_type: generic_api
    endpoint: {RECEIVER}
    batch_size: 5
    flush_interval: 0.05
    max_in_flight: 1
    dead_letter_path: {DIR}/dl
)"));
  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.insert(chat());
  ASSERT_EQ(ids.size(), 10u);
  ASSERT_FALSE(ids.count(""));
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{20}));
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_records_delivered_total", "cb") == 10; }, seconds{5}));
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
  EXPECT_EQ(static_cast<double>(attempts.size()), metric("llmtap_callback_delivery_latency_seconds_count", "cb"));
  EXPECT_EQ(total, static_cast<int>(attempts.size()) + 3);
}

// Verifies that a 429 with Retry-After: 1 delays the retry by at least that second, same key.
TEST_F(DurabilityE2eTest, Honours429RetryAfter) {
  start_receiver("429@1,200");
  start_llmtap_on(write_config(R"(
litellm_settings:
  callbacks: ["cb"]
callback_settings:
  cb:
    callback_type: generic_api
    endpoint: {RECEIVER}
    batch_size: 1
    flush_interval: 0.05
)"));
  const std::string id = chat();
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
  const std::string config = write_config(R"(
litellm_settings:
  callbacks: ["cb"]
callback_settings:
  cb:
    callback_type: generic_api
    endpoint: {RECEIVER}
    batch_size: 3
    flush_interval: 0.05
    dead_letter_path: {DIR}/dl
)");
  start_llmtap_on(config);
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.insert(chat());
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_records_dead_lettered_total", "cb") == 3; }, seconds{10}));
  EXPECT_EQ(metric("llmtap_callback_records_rejected_total", "cb"), 3);
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_.file("dl"))) files.push_back(e.path().string());
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
  Process replay({llmtap_binary(),
                  {"replay", "--config", config, "--dead-letter", "--endpoint",
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
  const std::string config = write_config(R"(
litellm_settings:
  callbacks: ["cb"]
callback_settings:
  cb:
    callback_type: generic_api
    endpoint: {RECEIVER}
    log_format: ndjson
    batch_size: 4
    flush_interval: 0.02
    buffer: disk
    buffer_path: {DIR}/buffer
    fsync: never
    max_queue_records: 8
)");
  start_llmtap_on(config);
  std::set<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    const std::string id = chat();
    if (!id.empty()) ids.insert(id);
  }
  ASSERT_EQ(ids.size(), 40u);
  ASSERT_TRUE(wait_until([&] { return receiver_requests().size() >= 3; }, seconds{10}));
  llmtap_.process->send_signal(SIGKILL);
  ASSERT_TRUE(llmtap_.process->wait_exit(seconds{5}));
  EXPECT_FALSE(received_all(received_file(), ids));  // the kill came before the endpoint took everything

  set_plan("200");
  start_llmtap_on(config);
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{20}));
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_disk_records", "cb") == 0; }, seconds{5}));
  EXPECT_GT(metric("llmtap_callback_disk_recovered_records", "cb"), 0);
  EXPECT_EQ(metric("llmtap_callback_disk_corrupt_frames_total", "cb"), 0);
}

// Verifies that SIGTERM with a dead endpoint keeps the records in the disk buffer (logged, exit 0)
// and a restart against a live endpoint delivers them.
TEST_F(DurabilityE2eTest, SigtermWithDeadEndpointKeepsRecordsOnDisk) {
  start_receiver("503");
  const std::string config = write_config(R"(
litellm_settings:
  callbacks: ["cb"]
  shutdown_timeout: 0.5
callback_settings:
  cb:
    callback_type: generic_api
    endpoint: {RECEIVER}
    batch_size: 2
    flush_interval: 0.02
    buffer: disk
    buffer_path: {DIR}/buffer
)");
  start_llmtap_on(config);
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.insert(chat());
  ASSERT_EQ(ids.size(), 5u);
  llmtap_.process->send_signal(SIGTERM);
  ASSERT_EQ(llmtap_.process->wait_exit(seconds{10}), 0);
  EXPECT_NE(llmtap_.process->err().find("5 record(s) not delivered yet are kept in the disk buffer"), std::string::npos)
      << llmtap_.process->err();
  EXPECT_TRUE(received_ids(received_file()).empty());

  set_plan("200");
  start_llmtap_on(config);
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{10}));
}

// Verifies that a dead endpoint neither slows clients nor holds back another callback: the live
// one receives every record while the dead one only retries.
TEST_F(DurabilityE2eTest, DeadCallbackDoesNotHoldBackTheLiveOne) {
  start_receiver("200");
  start_llmtap_on(write_config(R"(
litellm_settings:
  callbacks: ["dead", "live"]
callback_settings:
  dead:
    callback_type: generic_api
    endpoint: http://127.0.0.1:1/nothing-listens
    batch_size: 2
    flush_interval: 0.02
    max_queue_records: 5
  live:
    callback_type: generic_api
    endpoint: {RECEIVER}
    batch_size: 5
    flush_interval: 0.02
)"));
  std::set<std::string> ids;
  for (int i = 0; i < 30; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ids.insert(chat());
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds{500});
  }
  ASSERT_EQ(ids.size(), 30u);
  ASSERT_TRUE(wait_until([&] { return received_all(received_file(), ids); }, seconds{10}));
  // The receiver stores a batch before it answers; the counter moves when llmtap reads the answer.
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_records_delivered_total", "live") == 30; }, seconds{5}));
  EXPECT_EQ(metric("llmtap_callback_records_delivered_total", "dead"), 0);
  // The dead callback's bound held: 30 enqueued = 5 held + 25 dropped, every one counted.
  EXPECT_EQ(metric("llmtap_callback_records_dropped_total", "dead", "reason=\"queue_full\"") +
                metric("llmtap_callback_queue_records", "dead"),
            30);
}

}  // namespace
}  // namespace llmtap::test
