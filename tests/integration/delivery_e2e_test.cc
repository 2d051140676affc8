// End-to-end tests of the generic API logger (README: `callback_settings.<name>`, "Presets"):
// formats, batch triggers, event filters, env-only and preset configuration, and the drain on
// SIGTERM — real binary, real sink.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <csignal>
#include <set>
#include <string>

#include "integration/e2e_fixture.h"
#include "support/wait.h"

namespace llmtap::test {
namespace {

// The one deployment every test here calls; the callbacks are the test's own.
ConfigBuilder config() { return ConfigBuilder().mock("gpt-3.5-turbo", "ok"); }

using DeliveryE2eTest = E2eFixture;

struct SinkRequest {
  std::string format;
  std::int64_t records = 0;
  std::string content_type;
  std::string authorization;
  std::string user_agent;
  std::string idempotency_key;
};

std::vector<SinkRequest> parse_requests(simdjson::dom::parser& parser,
                                        const std::vector<std::string>& lines) {
  std::vector<SinkRequest> out;
  for (const auto& line : lines) {
    auto doc = parser.parse(line);
    EXPECT_FALSE(doc.error()) << line;
    if (doc.error()) continue;
    SinkRequest r;
    std::string_view text;
    if (!doc["format"].get(text)) r.format = text;
    r.records = int64_t(doc["records"]);
    if (!doc["headers"]["content-type"].get(text)) r.content_type = text;
    if (!doc["headers"]["authorization"].get(text)) r.authorization = text;
    if (!doc["headers"]["user-agent"].get(text)) r.user_agent = text;
    if (!doc["headers"]["idempotency-key"].get(text)) r.idempotency_key = text;
    out.push_back(r);
  }
  return out;
}

// Verifies that json_array batches arrive as one POST with a JSON array, the configured headers,
// application/json and llmtap's User-Agent, cut at batch_size without waiting for the interval.
TEST_F(DeliveryE2eTest, JsonArrayBatchIsCutAtBatchSize) {
  ConfigBuilder builder = config();
  builder.callback("batched")
      .endpoint("{SINK}/logs")
      .header("Authorization", "Bearer sink-token")
      .set("batch_size", "3")
      .set("flush_interval", "3600");
  start(builder.yaml());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(records(3).size(), 3u);
  auto requests = parse_requests(parser_, sink_requests());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].format, "json_array");
  EXPECT_EQ(requests[0].records, 3);
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].authorization, "Bearer sink-token");
  EXPECT_EQ(requests[0].user_agent.rfind("llmtap/", 0), 0u) << requests[0].user_agent;
  EXPECT_FALSE(requests[0].idempotency_key.empty());
}

// Verifies that ndjson batches are sent as application/x-ndjson once flush_interval passes.
TEST_F(DeliveryE2eTest, NdjsonBatchIsSentAfterFlushInterval) {
  ConfigBuilder builder = config();
  builder.callback("nd")
      .endpoint("{SINK}/logs")
      .set("log_format", "ndjson")
      .set("batch_size", "100")
      .set("flush_interval", "0.2");
  start(builder.yaml());
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(records(2).size(), 2u);
  auto requests = parse_requests(parser_, sink_requests());
  ASSERT_GE(requests.size(), 1u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.format, "ndjson");
    EXPECT_EQ(r.content_type, "application/x-ndjson");
  }
}

// Verifies that single mode sends one POST per record, each with its own idempotency key.
TEST_F(DeliveryE2eTest, SingleModeSendsOneRequestPerRecord) {
  ConfigBuilder builder = config();
  builder.callback("one_by_one")
      .endpoint("{SINK}/logs")
      .set("log_format", "single")
      .set("batch_size", "2")
      .set("flush_interval", "0.1");
  start(builder.yaml());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(records(3).size(), 3u);
  auto requests = parse_requests(parser_, sink_requests());
  ASSERT_EQ(requests.size(), 3u);
  std::set<std::string> keys;
  for (const auto& r : requests) {
    EXPECT_EQ(r.format, "single");
    EXPECT_EQ(r.records, 1);
    keys.insert(r.idempotency_key);
  }
  EXPECT_EQ(keys.size(), 3u);
}

// Verifies event filtering: event_types, success_callback and failure_callback each deliver only
// their kind of record.
TEST_F(DeliveryE2eTest, EventFiltersDeliverOnlyTheirKind) {
  ConfigBuilder builder = config();
  builder.callback("failures_only")
      .listed_in("failure_callback")
      .endpoint("{SINK}/failures")
      .set("log_format", "ndjson")
      .set("flush_interval", "0.1");
  start(builder.yaml());
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);  // success: not for this callback
  ASSERT_EQ(chat("unknown-model").status, 404);  // failure: delivered
  auto lines = records(1);
  ASSERT_EQ(lines.size(), 1u);
  auto record = parser_.parse(lines[0]);
  ASSERT_FALSE(record.error());
  EXPECT_EQ(std::string_view(record["status"]), "failure");
  // Give a wrongly delivered success record the same chance to arrive, then check it did not.
  ASSERT_EQ(chat("unknown-model").status, 404);
  ASSERT_EQ(records(2).size(), 2u);
  for (const auto& line : records(2)) {
    EXPECT_NE(line.find(R"("status":"failure")"), std::string::npos) << line;
  }
}

// Verifies that event_types: [llm_api_success] drops failures for that callback.
TEST_F(DeliveryE2eTest, EventTypesSuccessOnly) {
  ConfigBuilder builder = config();
  builder.callback("ok_only")
      .endpoint("{SINK}/ok")
      .set("log_format", "ndjson")
      .set("event_types", "[llm_api_success]")
      .set("flush_interval", "0.1");
  start(builder.yaml());
  ASSERT_EQ(chat("unknown-model").status, 404);
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(chat("unknown-model").status, 404);
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  auto lines = records(2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines)
    EXPECT_NE(line.find(R"("status":"success")"), std::string::npos) << line;
}

// Verifies the env-only set-up: callbacks: ["generic_api"] with GENERIC_LOGGER_ENDPOINT/HEADERS.
TEST_F(DeliveryE2eTest, GenericApiFromEnvironmentOnly) {
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  ConfigBuilder builder = config();
  builder.callback("generic_api").without_settings();
  builder.litellm_settings("DEFAULT_FLUSH_INTERVAL_SECONDS: 0.1");
  ASSERT_NO_FATAL_FAILURE(
      start_llmtap_on(write_config(builder.yaml()),
                      {{"GENERIC_LOGGER_ENDPOINT", sink_url() + "/env"},
                       {"GENERIC_LOGGER_HEADERS", "Authorization=Bearer env-token,X-Team=llm"}}));
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(records(1).size(), 1u);
  auto requests = parse_requests(parser_, sink_requests());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].authorization, "Bearer env-token");
  EXPECT_EQ(requests[0].format, "json_array");
}

// Verifies that a preset (sumologic) is usable by name alone, with its endpoint from the
// environment and its ndjson format.
TEST_F(DeliveryE2eTest, PresetByNameUsesItsFormatAndEnvironment) {
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  ConfigBuilder builder = config();
  builder.callback("sumologic").without_settings();
  builder.litellm_settings("DEFAULT_FLUSH_INTERVAL_SECONDS: 0.1");
  ASSERT_NO_FATAL_FAILURE(
      start_llmtap_on(write_config(builder.yaml()),
                      {{"SUMOLOGIC_WEBHOOK_URL", sink_url() + "/receiver/v1/http/abc"}}));
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(records(1).size(), 1u);
  auto requests = parse_requests(parser_, sink_requests());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].format, "ndjson");
}

// Verifies that SIGTERM drains the queues: records waiting for a long flush_interval are
// delivered before llmtap exits 0.
TEST_F(DeliveryE2eTest, SigtermFlushesEveryQueue) {
  ConfigBuilder builder = config();
  builder.callback("slow_flush")
      .endpoint("{SINK}/a")
      .set("batch_size", "100")
      .set("flush_interval", "3600");
  builder.callback("other")
      .endpoint("{SINK}/b")
      .set("log_format", "ndjson")
      .set("batch_size", "100")
      .set("flush_interval", "3600");
  start(builder.yaml());
  for (int i = 0; i < 5; ++i) ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  EXPECT_TRUE(read_ndjson_lines(records_file_).empty()) << "nothing is due before the interval";
  ASSERT_TRUE(llmtap_.process->send_signal(SIGTERM));
  auto code = llmtap_.process->wait_exit(std::chrono::seconds{20});
  ASSERT_TRUE(code.has_value()) << llmtap_.process->err();
  EXPECT_EQ(*code, 0) << llmtap_.process->err();
  EXPECT_EQ(read_ndjson_lines(records_file_).size(), 10u) << llmtap_.process->err();
}

}  // namespace
}  // namespace llmtap::test
