// Presets (README "Presets"): the shipped file and the parser for user files.
#include "config/presets.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace llmtap::config {
namespace {

const Preset* find(const std::vector<Preset>& presets, std::string_view name) {
  auto it =
      std::find_if(presets.begin(), presets.end(), [&](const Preset& p) { return p.name == name; });
  return it == presets.end() ? nullptr : &*it;
}

std::string setting(const Preset& p, std::string_view key) {
  for (const auto& [k, v] : p.settings) {
    if (k == key) return v;
  }
  return {};
}

// Verifies that the embedded presets file has no errors and every required preset.
TEST(PresetsTest, BuiltinFileParsesCleanly) {
  PresetParse parsed = parse_presets(R"({"x": {"endpoint": "http://h"}})");
  EXPECT_TRUE(parsed.errors.empty());
  const auto& presets = builtin_presets();
  for (auto name :
       {"sample_callback", "rubrik", "sumologic", "splunk", "datadog", "clickhouse", "webhook"}) {
    const Preset* p = find(presets, name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_FALSE(setting(*p, "endpoint").empty()) << name;
    EXPECT_FALSE(p->environment_variables.empty()) << name;
    EXPECT_FALSE(p->description.empty()) << name;
  }
}

// Verifies the preset details the spec names: rubrik success-only with Bearer auth, sumologic
// and clickhouse ndjson, Splunk and Datadog auth headers.
TEST(PresetsTest, BuiltinValuesMatchTheSpec) {
  const auto& presets = builtin_presets();
  const Preset& rubrik = *find(presets, "rubrik");
  EXPECT_EQ(setting(rubrik, "endpoint"), "{{environment_variables.RUBRIK_WEBHOOK_URL}}");
  EXPECT_EQ(rubrik.event_types, std::vector<std::string>{"llm_api_success"});
  EXPECT_NE(std::find(rubrik.headers.begin(), rubrik.headers.end(),
                      std::pair<std::string, std::string>{
                          "Authorization", "Bearer {{environment_variables.RUBRIK_API_KEY}}"}),
            rubrik.headers.end());
  EXPECT_EQ(setting(*find(presets, "sumologic"), "log_format"), "ndjson");
  const Preset& clickhouse = *find(presets, "clickhouse");
  EXPECT_EQ(setting(clickhouse, "log_format"), "ndjson");
  EXPECT_NE(setting(clickhouse, "endpoint").find("FORMAT%20JSONEachRow"), std::string::npos);
  EXPECT_EQ(find(presets, "splunk")->headers[0].second,
            "Splunk {{environment_variables.SPLUNK_HEC_TOKEN}}");
  EXPECT_EQ(find(presets, "datadog")->headers[0].first, "DD-API-KEY");
}

// Verifies that numeric preset values become the same text a YAML scalar would give.
TEST(PresetsTest, ParsesNumbersAsText) {
  PresetParse parsed =
      parse_presets(R"({"p": {"endpoint": "http://h", "batch_size": 25, "flush_interval": 0.5}})");
  ASSERT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.presets.size(), 1u);
  EXPECT_EQ(setting(parsed.presets[0], "batch_size"), "25");
  EXPECT_EQ(setting(parsed.presets[0], "flush_interval"), "0.5");
}

// Verifies the error text for broken user preset files; broken presets are left out.
TEST(PresetsTest, ReportsBadShapesAndUnknownKeys) {
  EXPECT_EQ(parse_presets("{nope").errors.size(), 1u);
  EXPECT_EQ(parse_presets("[]").errors,
            std::vector<std::string>{"expected a JSON object of preset names to settings"});
  PresetParse parsed = parse_presets(
      R"({"a": {"endpont": "x"}, "b": {"headers": ["x"]}, "c": 3, "d": {"event_types": "x"}})");
  EXPECT_EQ(
      parsed.errors,
      (std::vector<std::string>{
          "a.endpont: unknown key 'endpont'; did you mean 'endpoint'? (known: "
          "batch_size, buffer, buffer_max_bytes, "
          "buffer_path, callback_type, compression, dead_letter_path, docs, endpoint, envelope, "
          "envelope_fields, environment_variables, event_types, flush_interval, fsync, headers, "
          "log_format, max_batch_bytes, max_in_flight, max_queue_bytes, max_queue_records, "
          "max_retry_time, signing_secret, timeout, when_full)",
          "b.headers: expected an object of header names to values", "c: expected an object",
          "d.event_types: expected a list of strings"}));
  EXPECT_TRUE(parsed.presets.empty());
}

}  // namespace
}  // namespace llmtap::config
