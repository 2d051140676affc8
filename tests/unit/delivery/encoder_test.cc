#include "delivery/encoder.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace llmtap::delivery {
namespace {

std::vector<payload::Record> records(std::vector<std::string> jsons) {
  std::vector<payload::Record> out;
  for (auto& j : jsons) {
    payload::Record r;
    r.json = std::make_shared<const std::string>(std::move(j));
    out.push_back(std::move(r));
  }
  return out;
}

// Verifies that json_array produces `[r1,r2]` with no whitespace and an exact-size body.
TEST(EncoderTest, JsonArrayConcatenatesWithCommas) {
  Encoder e(config::LogFormat::json_array);
  auto rs = records({R"({"a":1})", R"({"b":"x,y"})"});
  const std::string body = e.encode(rs);
  EXPECT_EQ(body, R"([{"a":1},{"b":"x,y"}])");
  EXPECT_EQ(e.encoded_size(rs), body.size());
  EXPECT_EQ(e.content_type(), "application/json");
}

// Verifies the json_array edge cases: one record and an empty batch.
TEST(EncoderTest, JsonArrayOfOneAndOfNone) {
  Encoder e(config::LogFormat::json_array);
  EXPECT_EQ(e.encode(records({"{}"})), "[{}]");
  EXPECT_EQ(e.encode({}), "[]");
  EXPECT_EQ(e.encoded_size({}), 2u);
}

// Verifies that ndjson puts each record on its own line, final newline included.
TEST(EncoderTest, NdjsonEndsEveryRecordWithNewline) {
  Encoder e(config::LogFormat::ndjson);
  auto rs = records({R"({"a":1})", R"({"b":2})"});
  const std::string body = e.encode(rs);
  EXPECT_EQ(body, "{\"a\":1}\n{\"b\":2}\n");
  EXPECT_EQ(e.encoded_size(rs), body.size());
  EXPECT_EQ(e.content_type(), "application/x-ndjson");
}

// Verifies that single sends the record's bytes unchanged.
TEST(EncoderTest, SingleIsTheRecordBytes) {
  Encoder e(config::LogFormat::single);
  auto rs = records({R"({"id":"c1","messages":[{"role":"user"}]})"});
  EXPECT_EQ(e.encode(rs), R"({"id":"c1","messages":[{"role":"user"}]})");
  EXPECT_EQ(e.encoded_size(rs), rs[0].size());
  EXPECT_EQ(e.content_type(), "application/json");
}

}  // namespace
}  // namespace llmtap::delivery
