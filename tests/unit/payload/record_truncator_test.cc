#include "payload/record_truncator.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace llmtap::payload {
namespace {

bool valid_json(std::string_view json) {
  simdjson::dom::parser parser;
  return parser.parse(simdjson::padded_string(json)).error() == simdjson::SUCCESS;
}

std::string record_with(const std::string& content, const std::string& image) {
  return R"({"id":"chatcmpl-1","startTime":1718000000.5,"model":"gpt-4o","messages":[{"role":"user","content":[)"
         R"({"type":"text","text":")" +
         content + R"("},{"type":"image_url","image_url":{"url":")" + image +
         R"("}}]}],"response":{"choices":[{"message":{"content":"short answer"}}]},"status":"success"})";
}

// Verifies that nothing changes under the limit.
TEST(RecordTruncatorTest, LeavesARecordThatFitsAlone) {
  const std::string json = record_with("hello", "https://x/y.png");
  const Truncated out = truncate_record(json, json.size());
  EXPECT_EQ(out.json, json);
  EXPECT_TRUE(out.fits);
  EXPECT_EQ(out.cut_values, 0u);
}

// Verifies that a base64 image goes before any text, cut to its header plus a marker.
TEST(RecordTruncatorTest, CutsDataUrisFirstKeepingTheirMediaType) {
  const std::string image = "data:image/png;base64," + std::string(100000, 'A');
  const std::string json = record_with(std::string(2000, 'x'), image);
  const Truncated out = truncate_record(json, 5000);
  EXPECT_TRUE(out.fits);
  EXPECT_EQ(out.cut_values, 1u);
  EXPECT_TRUE(valid_json(out.json));
  EXPECT_NE(out.json.find(R"("url":"data:image/png;base64,...[llmtap: truncated 100000 bytes]")"),
            std::string::npos);
  EXPECT_NE(out.json.find(std::string(2000, 'x')), std::string::npos);  // the text survived
}

// Verifies texts are shortened (never inside an escape, a UTF-8 sequence or a surrogate pair)
// and the result is valid JSON within the limit.
TEST(RecordTruncatorTest, CutsTheLongestTextsNextAtCharacterBoundaries) {
  std::string content;
  for (int i = 0; i < 3000; ++i)
    content += (i % 3 == 0) ? "\\u00e9" : (i % 3 == 1) ? "\xC3\xA9" : "\\ud83d\\ude00";
  const std::string json = record_with(content, "https://x/y.png");
  for (std::size_t limit : {1000u, 1001u, 1002u, 1003u, 1005u, 1007u, 1011u, 4096u}) {
    const Truncated out = truncate_record(json, limit);
    EXPECT_TRUE(out.fits) << limit;
    EXPECT_LE(out.json.size(), limit);
    EXPECT_TRUE(valid_json(out.json)) << out.json;
    EXPECT_NE(out.json.find("...[llmtap: truncated "), std::string::npos);
    EXPECT_NE(out.json.find("\"short answer\""), std::string::npos);  // short values are kept
  }
}

// Verifies the last resort: many small values replaced by one marker per top-level container.
TEST(RecordTruncatorTest, ReplacesWholeValuesWhenStringsAreNotEnough) {
  std::string numbers = "[";
  for (int i = 0; i < 2000; ++i) numbers += std::to_string(i) + ",";
  numbers.back() = ']';
  const std::string json = R"({"id":"a","numbers":)" + numbers + R"(,"status":"success"})";
  const Truncated out = truncate_record(json, 200);
  EXPECT_TRUE(out.fits);
  EXPECT_TRUE(valid_json(out.json));
  EXPECT_NE(out.json.find(R"("numbers":"...[llmtap: truncated )"), std::string::npos);
  EXPECT_NE(out.json.find(R"("status":"success")"), std::string::npos);
}

// Verifies that nested keys and string contents never shadow the top-level member.
TEST(RecordTruncatorTest, FindsTopLevelValuesOnly) {
  const std::string json =
      R"({"metadata":{"startTime":1},"note":"\"startTime\":2","startTime":1718000000.25,"x":"s"})";
  EXPECT_EQ(top_level_value(json, "startTime"), "1718000000.25");
  EXPECT_EQ(top_level_value(json, "x"), "\"s\"");
  EXPECT_EQ(top_level_value(json, "nope"), std::nullopt);
  EXPECT_EQ(top_level_value(R"({"a": null})", "a"), "null");
}

}  // namespace
}  // namespace llmtap::payload
