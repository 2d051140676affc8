// Private JSON helpers of the Cohere translators: a DOM parser over its own padded copy, member
// lookups with LiteLLM's reading of "absent", and a parsed value copied through a JsonWriter.
// Same names and contracts as the shared ones being extracted to src/providers/json/
// (PaddedDomParser, string_member, count_member, copy_element): once those land, these go.
//
// PaddedDomParser is not thread-safe (the translators keep theirs thread_local); the functions
// are pure.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace llmtap::payload {
class JsonWriter;
}  // namespace llmtap::payload

namespace llmtap::providers::cohere {

// A DOM parser over its own reused, zero-padded buffer: the inputs are views into bodies that
// have no padding. Each parse() invalidates the elements of the previous one.
class PaddedDomParser {
 public:
  simdjson::error_code parse(std::string_view json, simdjson::dom::element& out);

 private:
  simdjson::dom::parser parser_;
  std::string buffer_;
};

// A string member's value; empty when absent, null or not a string.
std::string_view string_member(simdjson::dom::object object, std::string_view key);
// A token count: the member as a non-negative integer, else 0 (absent or null: LiteLLM's 0).
std::int64_t count_member(simdjson::dom::object object, std::string_view key);
// Writes a parsed value again (keys and strings re-escaped, numbers re-printed, integers past
// int64 with their digits).
void copy_element(payload::JsonWriter& w, simdjson::dom::element element);

// Whether `key` is one of `names` (a request translator's parameter lists).
template <class Names>
bool contains(const Names& names, std::string_view key) {
  for (std::string_view name : names) {
    if (name == key) return true;
  }
  return false;
}

}  // namespace llmtap::providers::cohere
