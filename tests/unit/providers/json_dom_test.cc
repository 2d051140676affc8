#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <string_view>

#include "payload/json_writer.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"
#include "providers/json/padded_dom_parser.h"

namespace llmtap::providers {
namespace {

simdjson::dom::object object_of(PaddedDomParser& parser, std::string_view json) {
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(json, element), simdjson::SUCCESS) << json;
  simdjson::dom::object object;
  EXPECT_EQ(element.get(object), simdjson::SUCCESS) << json;
  return object;
}

// Verifies string_member, has_member and count_member on present, null, absent and mistyped
// members.
TEST(DomMembersTest, MissingNullAndMistypedMembers) {
  PaddedDomParser parser;
  const simdjson::dom::object object = object_of(
      parser, R"({"s":"text","e":"","n":null,"i":12,"neg":-4,"f":2.5,"big":18446744073709551615})");
  EXPECT_EQ(string_member(object, "s"), "text");
  EXPECT_EQ(string_member(object, "i"), "");
  EXPECT_EQ(string_member(object, "n"), "");
  EXPECT_EQ(string_member(object, "absent"), "");

  EXPECT_TRUE(has_member(object, "s"));
  EXPECT_TRUE(has_member(object, "e"));
  EXPECT_FALSE(has_member(object, "n"));
  EXPECT_FALSE(has_member(object, "absent"));

  EXPECT_EQ(count_member(object, "i"), 12);
  EXPECT_EQ(count_member(object, "neg"), 0);
  EXPECT_EQ(count_member(object, "f"), 0);
  EXPECT_EQ(count_member(object, "big"), 0);
  EXPECT_EQ(count_member(object, "n"), 0);
  EXPECT_EQ(count_member(object, "s"), 0);
  EXPECT_EQ(count_member(object, "absent"), 0);
}

std::string copied(std::string_view json) {
  PaddedDomParser parser;
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(json, element), simdjson::SUCCESS) << json;
  std::string out;
  payload::JsonWriter w(out);
  copy_element(w, element);
  w.finish();
  return out;
}

// Verifies that every JSON type is copied: nesting and key order kept, whitespace dropped,
// strings re-escaped, integers past int64 keeping their digits, doubles re-printed.
TEST(DomCopyTest, CopiesEveryType) {
  EXPECT_EQ(copied(R"( { "b" : [1, -2, 18446744073709551615, 2.5, 1e2], "a": {"t":true,)"
                   R"("f":false,"n":null}, "s":"q\"\u00e9\n\u0001" } )"),
            R"({"b":[1,-2,18446744073709551615,2.5,100],"a":{"t":true,"f":false,"n":null},)"
            "\"s\":\"q\\\"\xc3\xa9\\n\\u0001\"}");
  EXPECT_EQ(copied("[]"), "[]");
  EXPECT_EQ(copied("{}"), "{}");
  EXPECT_EQ(copied(R"("alone")"), R"("alone")");
}

}  // namespace
}  // namespace llmtap::providers
