#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "providers/json/padded_dom_parser.h"
#include "providers/json/padded_ondemand_parser.h"

namespace llmtap::providers {
namespace {

// Verifies that a view without padding parses (a slice of a larger buffer: the bytes after it
// are not read as part of the document), and that a short document after a long one parses the
// same as on a fresh parser (the reused buffer's padding is zeros, not the earlier bytes).
TEST(PaddedOndemandParserTest, ReusedBufferDoesNotLeakEarlierBytes) {
  PaddedOndemandParser parser;
  const std::string buffer = R"({"a":"long value here"}{"b":1})";
  simdjson::ondemand::document doc;
  std::string_view text;
  ASSERT_EQ(parser.iterate(std::string_view(buffer).substr(0, 23), doc), simdjson::SUCCESS);
  ASSERT_EQ(doc["a"].get_string().get(text), simdjson::SUCCESS);
  EXPECT_EQ(text, "long value here");

  // Shorter documents in the same buffer: read to their own end, not into the earlier bytes.
  std::int64_t n = 0;
  ASSERT_EQ(parser.iterate("12", doc), simdjson::SUCCESS);
  ASSERT_EQ(doc.get_int64().get(n), simdjson::SUCCESS);
  EXPECT_EQ(n, 12);
  ASSERT_EQ(parser.iterate(R"({"a":"lo)", doc) == simdjson::SUCCESS &&
                doc["a"].get_string().get(text) == simdjson::SUCCESS,
            false);

  // Empty data (an SSE `data:` line with nothing after it) is no document.
  const bool iterated = parser.iterate("", doc) == simdjson::SUCCESS;
  EXPECT_FALSE(iterated && doc.get_object().error() == simdjson::SUCCESS);
}

// Verifies that the DOM parser reads a view of a larger buffer, and that each parse replaces the
// previous document.
TEST(PaddedDomParserTest, ParsesSlicesAndReusesItsBuffer) {
  PaddedDomParser parser;
  const std::string buffer = R"([1,2,3]garbage)";
  simdjson::dom::element element;
  ASSERT_EQ(parser.parse(std::string_view(buffer).substr(0, 7), element), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::minify(element), "[1,2,3]");
  ASSERT_EQ(parser.parse(R"({"k":"v"})", element), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::minify(element), R"({"k":"v"})");
  EXPECT_NE(parser.parse(R"({"k":)", element), simdjson::SUCCESS);
  EXPECT_NE(parser.parse("", element), simdjson::SUCCESS);
}

}  // namespace
}  // namespace llmtap::providers
