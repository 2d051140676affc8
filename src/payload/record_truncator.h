// truncate_record(): brings one serialized record (a compact JSON object) under a byte limit by
// shortening its string values, so a record bigger than a callback's max_batch_bytes is still
// delivered — cut, marked, valid JSON — instead of being dropped or sent oversized (README
// "callback_settings.<name>").
//
// Order: base64 `data:` URIs first (an image is worthless half-sent: cut to its media type), then
// the longest other strings (message contents, answers, error text), each cut at a character
// boundary and ended with the marker `...[llmtap: truncated N bytes]`. If that is not enough
// (a record of many small values), whole top-level objects/arrays are replaced by that marker.
//
// Also top_level_value(): the raw bytes of one top-level member's value, found without parsing
// the rest (used by envelopes to read startTime).
//
// Works on the bytes only (a small tokenizer; no DOM, no re-serialization of untouched parts).
// Pure functions; safe from any thread. Input must be a valid JSON object (records always are).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace llmtap::payload {

inline constexpr std::string_view kTruncationMarker = "...[llmtap: truncated ";

struct Truncated {
  std::string json;
  std::size_t cut_values = 0;  // strings shortened or values replaced
  bool fits = false;           // json.size() <= max_bytes
};

// `json` shortened to at most `max_bytes` where possible. When it already fits, returns it as is.
Truncated truncate_record(std::string_view json, std::size_t max_bytes);

// The raw value of top-level member `key` (e.g. `1718000000.25` for "startTime"); nullopt when the
// object has no such member.
std::optional<std::string_view> top_level_value(std::string_view json, std::string_view key);

}  // namespace llmtap::payload
