// Readers over simdjson on-demand values for the stream translators, which read each native
// event in one forward pass. Every object is walked member by member, never by key lookups:
// simdjson 3.0.1's unordered lookup rewinds an object assuming a first pass validated it, which a
// malformed event breaks (undefined behaviour, found by tests/fuzz/anthropic_stream_fuzz.cc), and
// an iterator is abandoned after a hard error, so the first one ends the event's reading.
//
// Every reader returns false on a hard error (bad JSON, a cut-off value) and true otherwise. A
// value of another type than expected (null where a string may be) is soft: the reader says the
// value is not `present` and the caller skips the member.
//
// Header-only (the templates and the per-value calls inline into each translator's pass);
// stateless, thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <utility>

namespace llmtap::providers {

// A value of another type than asked for: skipped, not an error.
constexpr bool is_soft_error(simdjson::error_code error) {
  return error == simdjson::INCORRECT_TYPE;
}

// Calls `on_member(key, value)` for each member, in order, until it returns false. False on a
// hard error or when `on_member` said so.
template <typename OnMember>
bool for_each_member(simdjson::ondemand::object object, OnMember on_member) {
  for (auto member : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(member).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS || !on_member(key, field.value())) {
      return false;
    }
  }
  return true;
}

// Calls `on_element(value)` for each element, in order, until it returns false. False on a hard
// error or when `on_element` said so.
template <typename OnElement>
bool for_each_element(simdjson::ondemand::array array, OnElement on_element) {
  for (auto element : array) {
    simdjson::ondemand::value value;
    if (std::move(element).get(value) != simdjson::SUCCESS || !on_element(value)) return false;
  }
  return true;
}

// A string value as its JSON token, quotes included and escapes kept as they arrived, so it is
// copied into a chunk without being unescaped and escaped again. simdjson has checked the
// document's UTF-8 and unescaped control characters; get_string() checks the escapes (into the
// parser's own buffer, no allocation). Another type leaves `token` empty.
inline bool read_token(simdjson::ondemand::value value, std::string_view& token) {
  const std::string_view raw = value.raw_json_token();
  std::string_view unescaped;
  if (const simdjson::error_code error = value.get_string().get(unescaped)) {
    token = {};
    return is_soft_error(error);
  }
  // The token runs up to the next one: drop the whitespace after the closing quote.
  token = raw.substr(0, raw.rfind('"') + 1);
  return token.size() >= 2;
}

// A string value, unescaped (a view into the parser's buffer); `present` false for another type.
inline bool read_string(simdjson::ondemand::value value, std::string_view& text, bool& present) {
  const simdjson::error_code error = value.get_string().get(text);
  present = error == simdjson::SUCCESS;
  return present || is_soft_error(error);
}

// An object value; `present` false for another type.
inline bool read_object(simdjson::ondemand::value value, simdjson::ondemand::object& object,
                        bool& present) {
  const simdjson::error_code error = value.get_object().get(object);
  present = error == simdjson::SUCCESS;
  return present || is_soft_error(error);
}

// An array value; `present` false for another type.
inline bool read_array(simdjson::ondemand::value value, simdjson::ondemand::array& array,
                       bool& present) {
  const simdjson::error_code error = value.get_array().get(array);
  present = error == simdjson::SUCCESS;
  return present || is_soft_error(error);
}

// A boolean value; `flag` unchanged for another type.
inline bool read_bool(simdjson::ondemand::value value, bool& flag) {
  const simdjson::error_code error = value.get_bool().get(flag);
  return error == simdjson::SUCCESS || is_soft_error(error);
}

// A token count: `n` set and `present` true only for a non-negative integer (null, another type
// or a negative number: LiteLLM's 0, so the caller keeps what it had).
inline bool read_count(simdjson::ondemand::value value, std::int64_t& n, bool& present) {
  std::int64_t read = 0;
  const simdjson::error_code error = value.get_int64().get(read);
  present = error == simdjson::SUCCESS && read >= 0;
  if (present) n = read;
  return error == simdjson::SUCCESS || is_soft_error(error);
}

// The same, for a caller that only keeps the count.
inline bool read_count(simdjson::ondemand::value value, std::int64_t& n) {
  bool present = false;
  return read_count(value, n, present);
}

}  // namespace llmtap::providers
