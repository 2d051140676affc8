#include "sink/decode_body.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compress_for_test.h"

namespace llmtap::sink {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kA = R"({"id":"a","usage":{"total_tokens":3}})";
constexpr std::string_view kB = R"({"id":"b","messages":[{"role":"user","content":"hi"}]})";

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out += part;
  return out;
}

// Verifies that each element of a JSON array is a record, with its bytes kept exactly.
TEST(DecodeBodyTest, SplitsJsonArrayKeepingBytes) {
  const std::string body = cat({"[", kA, ", \n ", kB, "]\n"});
  const DecodedBody result = decode_body(body, "application/json", "");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.format, BodyFormat::json_array);
  EXPECT_THAT(result.records, ElementsAre(std::string(kA), std::string(kB)));
}

// Verifies that an empty JSON array is a valid body with no records.
TEST(DecodeBodyTest, AcceptsEmptyArray) {
  const DecodedBody result = decode_body(" [ ] ", "application/json", "");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.format, BodyFormat::json_array);
  EXPECT_TRUE(result.records.empty());
}

// Verifies that an ndjson body gives one record per line, with or without a final newline.
TEST(DecodeBodyTest, SplitsNdjsonLines) {
  for (const std::string& body :
       {cat({kA, "\n", kB, "\n"}), cat({kA, "\r\n", kB}), cat({kA, "\n\n", kB, "\n\n"})}) {
    const DecodedBody result = decode_body(body, "application/x-ndjson; charset=utf-8", "");
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(result.format, BodyFormat::ndjson);
    EXPECT_THAT(result.records, ElementsAre(std::string(kA), std::string(kB))) << body;
  }
}

// Verifies that newline-separated objects are NDJSON even when sent as application/json.
TEST(DecodeBodyTest, DetectsNdjsonWithoutContentType) {
  const DecodedBody result = decode_body(cat({kA, "\n", kB, "\n"}), "application/json", "");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.format, BodyFormat::ndjson);
  EXPECT_THAT(result.records, ElementsAre(std::string(kA), std::string(kB)));
}

// Verifies that a single object, even pretty-printed, is one record.
TEST(DecodeBodyTest, AcceptsSingleObject) {
  const std::string pretty = "{\n  \"id\": \"c\",\n  \"n\": [1, 2]\n}";
  const DecodedBody result = decode_body("\n" + pretty + "\n", "", "");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.format, BodyFormat::single);
  EXPECT_THAT(result.records, ElementsAre(pretty));
}

// Verifies that gzip- and zstd-encoded bodies are decoded before being split.
TEST(DecodeBodyTest, DecodesCompressedBodies) {
  const std::string ndjson = cat({kA, "\n", kB, "\n"});
  const DecodedBody gz = decode_body(test_util::gzip(ndjson), "application/x-ndjson", "gzip");
  ASSERT_TRUE(gz.ok()) << gz.message;
  EXPECT_THAT(gz.records, ElementsAre(std::string(kA), std::string(kB)));
  const DecodedBody zs =
      decode_body(test_util::zstd(cat({"[", kA, "]"})), "application/json", "zstd");
  ASSERT_TRUE(zs.ok()) << zs.message;
  EXPECT_EQ(zs.format, BodyFormat::json_array);
  EXPECT_THAT(zs.records, ElementsAre(std::string(kA)));
}

// Verifies that bodies that are not JSON records are rejected with a reason and a 400.
TEST(DecodeBodyTest, RejectsGarbage) {
  struct Case {
    std::string body;
    std::string content_type;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"hello", "application/json", "not a JSON array"},
      {"[{\"a\":1},]", "application/json", "invalid JSON"},
      {"[{\"a\":1}] x", "application/json", "invalid JSON"},
      {"[1, 2]", "application/json", "record 1: not a JSON object"},
      {"{\"a\":1", "application/json", "record 1: invalid JSON"},
      {"{\"a\":1} x", "application/json", "record 1: invalid JSON"},
      {"{\"a\":1}\nnope\n", "application/x-ndjson", "ndjson line 2: invalid JSON"},
      {"{\"a\":1}\n[1]\n", "application/x-ndjson", "ndjson line 2: not a JSON object"},
      {"[{\"a\":\"\xff\"}]", "application/json", "invalid JSON"},
      {"{\"a\":1}\nnope", "application/json", "ndjson line 2: invalid JSON"},
      {"{\n \"a\": 1,\n}", "application/json", "record 1: invalid JSON"},
  };
  for (const Case& c : cases) {
    const DecodedBody result = decode_body(c.body, c.content_type, "");
    EXPECT_EQ(result.error, DecodeError::bad_json) << c.body;
    EXPECT_EQ(http_status(result.error), 400);
    EXPECT_NE(result.message.find(c.message_part), std::string::npos)
        << c.body << " -> " << result.message;
  }
}

// Verifies that an empty or blank body is an error, not zero records.
TEST(DecodeBodyTest, RejectsEmptyBody) {
  EXPECT_EQ(decode_body("", "application/json", "").error, DecodeError::empty);
  EXPECT_EQ(decode_body(" \n ", "application/x-ndjson", "").error, DecodeError::empty);
}

// Verifies that encoding failures map to their own errors and statuses (400, 413, 415).
TEST(DecodeBodyTest, ReportsEncodingFailures) {
  const DecodedBody corrupt = decode_body("nope", "application/json", "gzip");
  EXPECT_EQ(corrupt.error, DecodeError::bad_encoding);
  EXPECT_EQ(http_status(corrupt.error), 400);
  const DecodedBody unsupported = decode_body("nope", "application/json", "br");
  EXPECT_EQ(unsupported.error, DecodeError::unsupported_encoding);
  EXPECT_EQ(http_status(unsupported.error), 415);
}

// Verifies that a decompression bomb is refused with 413 once it passes the bound.
TEST(DecodeBodyTest, BoundsDecompressedSize) {
  const std::string bomb = test_util::gzip("[" + std::string(1 << 20, ' ') + "]");
  DecodeOptions options;
  options.max_decompressed_bytes = 64 * 1024;
  const DecodedBody result = decode_body(bomb, "application/json", "gzip", options);
  EXPECT_EQ(result.error, DecodeError::too_large);
  EXPECT_EQ(http_status(result.error), 413);
  EXPECT_TRUE(decode_body(bomb, "application/json", "gzip").ok());
}

}  // namespace
}  // namespace llmtap::sink
