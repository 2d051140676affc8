#include "delivery/pipeline.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "delivery/dispatcher.h"
#include "fakes.h"
#include "test_record.h"

namespace llmtap::delivery {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeEndpoint;
using testing::FakeTransport;
using testing::ManualClock;
using testing::ManualScheduler;

class RecordingDeadLetter final : public DeadLetterSink {
 public:
  struct Entry {
    std::string callback;
    Batch batch;
    RejectInfo info;
  };
  Result<void> store(const std::string& callback, const Batch& batch,
                     const RejectInfo& info) override {
    entries.push_back({callback, batch, info});
    return {};
  }
  std::vector<Entry> entries;
};

using testing::header;

class PipelineTest : public ::testing::Test {
 protected:
  static config::CallbackConfig callback(config::LogFormat format, std::size_t batch_size,
                                         double flush_interval) {
    config::CallbackConfig cb;
    cb.name = "my_api";
    cb.endpoint = "http://127.0.0.1:9/logs";
    cb.headers = {{"Authorization", "Bearer sk-1"}};
    cb.log_format = format;
    cb.batch_size = batch_size;
    cb.flush_interval = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(flush_interval));
    cb.timeout = std::chrono::milliseconds(2500);
    cb.max_retry_time = std::chrono::seconds(60);
    return cb;
  }

  std::unique_ptr<Pipeline> make(config::CallbackConfig cb,
                                 std::shared_ptr<FakeEndpoint> to = nullptr) {
    PipelineOptions options;
    options.clock = clock;
    options.dead_letter = dead_letter;
    options.random = [] { return 0.5; };
    options.id_prefix = "k";
    return std::make_unique<Pipeline>(std::move(cb),
                                      std::make_unique<FakeTransport>(to ? to : endpoint),
                                      scheduler, std::move(options));
  }

  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::shared_ptr<ManualScheduler> scheduler = std::make_shared<ManualScheduler>(clock);
  std::shared_ptr<FakeEndpoint> endpoint = std::make_shared<FakeEndpoint>();
  std::shared_ptr<RecordingDeadLetter> dead_letter = std::make_shared<RecordingDeadLetter>();
};

// Verifies that a full batch is sent by the scheduler (not inside push) as one POST with the right
// headers and body.
TEST_F(PipelineTest, FlushesOnBatchSizeOffTheCallersThread) {
  auto p = make(callback(config::LogFormat::json_array, 2, 60));
  p->push(record(R"({"a":1})"));
  p->push(record(R"({"b":2})"));
  EXPECT_TRUE(endpoint->requests.empty());  // push never encodes or sends
  scheduler->run_ready();
  ASSERT_EQ(endpoint->requests.size(), 1u);
  const auto& r = endpoint->requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://127.0.0.1:9/logs");
  EXPECT_EQ(r.body, R"([{"a":1},{"b":2}])");
  EXPECT_EQ(r.timeout, milliseconds(2500));
  EXPECT_EQ(header(r, "Authorization"), "Bearer sk-1");
  EXPECT_EQ(header(r, "Content-Type"), "application/json");
  EXPECT_EQ(header(r, "User-Agent"), "llmtap/" LLMTAP_VERSION);
  EXPECT_EQ(header(r, "Idempotency-Key"), "k-1");
}

// Verifies that a partial ndjson batch goes out exactly flush_interval after its first record.
TEST_F(PipelineTest, FlushesOnInterval) {
  auto p = make(callback(config::LogFormat::ndjson, 100, 0.5));
  p->push(record(R"({"a":1})"));
  scheduler->advance(milliseconds(200));
  p->push(record(R"({"b":2})"));
  scheduler->advance(milliseconds(299));
  EXPECT_TRUE(endpoint->requests.empty());
  scheduler->advance(milliseconds(1));
  ASSERT_EQ(endpoint->requests.size(), 1u);
  EXPECT_EQ(endpoint->requests[0].body, "{\"a\":1}\n{\"b\":2}\n");
  EXPECT_EQ(header(endpoint->requests[0], "Content-Type"), "application/x-ndjson");
}

// Verifies that a 503 with Retry-After is resent after that delay with the same key and body, then
// counted once delivered.
TEST_F(PipelineTest, RetriesAfter503WithSameIdempotencyKeyThenDelivers) {
  auto p = make(callback(config::LogFormat::json_array, 1, 60));
  p->push(record(R"({"a":1})"));
  scheduler->run_ready();
  ASSERT_EQ(endpoint->requests.size(), 1u);
  endpoint->respond(503, {{"Retry-After", "2"}});
  scheduler->advance(milliseconds(1999));
  EXPECT_EQ(endpoint->requests.size(), 1u);
  scheduler->advance(milliseconds(1));
  ASSERT_EQ(endpoint->requests.size(), 2u);
  EXPECT_EQ(header(endpoint->requests[1], "Idempotency-Key"),
            header(endpoint->requests[0], "Idempotency-Key"));
  EXPECT_EQ(endpoint->requests[1].body, endpoint->requests[0].body);
  endpoint->respond(200);
  scheduler->advance(seconds(120));
  EXPECT_EQ(endpoint->requests.size(), 2u);
  const auto stats = p->stats();
  EXPECT_EQ(stats.batcher.delivered, 1u);
  EXPECT_EQ(stats.batcher.retried, 1u);
  EXPECT_EQ(stats.batcher.held_records, 0u);
  EXPECT_EQ(stats.requests[static_cast<std::size_t>(RequestOutcome::status_5xx)], 1u);
  EXPECT_EQ(stats.requests[static_cast<std::size_t>(RequestOutcome::status_2xx)], 1u);
  EXPECT_EQ(stats.bytes_sent, 2 * endpoint->requests[0].body.size());
}

// Verifies that a timeout and a refused connection are retried (after jittered backoff) until a
// 2xx.
TEST_F(PipelineTest, RetriesTransportErrorsWithBackoff) {
  auto p = make(callback(config::LogFormat::json_array, 1, 60));
  p->push(record("{}"));
  scheduler->run_ready();
  endpoint->fail(http::ClientError::timeout);
  scheduler->advance(milliseconds(250));  // 0.5 * 500 ms
  ASSERT_EQ(endpoint->requests.size(), 2u);
  endpoint->fail(http::ClientError::connect);
  scheduler->advance(milliseconds(499));  // 0.5 * 1000 ms
  EXPECT_EQ(endpoint->requests.size(), 2u);
  scheduler->advance(milliseconds(1));
  ASSERT_EQ(endpoint->requests.size(), 3u);
  endpoint->respond(204);
  scheduler->run_ready();
  const auto stats = p->stats();
  EXPECT_EQ(stats.batcher.delivered, 1u);
  EXPECT_EQ(stats.requests[static_cast<std::size_t>(RequestOutcome::timeout)], 1u);
  EXPECT_EQ(stats.requests[static_cast<std::size_t>(RequestOutcome::connect_error)], 1u);
  EXPECT_EQ(stats.bytes_sent, 4u);  // "[{}]" once: only the attempt that reached the endpoint
}

// Verifies that a 400 is not retried, is counted as rejected, and reaches the dead-letter sink with
// status and body.
TEST_F(PipelineTest, Rejects400AndHandsBatchToDeadLetter) {
  auto p = make(callback(config::LogFormat::json_array, 1, 60));
  p->push(record(R"({"a":1})"));
  scheduler->run_ready();
  endpoint->respond(400, {}, "bad\nrecord");
  scheduler->advance(seconds(600));
  EXPECT_EQ(endpoint->requests.size(), 1u);
  const auto stats = p->stats();
  EXPECT_EQ(stats.batcher.rejected, 1u);
  EXPECT_EQ(stats.batcher.held_records, 0u);
  ASSERT_EQ(dead_letter->entries.size(), 1u);
  const auto& e = dead_letter->entries[0];
  EXPECT_EQ(e.callback, "my_api");
  EXPECT_EQ(e.info.status, 400);
  EXPECT_EQ(e.info.reason, "HTTP 400");
  EXPECT_EQ(e.info.body_excerpt, "bad record");
  ASSERT_EQ(e.batch.records.size(), 1u);
  EXPECT_EQ(e.batch.records[0].bytes(), R"({"a":1})");
}

// Verifies that a batch failing with 503 forever is given up once max_retry_time would pass,
// counted.
TEST_F(PipelineTest, RejectsWhenRetryBudgetIsSpent) {
  auto cb = callback(config::LogFormat::json_array, 1, 60);
  cb.max_retry_time = std::chrono::seconds(10);
  auto p = make(cb);
  p->push(record("{}"));
  scheduler->run_ready();
  int attempts = 0;
  while (!endpoint->pending.empty() && attempts < 100) {
    ++attempts;
    endpoint->respond(503, {{"Retry-After", "3"}});
    scheduler->advance(seconds(3));
  }
  EXPECT_EQ(attempts, 4);  // sent at 0, 3, 6, 9 s; a fifth at 12 s would pass the 10 s budget
  ASSERT_EQ(dead_letter->entries.size(), 1u);
  EXPECT_TRUE(dead_letter->entries[0].info.budget_exhausted);
  EXPECT_EQ(p->stats().batcher.rejected, 1u);
}

// Verifies that single mode posts one record per request, in parallel, and resends only the failed
// one.
TEST_F(PipelineTest, SingleModeSendsEachRecordAloneAndNeverResendsDelivered) {
  auto cb = callback(config::LogFormat::single, 3, 60);
  cb.max_in_flight = 8;
  auto p = make(cb);
  for (const char* r : {R"({"n":1})", R"({"n":2})", R"({"n":3})"}) p->push(record(r));
  scheduler->run_ready();
  ASSERT_EQ(endpoint->requests.size(), 3u);
  EXPECT_EQ(endpoint->requests[0].body, R"({"n":1})");
  EXPECT_NE(header(endpoint->requests[0], "Idempotency-Key"),
            header(endpoint->requests[1], "Idempotency-Key"));
  endpoint->respond(200);
  endpoint->respond(500);
  endpoint->respond(200);
  scheduler->advance(seconds(5));
  ASSERT_EQ(endpoint->requests.size(), 4u);
  EXPECT_EQ(endpoint->requests[3].body, R"({"n":2})");
  EXPECT_EQ(header(endpoint->requests[3], "Idempotency-Key"),
            header(endpoint->requests[1], "Idempotency-Key"));
  endpoint->respond(200);
  scheduler->advance(seconds(120));
  EXPECT_EQ(endpoint->requests.size(), 4u);
  EXPECT_EQ(p->stats().batcher.delivered, 3u);
}

// Verifies that when_full: block never waits on the request path and counts the refused record as
// dropped{queue_full}.
TEST_F(PipelineTest, BlockPolicyRefusesWithoutWaitingAndCounts) {
  auto cb = callback(config::LogFormat::json_array, 100, 60);
  cb.max_queue_records = 1;
  cb.when_full = config::WhenFull::block;
  auto p = make(cb);
  EXPECT_EQ(p->push(record("{}")), PushResult::queued);
  EXPECT_EQ(p->push(record("{}")), PushResult::full);
  EXPECT_EQ(p->stats().batcher.dropped[static_cast<std::size_t>(DropReason::queue_full)], 1u);
}

// Verifies that shutdown flushes a partial batch at once and reports once the endpoint acked it.
TEST_F(PipelineTest, ShutdownSendsEverythingAndReportsWhenEmpty) {
  auto p = make(callback(config::LogFormat::json_array, 100, 60));
  for (int i = 0; i < 3; ++i) p->push(record("{}"));
  std::optional<PipelineDrain> drained;
  p->shutdown(clock->now() + seconds(10), [&](PipelineDrain d) { drained = d; });
  scheduler->run_ready();
  ASSERT_EQ(endpoint->requests.size(), 1u);
  EXPECT_EQ(endpoint->requests[0].body, "[{},{},{}]");
  EXPECT_FALSE(drained);
  endpoint->respond(200);
  scheduler->run_ready();
  ASSERT_TRUE(drained);
  EXPECT_EQ(drained->callback, "my_api");
  EXPECT_EQ(drained->delivered, 3u);
  EXPECT_EQ(drained->undelivered, 0u);
}

// Verifies that shutdown retries a failing endpoint until the deadline, then reports and counts
// exactly what was lost.
TEST_F(PipelineTest, ShutdownKeepsRetryingUntilDeadlineThenReportsLoss) {
  auto cb = callback(config::LogFormat::json_array, 2, 60);
  cb.max_in_flight = 1;
  auto p = make(cb);
  for (int i = 0; i < 3; ++i) p->push(record("{}"));
  std::optional<PipelineDrain> drained;
  p->shutdown(clock->now() + seconds(3), [&](PipelineDrain d) { drained = d; });
  scheduler->run_ready();
  ASSERT_EQ(endpoint->requests.size(), 1u);
  EXPECT_EQ(endpoint->requests[0].body, "[{},{}]");
  endpoint->respond(503, {{"Retry-After", "1"}});
  scheduler->run_ready();  // the slot is free while batch 1 backs off: the last record goes
  ASSERT_EQ(endpoint->requests.size(), 2u);
  EXPECT_EQ(endpoint->requests[1].body, "[{}]");
  endpoint->respond(200);
  scheduler->advance(seconds(1));
  ASSERT_EQ(endpoint->requests.size(), 3u);
  EXPECT_EQ(header(endpoint->requests[2], "Idempotency-Key"),
            header(endpoint->requests[0], "Idempotency-Key"));
  endpoint->respond(503, {{"Retry-After", "5"}});
  scheduler->advance(seconds(1));
  EXPECT_FALSE(drained);
  scheduler->advance(seconds(1));
  ASSERT_TRUE(drained);
  EXPECT_EQ(drained->delivered, 1u);
  EXPECT_EQ(drained->undelivered, 2u);
  EXPECT_EQ(p->stats().batcher.dropped[static_cast<std::size_t>(DropReason::shutdown)], 2u);
  EXPECT_EQ(p->stats().batcher.held_records, 0u);
}

// Verifies that an idle pipeline reports its drain immediately.
TEST_F(PipelineTest, ShutdownOfEmptyPipelineReportsAtOnce) {
  auto p = make(callback(config::LogFormat::json_array, 100, 60));
  std::optional<PipelineDrain> drained;
  p->shutdown(clock->now() + seconds(10), [&](PipelineDrain d) { drained = d; });
  ASSERT_TRUE(drained);
  EXPECT_EQ(drained->undelivered, 0u);
}

// Splits an ndjson body into its records.
std::vector<std::string> lines(const std::string& body) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t nl = body.find('\n'); nl != std::string::npos; nl = body.find('\n', start)) {
    out.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// Verifies, failing exchange n (503, timeout, reset, 429) for n = 0..4, that every record is acked
// exactly once.
TEST_F(PipelineTest, FailureAtAnyStepLosesAndDuplicatesNothing) {
  const std::vector<http::ClientResult> failures = [] {
    std::vector<http::ClientResult> f(4);
    f[0].response.status = 503;
    f[1].error = http::ClientError::timeout;
    f[2].error = http::ClientError::io;
    f[3].response.status = 429;
    return f;
  }();
  for (std::size_t n = 0; n <= 4; ++n) {
    for (const auto& failure : failures) {
      auto to = std::make_shared<FakeEndpoint>();
      auto cb = callback(config::LogFormat::ndjson, 3, 1);
      cb.max_in_flight = 2;
      auto p = make(cb, to);
      std::map<std::string, int> acked;
      for (int i = 0; i < 10; ++i) p->push(record("{\"i\":" + std::to_string(i) + "}"));
      std::size_t step = 0;
      for (int rounds = 0;
           rounds < 1000 && (p->stats().batcher.held_records != 0 || !to->pending.empty());
           ++rounds) {
        scheduler->advance(milliseconds(100));
        while (!to->pending.empty()) {
          if (step++ == n) {
            to->complete(failure);
            continue;
          }
          for (const auto& line : lines(to->pending.front().request.body)) ++acked[line];
          to->respond(200);
        }
      }
      ASSERT_EQ(acked.size(), 10u) << "n=" << n;
      for (const auto& [line, count] : acked) EXPECT_EQ(count, 1) << line << " n=" << n;
      EXPECT_EQ(p->stats().batcher.delivered, 10u);
      // Four batches (3+3+3+1 records); a failure at an existing step costs exactly one more
      // request.
      EXPECT_EQ(to->requests.size(), n < 4 ? 5u : 4u) << "n=" << n;
      EXPECT_EQ(p->stats().batcher.retried > 0, n < 4) << "n=" << n;
    }
  }
}

// Verifies that a success-only callback never sees failure records, and that metrics_text names
// each counter per callback.
TEST_F(PipelineTest, DispatcherFiltersByEventTypeAndExposesMetrics) {
  auto success_only = callback(config::LogFormat::ndjson, 1, 60);
  success_only.name = "ok_only";
  success_only.log_failure = false;
  auto both = callback(config::LogFormat::ndjson, 1, 60);
  both.name = "all\"events";
  auto other_endpoint = std::make_shared<FakeEndpoint>();
  std::vector<std::unique_ptr<Pipeline>> pipelines;
  pipelines.push_back(make(success_only));
  pipelines.push_back(make(both, other_endpoint));
  Dispatcher dispatcher(std::move(pipelines));
  dispatcher.dispatch(record(R"({"s":1})", payload::RecordStatus::success));
  dispatcher.dispatch(record(R"({"f":1})", payload::RecordStatus::failure));
  scheduler->run_ready();
  ASSERT_EQ(endpoint->requests.size(), 1u);
  EXPECT_EQ(endpoint->requests[0].body, "{\"s\":1}\n");
  ASSERT_EQ(other_endpoint->requests.size(), 2u);
  endpoint->respond(200);
  other_endpoint->respond(200);
  other_endpoint->respond(429);
  scheduler->run_ready();

  const std::string text = dispatcher.metrics_text();
  for (const char* line :
       {"# TYPE llmtap_callback_records_enqueued_total counter\n",
        "llmtap_callback_records_enqueued_total{callback=\"ok_only\"} 1\n",
        "llmtap_callback_records_enqueued_total{callback=\"all\\\"events\"} 2\n",
        "llmtap_callback_records_delivered_total{callback=\"all\\\"events\"} 1\n",
        "llmtap_callback_records_retried_total{callback=\"all\\\"events\"} 1\n",
        "llmtap_callback_records_rejected_total{callback=\"ok_only\"} 0\n",
        "llmtap_callback_records_dropped_total{callback=\"ok_only\",reason=\"queue_full\"} 0\n",
        "# TYPE llmtap_callback_queue_records gauge\n",
        "llmtap_callback_queue_records{callback=\"all\\\"events\"} 1\n",
        "llmtap_callback_queue_bytes{callback=\"all\\\"events\"} 7\n",
        "llmtap_callback_bytes_sent_total{callback=\"ok_only\"} 8\n",
        "llmtap_callback_requests_total{callback=\"all\\\"events\",outcome=\"4xx\"} 1\n",
        "llmtap_callback_requests_total{callback=\"ok_only\",outcome=\"2xx\"} 1\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << text;
  }

  std::optional<DrainReport> report;
  dispatcher.shutdown(clock->now() + seconds(1), [&](DrainReport r) { report = std::move(r); });
  scheduler->advance(seconds(1));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->callbacks.size(), 2u);
  EXPECT_EQ(report->callbacks[0].undelivered, 0u);
  EXPECT_EQ(report->callbacks[1].callback, "all\"events");
  EXPECT_EQ(report->total_undelivered(), 1u);
}

}  // namespace
}  // namespace llmtap::delivery
