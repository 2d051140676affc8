// Lookups of one member of a parsed (DOM) object, with LiteLLM's reading of what is missing: the
// answer and request translators read a provider's or a client's optional fields this way, where
// an absent member, a null and a value of another type all mean "not given".
//
// Pure functions; thread-safe. Views point into the parser that holds the object.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>

namespace llmtap::providers {

// A string member's value; empty when absent, null or not a string.
std::string_view string_member(simdjson::dom::object object, std::string_view key);

// Whether the member is there and not null.
bool has_member(simdjson::dom::object object, std::string_view key);

// A token count: the member as a non-negative integer, else 0 (absent or null: LiteLLM's 0).
std::int64_t count_member(simdjson::dom::object object, std::string_view key);

}  // namespace llmtap::providers
