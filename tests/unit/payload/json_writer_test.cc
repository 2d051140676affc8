#include "payload/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace llmtap::payload {
namespace {

std::string write_string(std::string_view text) {
  std::string out;
  JsonWriter(out).string(text);
  return out;
}

// Verifies that strings and keys are escaped by json::escape_into (its cases are pinned in
// tests/unit/base/json_escape_test.cc), through the writer's own cursor: special bytes at every
// offset of the 8-byte fast path, valid multi-byte UTF-8, and invalid UTF-8 repaired.
TEST(JsonWriterTest, StringsAndKeysAreEscapedAsJsonEscapeDoes) {
  std::vector<std::string> texts = {
      std::string("a\"b\\c\n\r\t\b\f"),
      std::string("\x01\x1f\x00x", 4),
      "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 and \"quote\" after",
      "a\xFF\x62",  // 0x62 is 'b': a plain b would extend the hex escape
      "a\xE2\x82",
      "\xC0\xAF",
      "\xED\xA0\x80",
      "\xE2\x82\n"};
  for (std::size_t offset = 0; offset < 24; ++offset) {
    texts.emplace_back(24, 'a');
    texts.back()[offset] = '"';
  }
  for (const std::string& text : texts) {
    std::string escaped;
    append_escaped(escaped, text);
    EXPECT_EQ(write_string(text), "\"" + escaped + "\"") << text;
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key(text);
    w.null();
    w.end_object();
    w.finish();
    EXPECT_EQ(out, "{\"" + escaped + "\":null}") << text;
  }
  EXPECT_EQ(write_string(std::string("\x01\x1f\x00x", 4)), R"("\u0001\u001f\u0000x")");
}

// Verifies that raw slices with invalid bytes are repaired rather than passed through.
TEST(JsonWriterTest, RawRepairsInvalidUtf8) {
  std::string out;
  JsonWriter(out).raw("{\"a\":\"x\xFFy\"}");
  EXPECT_EQ(out, "{\"a\":\"x\xEF\xBF\xBDy\"}");
}

// Verifies number formatting, and that NaN / infinities are never emitted.
TEST(JsonWriterTest, PrintsShortestRoundTripAndNullForNonFinite) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.number(0.1);
  w.number(1.5e-6);
  w.number(1700000000.25);
  w.number(std::nan(""));
  w.number(std::numeric_limits<double>::infinity());
  w.number(-std::numeric_limits<double>::infinity());
  w.integer(-42);
  w.end_array();
  w.finish();
  EXPECT_EQ(out, "[0.1,1.5e-06,1700000000.25,null,null,null,-42]");
}

// Verifies the integer fast path of number(): same text as the shortest form, -0 kept.
TEST(JsonWriterTest, PrintsWholeNumbersAsIntegers) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.number(0);
  w.number(57);
  w.number(-3);
  w.number(-0.0);
  w.number(1e300);
  w.end_array();
  w.finish();
  EXPECT_EQ(out, "[0,57,-3,-0,1e+300]");
}

// Verifies seconds(): up to six decimals, trailing zeros dropped, rounding to the microsecond.
TEST(JsonWriterTest, PrintsSecondsWithMicrosecondPrecision) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.seconds(1741569952.123456);
  w.seconds(1741569952.5);
  w.seconds(1741569952.0);
  w.seconds(0.000050);
  w.seconds(0.0000004);
  w.seconds(2.9999996);
  w.seconds(-1.25);
  w.seconds(std::nan(""));
  w.end_array();
  w.finish();
  EXPECT_EQ(out, "[1741569952.123456,1741569952.5,1741569952,0.00005,0,3,-1.25,null]");
}

// Verifies that the literal-key overload writes exactly what the escaping overload does,
// commas included.
TEST(JsonWriterTest, LiteralKeysMatchEscapedKeys) {
  std::string fast;
  std::string slow;
  JsonWriter a(fast);
  JsonWriter b(slow);
  a.begin_object();
  b.begin_object();
  a.key("model");
  b.key(std::string_view("model"));
  a.null();
  b.null();
  a.key("litellm_overhead_time_ms");
  b.key(std::string_view("litellm_overhead_time_ms"));
  a.boolean(false);
  b.boolean(false);
  a.end_object();
  b.end_object();
  a.finish();
  b.finish();
  EXPECT_EQ(fast, R"({"model":null,"litellm_overhead_time_ms":false})");
  EXPECT_EQ(fast, slow);
}

// Verifies the comma logic over nested objects and arrays.
TEST(JsonWriterTest, InsertsCommasBetweenMembers) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.integer(1);
  w.begin_object();
  w.end_object();
  w.null();
  w.end_array();
  w.raw_key("b");
  w.boolean(true);
  w.key("c");
  w.string_or_null("");
  w.end_object();
  w.finish();
  EXPECT_EQ(out, R"({"a":[1,{},null],"b":true,"c":null})");
}

// Verifies that the last-number cache gives each value its own text: the same value again, a
// different one, then the first again, and an integer in between that must not disturb it.
TEST(JsonWriterTest, RepeatedNumbersPrintTheSameText) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.number(1.875e-05);
  w.number(1.875e-05);
  w.number(8.55e-06);
  w.number(3);
  w.number(1.875e-05);
  w.number(-1.875e-05);
  for (double value : {0.5, 0.25, 0.125, 0.0625, 0.03125, 0.5, 8.55e-06}) w.number(value);
  w.end_array();
  w.finish();
  EXPECT_EQ(out,
            "[1.875e-05,1.875e-05,8.55e-06,3,1.875e-05,-1.875e-05,"
            "0.5,0.25,0.125,0.0625,0.03125,0.5,8.55e-06]");
}

// Verifies raw_members(), commas included on both sides.
TEST(JsonWriterTest, RenderedMembers) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.raw_members(R"("a":null,"b":[])");
  w.key("c");
  w.string("success");
  w.raw_members(R"("d":1)");
  w.end_object();
  w.finish();
  EXPECT_EQ(out, R"({"a":null,"b":[],"c":"success","d":1})");
}

// Verifies that the writer appends after what the string held, that thousands of tokens (many
// growths, with reallocation) all land in order, and that finish() leaves no spare bytes.
TEST(JsonWriterTest, AppendsToExistingTextAndGrowsPastAnyReserve) {
  std::string out = "prefix:";
  std::string expected = "prefix:[";
  {
    JsonWriter w(out);
    w.begin_array();
    for (int i = 0; i < 5000; ++i) {
      w.integer(i);
      if (i != 0) expected.push_back(',');  // not "," + to_string(i): GCC 12's false -Wrestrict
      expected += std::to_string(i);
    }
    w.end_array();
  }  // the destructor finishes
  expected += "]";
  EXPECT_EQ(out, expected);
}

// Verifies that finish() hands the string back whole: the caller may change it, and a later
// write appends to the changed string (the writer keeps no stale position).
TEST(JsonWriterTest, WritingAfterFinishAppendsToTheStringAsItIsThen) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.integer(1);
  w.finish();
  EXPECT_EQ(out, "[1");
  out = "{\"replaced\":true";
  out.shrink_to_fit();
  w.null();
  w.finish();
  EXPECT_EQ(out, "{\"replaced\":true,null");
}

// Verifies empty values (whose data() is null for a default view) on a fresh writer, mid-way
// and after finish(): the sanitizer build fails on a null pointer passed to memcpy.
TEST(JsonWriterTest, EmptyViewsAreWrittenWithoutTouchingTheirBytes) {
  std::string fresh;
  JsonWriter(fresh).raw(std::string_view());
  EXPECT_EQ(fresh, "");
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.string(std::string_view());
  w.finish();
  w.string_or_null(std::string_view());
  w.key(std::string_view());
  w.end_array();
  w.finish();
  EXPECT_EQ(out, R"(["",null,"":])");
}

// Verifies raw()'s slow path when the repaired slice is longer than the room asked for (each
// bad byte becomes three), including a line break that must still be compacted away.
TEST(JsonWriterTest, RawRepairThatGrowsTheOutputIsKeptWhole) {
  std::string bad = "[";
  for (int i = 0; i < 400; ++i) bad += "\"\xFF\",";
  bad += "\n1]";
  std::string expected = "[";
  for (int i = 0; i < 400; ++i) expected += "\"\xEF\xBF\xBD\",";
  expected += "1]";
  std::string out;
  JsonWriter w(out);
  w.raw(bad);
  w.finish();
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace llmtap::payload

namespace llmtap::payload {
namespace {

// Verifies that a pretty-printed raw slice is written without line breaks (an NDJSON line must
// hold one whole record), while whitespace inside strings is kept.
TEST(JsonWriterTest, RawSlicesWithLineBreaksAreCompacted) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.raw("{\n  \"a\": \"x y\\n\\\" z\",\r\n  \"b\": [1, 2]\n}");
  w.raw("{\"kept\": \"as is\"}");
  w.end_array();
  w.finish();
  EXPECT_EQ(out, "[{\"a\":\"x y\\n\\\" z\",\"b\":[1,2]},{\"kept\": \"as is\"}]");
}

}  // namespace
}  // namespace llmtap::payload
