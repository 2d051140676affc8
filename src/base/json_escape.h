// JSON string escaping (RFC 8259) and UTF-8 repair, for every module that writes JSON text: the
// record writer (payload::JsonWriter), the dead-letter files, the HTTP server's error bodies.
// Quotes, backslashes and control characters are escaped (\n, \t… or \u00XX); valid UTF-8 is
// copied as it is, checked once per string with SIMD; each maximal invalid sequence becomes
// U+FFFD, so the output is always valid UTF-8 whatever the input.
//
// escape_into() is a template over the sink so that a writer with its own cursor (JsonWriter)
// escapes straight into its buffer; it is the hot path of a record's build. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace llmtap::json {

bool is_valid_utf8(std::string_view bytes);

// Appends `bytes` with every invalid UTF-8 sequence replaced by U+FFFD (no escaping).
void append_utf8_repaired(std::string& out, std::string_view bytes);

// Appends `text` escaped as JSON string content (no quotes), repairing invalid UTF-8.
void append_escaped(std::string& out, std::string_view text);
// The same as a whole JSON string, quotes included.
void append_quoted(std::string& out, std::string_view text);

namespace detail {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

constexpr std::uint64_t has_zero_byte(std::uint64_t x) { return (x - kOnes) & ~x & kHighs; }

// True when none of the 8 bytes at `p` needs attention: no control character, quote or
// backslash, and (unless the rest is already known to be valid UTF-8) no byte >= 0x80.
inline bool plain8(const char* p, bool allow_non_ascii) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  std::uint64_t special = ((x - kOnes * 0x20) & ~x & kHighs) | has_zero_byte(x ^ (kOnes * '"')) |
                          has_zero_byte(x ^ (kOnes * '\\'));
  if (!allow_non_ascii) special |= x & kHighs;
  return special == 0;
}

template <class Sink>
void append_ascii_escape(Sink& out, unsigned char c) {
  switch (c) {
    case '"':
      out.append("\\\"", 2);
      return;
    case '\\':
      out.append("\\\\", 2);
      return;
    case '\b':
      out.append("\\b", 2);
      return;
    case '\f':
      out.append("\\f", 2);
      return;
    case '\n':
      out.append("\\n", 2);
      return;
    case '\r':
      out.append("\\r", 2);
      return;
    case '\t':
      out.append("\\t", 2);
      return;
    default:
      break;
  }
  if (c < 0x20) {
    constexpr char kHex[] = "0123456789abcdef";
    char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
    out.append(buf, sizeof buf);
  } else {
    out.push_back(static_cast<char>(c));
  }
}

}  // namespace detail

// Appends `text` escaped as JSON string content to any sink with append(bytes, n) and
// push_back(c): a std::string, or a writer's cursor.
template <class Sink>
void escape_into(Sink& out, std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t run = 0;  // start of the bytes not yet copied
  bool utf8_known_valid = false;
  while (i < n) {
    while (i + 8 <= n && detail::plain8(p + i, utf8_known_valid)) i += 8;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(p[i]);
    if (c >= 0x80) {
      if (!utf8_known_valid) {
        // One check covers the whole rest of the string, so this runs at most once.
        if (!is_valid_utf8(text.substr(i))) {
          // The slow path: repair the rest, then escape the repaired (now valid) copy.
          out.append(p + run, i - run);
          std::string repaired;
          append_utf8_repaired(repaired, text.substr(i));
          escape_into(out, repaired);
          return;
        }
        utf8_known_valid = true;
      }
    } else if (c < 0x20 || c == '"' || c == '\\') {
      out.append(p + run, i - run);
      detail::append_ascii_escape(out, c);
      run = i + 1;
    }
    ++i;
  }
  out.append(p + run, n - run);
}

}  // namespace llmtap::json
