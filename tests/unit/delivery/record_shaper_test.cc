#include "delivery/record_shaper.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>

namespace llmtap::delivery {
namespace {

payload::Record record_of(std::string json) {
  payload::Record record;
  record.json = std::make_shared<const std::string>(std::move(json));
  record.call_id = "call-1";
  return record;
}

bool valid_json(std::string_view json) {
  simdjson::dom::parser parser;
  return parser.parse(simdjson::padded_string(json)).error() == simdjson::SUCCESS;
}

// Verifies the common case shares the record's bytes.
TEST(RecordShaperTest, PassesRecordsThroughWithoutCopying) {
  config::CallbackConfig callback;
  const RecordShaper shaper(callback);
  const auto record = record_of(R"({"id":"x"})");
  EXPECT_EQ(shaper.shape(record).json, record.json);
}

// Verifies the HEC envelope: time from startTime, envelope_fields, the record as "event".
TEST(RecordShaperTest, WrapsSplunkHecEventsWithTimeAndFields) {
  config::CallbackConfig callback;
  callback.log_format = config::LogFormat::ndjson;
  callback.envelope = config::Envelope::splunk_hec;
  callback.envelope_fields = {{"sourcetype", "llmtap"}, {"index", "ai\"logs"}};
  const RecordShaper shaper(callback);
  const auto shaped =
      shaper.shape(record_of(R"({"id":"x","startTime":1718000000.25,"metadata":{"startTime":1}})"));
  EXPECT_EQ(shaped.bytes(),
            R"({"time":1718000000.25,"sourcetype":"llmtap","index":"ai\"logs","event":)"
            R"({"id":"x","startTime":1718000000.25,"metadata":{"startTime":1}}})");
  EXPECT_EQ(shaped.call_id, "call-1");
  EXPECT_EQ(shaper.shape(record_of(R"({"id":"y","startTime":null})")).bytes(),
            R"({"sourcetype":"llmtap","index":"ai\"logs","event":{"id":"y","startTime":null}})");
}

// Verifies the Datadog envelope puts ddsource/service beside the record's attributes.
TEST(RecordShaperTest, MergesDatadogFieldsIntoTheRecord) {
  config::CallbackConfig callback;
  callback.envelope = config::Envelope::datadog;
  callback.envelope_fields = {{"ddsource", "llmtap"}, {"service", "gateway"}};
  const RecordShaper shaper(callback);
  EXPECT_EQ(shaper.shape(record_of(R"({"id":"x"})")).bytes(),
            R"({"ddsource":"llmtap","service":"gateway","id":"x"})");
  EXPECT_EQ(shaper.shape(record_of("{}")).bytes(), R"({"ddsource":"llmtap","service":"gateway"})");
}

// Verifies that a record over max_batch_bytes is cut (envelope included) to fit a json_array body.
TEST(RecordShaperTest, TruncatesAnOversizedRecordToFitOneBody) {
  config::CallbackConfig callback;
  callback.max_batch_bytes = 1000;
  callback.envelope = config::Envelope::splunk_hec;
  callback.log_format = config::LogFormat::single;
  const RecordShaper shaper(callback);
  const std::string big = R"({"id":"x","startTime":5,"messages":[{"role":"user","content":")" +
                          std::string(5000, 'a') + R"("}],"response":")" + std::string(3000, 'b') +
                          "\"}";
  const auto shaped = shaper.shape(record_of(big));
  EXPECT_LE(shaped.size(), 1000u);
  EXPECT_TRUE(valid_json(shaped.bytes())) << shaped.bytes();
  EXPECT_NE(shaped.bytes().find("...[llmtap: truncated "), std::string_view::npos);
  EXPECT_EQ(shaped.bytes().substr(0, 28), R"({"time":5,"event":{"id":"x",)");
  EXPECT_EQ(shaper.truncated(), 1u);
}

// Verifies that under the datadog envelope a record over Datadog's 1 MB per-log limit is truncated
// field by field to at most 1 MB with its fields, although it would fit max_batch_bytes (5 MB).
TEST(RecordShaperTest, CapsDatadogEntriesAtOneMegabyte) {
  config::CallbackConfig callback;
  callback.max_batch_bytes = 5000000;
  callback.envelope = config::Envelope::datadog;
  callback.envelope_fields = {{"ddsource", "llmtap"}, {"service", "llmtap"}};
  const RecordShaper shaper(callback);
  EXPECT_EQ(shaper.max_record_bytes(), kDatadogMaxEntryBytes);
  const std::string big = R"({"id":"x","messages":[{"role":"user","content":")" +
                          std::string(1500000, 'a') + R"("}],"model":"gpt-4o"})";
  const auto shaped = shaper.shape(record_of(big));
  EXPECT_LE(shaped.size(), kDatadogMaxEntryBytes);
  EXPECT_GT(shaped.size(), kDatadogMaxEntryBytes - 1000);  // cut to the limit, not far below it
  EXPECT_TRUE(valid_json(shaped.bytes()));
  EXPECT_TRUE(shaped.bytes().starts_with(R"({"ddsource":"llmtap","service":"llmtap","id":"x",)"));
  EXPECT_NE(shaped.bytes().find(R"("model":"gpt-4o")"), std::string_view::npos);
  EXPECT_NE(shaped.bytes().find("...[llmtap: truncated "), std::string_view::npos);
  EXPECT_EQ(shaper.truncated(), 1u);

  // A record just under the limit is only enveloped; other envelopes keep max_batch_bytes alone.
  const std::string fits = R"({"c":")" + std::string(900000, 'b') + R"("})";
  EXPECT_EQ(shaper.shape(record_of(fits)).size(),
            fits.size() + std::string_view(R"("ddsource":"llmtap","service":"llmtap",)").size());
  config::CallbackConfig plain;
  plain.max_batch_bytes = 5000000;
  EXPECT_EQ(RecordShaper(plain).max_record_bytes(), 5000000u - 2);
  EXPECT_EQ(RecordShaper(plain).shape(record_of(big)).size(), big.size());
}

}  // namespace
}  // namespace llmtap::delivery
