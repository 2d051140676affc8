#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "providers/json/ondemand_read.h"
#include "providers/json/padded_ondemand_parser.h"

namespace llmtap::providers {
namespace {

namespace od = simdjson::ondemand;

// The members of a one-object document, each read by `read` as what the member's key says.
struct Read {
  bool complete = false;
  std::vector<std::string> seen;  // "key=what was read"
};

Read read_all(std::string_view json) {
  PaddedOndemandParser parser;
  od::document doc;
  od::object root;
  Read read;
  if (parser.iterate(json, doc) != simdjson::SUCCESS ||
      doc.get_object().get(root) != simdjson::SUCCESS) {
    return read;
  }
  read.complete = for_each_member(root, [&](std::string_view key, od::value value) {
    std::string entry(key);
    entry += '=';
    bool present = false;
    if (key == "token") {
      std::string_view token;
      if (!read_token(value, token)) return false;
      entry += token.empty() ? "-" : std::string(token);
    } else if (key == "string") {
      std::string_view text;
      if (!read_string(value, text, present)) return false;
      entry += present ? std::string(text) : "-";
    } else if (key == "count") {
      std::int64_t n = 7;
      if (!read_count(value, n, present)) return false;
      entry += present ? std::to_string(n) : "-" + std::to_string(n);
    } else if (key == "flag") {
      bool flag = false;
      if (!read_bool(value, flag)) return false;
      entry += flag ? "true" : "false";
    } else if (key == "object") {
      od::object object;
      if (!read_object(value, object, present)) return false;
      if (!present) {
        entry += "-";
      } else if (!for_each_member(object, [&](std::string_view k, od::value) {
                   entry += std::string(k) + ";";
                   return true;
                 })) {
        return false;
      }
    } else if (key == "array") {
      od::array array;
      if (!read_array(value, array, present)) return false;
      if (!present) {
        entry += "-";
      } else if (!for_each_element(array, [&](od::value element) {
                   std::string_view token;
                   if (!read_token(element, token)) return false;
                   entry += std::string(token) + ";";
                   return true;
                 })) {
        return false;
      }
    } else {
      entry += "skipped";
    }
    read.seen.push_back(entry);
    return true;
  });
  return read;
}

// Verifies each reader on its own type: a token keeps its quotes and escapes (no trailing space),
// a string is unescaped, a count, a bool, an object's keys and an array's elements in order.
TEST(OndemandReadTest, ReadsEachType) {
  const Read read =
      read_all(R"({"token": "a\"b\u00e9" , "string":"a\"b","count":42,"flag":true,)"
               R"("object":{"x":1,"y":[2]},"array":["p", "q"],"other":{"deep":[1,2]}})");
  EXPECT_TRUE(read.complete);
  EXPECT_EQ(read.seen, (std::vector<std::string>{R"(token="a\"b\u00e9")", R"(string=a"b)",
                                                 "count=42", "flag=true", "object=x;y;",
                                                 R"(array="p";"q";)", "other=skipped"}));
}

// Verifies that a value of another type is soft: not present, the reading goes on, and a
// negative or null count leaves the caller's count as it was (LiteLLM's 0 for null).
TEST(OndemandReadTest, OtherTypesAreSoft) {
  const Read read =
      read_all(R"({"token":null,"string":5,"count":-3,"flag":"yes","object":[1],"array":{"a":1},)"
               R"("count":null,"count":"9"})");
  EXPECT_TRUE(read.complete);
  EXPECT_EQ(read.seen, (std::vector<std::string>{"token=-", "string=-", "count=-7", "flag=false",
                                                 "object=-", "array=-", "count=-7", "count=-7"}));
}

// Verifies that a hard error ends the reading at the member it is in, keeping what came before.
TEST(OndemandReadTest, HardErrorStopsTheReading) {
  const Read broken_string = read_all(R"({"count":1,"string":"a\x","count":2})");
  EXPECT_FALSE(broken_string.complete);
  EXPECT_EQ(broken_string.seen, (std::vector<std::string>{"count=1"}));

  const Read no_comma = read_all(R"({"count":1,"array":["p" "q"],"count":2})");
  EXPECT_FALSE(no_comma.complete);
  EXPECT_EQ(no_comma.seen, (std::vector<std::string>{"count=1"}));
}

// Verifies the two-argument read_count: only a non-negative integer replaces the count.
TEST(OndemandReadTest, CountOnlyReplacedByNonNegativeIntegers) {
  PaddedOndemandParser parser;
  for (const auto& [json, expected] : std::vector<std::pair<std::string_view, std::int64_t>>{
           {"[12]", 12}, {"[-1]", 5}, {"[null]", 5}, {"[1.5]", 5}}) {
    od::document doc;
    od::array array;
    ASSERT_EQ(parser.iterate(json, doc), simdjson::SUCCESS);
    ASSERT_EQ(doc.get_array().get(array), simdjson::SUCCESS);
    std::int64_t n = 5;
    EXPECT_TRUE(for_each_element(array, [&](od::value v) { return read_count(v, n); })) << json;
    EXPECT_EQ(n, expected) << json;
  }
}

}  // namespace
}  // namespace llmtap::providers
