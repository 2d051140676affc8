#include "base/json_escape.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace llmtap::json {
namespace {

std::string escaped(std::string_view text) {
  std::string out;
  append_escaped(out, text);
  return out;
}

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD

// Verifies that RFC 8259's mandatory escapes are applied, control characters as \u00XX.
TEST(JsonEscapeTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(escaped(std::string("a\"b\\c\n\r\t\b\f")), R"(a\"b\\c\n\r\t\b\f)");
  EXPECT_EQ(escaped(std::string("\x01\x1f\x00x", 4)), R"(\u0001\u001f\u0000x)");
}

// Verifies that the 8-byte fast path still finds a special byte at any offset.
TEST(JsonEscapeTest, EscapesInsideLongPlainRuns) {
  for (std::size_t offset = 0; offset < 24; ++offset) {
    std::string text(24, 'a');
    text[offset] = '"';
    // Appended piece by piece: std::string(…) + "…" trips GCC 12's false -Wrestrict at -O3.
    std::string expected(offset, 'a');
    expected.append("\\\"").append(23 - offset, 'a');
    EXPECT_EQ(escaped(text), expected) << offset;
  }
}

// Verifies that valid multi-byte UTF-8 (2, 3 and 4 bytes) passes through unchanged.
TEST(JsonEscapeTest, KeepsValidUtf8) {
  const std::string text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 and \"quote\" after";
  EXPECT_EQ(escaped(text), "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 and \\\"quote\\\" after");
  EXPECT_TRUE(is_valid_utf8(text));
}

// Verifies that bad bytes, truncated sequences, overlongs and surrogates each become U+FFFD,
// and that escaping goes on after a repair.
TEST(JsonEscapeTest, ReplacesInvalidUtf8WithReplacementCharacter) {
  EXPECT_EQ(escaped("a\xFF"
                    "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(escaped("a\xE2\x82"), "a" + kFffd);               // truncated at the end
  EXPECT_EQ(escaped("\xC0\xAF"), kFffd + kFffd);              // overlong '/'
  EXPECT_EQ(escaped("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // surrogate
  EXPECT_EQ(escaped("\xE2\x82\n"), kFffd + "\\n");            // escaping continues
  EXPECT_EQ(escaped("\"x\" \xC3\xA9 \xFF\x01"), "\\\"x\\\" \xC3\xA9 " + kFffd + "\\u0001");
  EXPECT_FALSE(is_valid_utf8("a\xFF"));
}

// Verifies that repair alone keeps JSON's special characters as they are and replaces only bad
// bytes.
TEST(JsonEscapeTest, RepairWithoutEscaping) {
  std::string out = "kept:";
  append_utf8_repaired(out, "\"q\"\n\xC3\xA9\xFF");
  EXPECT_EQ(out, "kept:\"q\"\n\xC3\xA9" + kFffd);
}

// A sink that is not a std::string, as a writer's cursor is.
struct CountingSink {
  std::string text;
  int appends = 0;
  void append(const char* bytes, std::size_t n) {
    text.append(bytes, n);
    ++appends;
  }
  void push_back(char c) { text.push_back(c); }
};

// Verifies that escape_into() writes to any sink the same bytes append_escaped() gives, and
// copies a plain run in one piece.
TEST(JsonEscapeTest, AnySinkGetsTheSameBytes) {
  for (std::string_view text : {"plain text that needs nothing", "a\"b\n\xC3\xA9", "x\xFFy\x02"}) {
    CountingSink sink;
    escape_into(sink, text);
    EXPECT_EQ(sink.text, escaped(text));
  }
  CountingSink plain;
  escape_into(plain, "plain text that needs nothing");
  EXPECT_EQ(plain.appends, 1);
}

// Verifies that append_quoted writes a whole JSON string: quotes, escapes and repaired UTF-8.
TEST(JsonEscapeTest, AppendQuotedWritesAWholeString) {
  std::string out = "x=";
  append_quoted(out, "a\"b\xFF");
  EXPECT_EQ(out, "x=\"a\\\"b\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace llmtap::json
