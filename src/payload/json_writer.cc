#include "payload/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include <simdjson.h>

namespace llmtap::payload {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

constexpr std::uint64_t has_zero_byte(std::uint64_t x) { return (x - kOnes) & ~x & kHighs; }

// True when none of the 8 bytes at `p` needs attention: no control character, quote or backslash,
// and (unless the rest is already known to be valid UTF-8) no byte >= 0x80.
inline bool plain8(const char* p, bool allow_non_ascii) {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  std::uint64_t special = ((x - kOnes * 0x20) & ~x & kHighs) | has_zero_byte(x ^ (kOnes * '"')) |
                          has_zero_byte(x ^ (kOnes * '\\'));
  if (!allow_non_ascii) special |= x & kHighs;
  return special == 0;
}

void append_ascii_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (c < 0x20) {
    constexpr char kHex[] = "0123456789abcdef";
    char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
    out.append(buf, sizeof buf);
  } else {
    out.push_back(static_cast<char>(c));
  }
}

// Decodes UTF-8 by hand and replaces each maximal invalid subpart (Unicode §3.9, as WHATWG does)
// with U+FFFD. The slow path: taken only when a fast validity check has failed.
template <bool kEscape>
void append_repaired(std::string& out, std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if constexpr (kEscape) {
        append_ascii_escape(out, c);
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    std::size_t need = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c == 0xE0) {
      need = 2, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      need = 2;
    } else if (c == 0xED) {
      need = 2, hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      need = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      need = 3;
    } else if (c == 0xF4) {
      need = 3, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      out += kReplacement;
      ++i;
      continue;
    }
    std::size_t j = 1;
    for (; j <= need && i + j < n; ++j) {
      const unsigned char cc = p[i + j];
      if (cc < (j == 1 ? lo : 0x80) || cc > (j == 1 ? hi : 0xBF)) break;
    }
    if (j == need + 1) {
      out.append(text.data() + i, need + 1);
    } else {
      out += kReplacement;
    }
    i += j;
  }
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  return simdjson::validate_utf8(bytes.data(), bytes.size());
}

void append_utf8_repaired(std::string& out, std::string_view bytes) {
  append_repaired<false>(out, bytes);
}

void append_escaped(std::string& out, std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t run = 0;  // start of the bytes not yet copied
  bool utf8_known_valid = false;
  while (i < n) {
    while (i + 8 <= n && plain8(p + i, utf8_known_valid)) i += 8;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(p[i]);
    if (c >= 0x80) {
      if (!utf8_known_valid) {
        // One check covers the whole rest of the string, so this runs at most once.
        if (!is_valid_utf8(text.substr(i))) {
          out.append(p + run, i - run);
          append_repaired<true>(out, text.substr(i));
          return;
        }
        utf8_known_valid = true;
      }
    } else if (c < 0x20 || c == '"' || c == '\\') {
      out.append(p + run, i - run);
      append_ascii_escape(out, c);
      run = i + 1;
    }
    ++i;
  }
  out.append(p + run, n - run);
}

void JsonWriter::begin_object() {
  separate();
  out_.push_back('{');
  need_comma_ = false;
}

void JsonWriter::end_object() {
  out_.push_back('}');
  need_comma_ = true;
}

void JsonWriter::begin_array() {
  separate();
  out_.push_back('[');
  need_comma_ = false;
}

void JsonWriter::end_array() {
  out_.push_back(']');
  need_comma_ = true;
}

void JsonWriter::key(std::string_view name) {
  separate();
  out_.push_back('"');
  append_escaped(out_, name);
  out_ += "\":";
  need_comma_ = false;
}

void JsonWriter::separated(std::string_view token) {
  // Small tokens (",null", ",\"model\":") are assembled on the stack so the string is grown once.
  char buf[80];
  if (token.size() < sizeof buf) {
    std::size_t n = 0;
    if (need_comma_) buf[n++] = ',';
    std::memcpy(buf + n, token.data(), token.size());
    out_.append(buf, n + token.size());
  } else {
    separate();
    out_ += token;
  }
}

void JsonWriter::literal_key(std::string_view name) {
  char buf[80];
  if (name.size() + 4 > sizeof buf) {
    key(name);
    return;
  }
  std::size_t n = 0;
  if (need_comma_) buf[n++] = ',';
  buf[n++] = '"';
  std::memcpy(buf + n, name.data(), name.size());
  n += name.size();
  buf[n++] = '"';
  buf[n++] = ':';
  out_.append(buf, n);
  need_comma_ = false;
}

void JsonWriter::raw_key(std::string_view escaped_name) {
  separate();
  out_.push_back('"');
  out_ += escaped_name;
  out_ += "\":";
  need_comma_ = false;
}

void JsonWriter::string(std::string_view value) {
  separate();
  out_.push_back('"');
  append_escaped(out_, value);
  out_.push_back('"');
  need_comma_ = true;
}

void JsonWriter::string_or_null(std::string_view value) {
  if (value.empty()) {
    null();
  } else {
    string(value);
  }
}

void JsonWriter::number(double value) {
  if (!std::isfinite(value)) {
    null();
    return;
  }
  // Whole numbers (zero costs, token counts kept as doubles) print as integers, which is what the
  // shortest round-trip form of them is anyway, for a fraction of the cost.
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (value == std::trunc(value) && std::fabs(value) < kExactIntegerLimit && !(value == 0 && std::signbit(value))) {
    integer(static_cast<std::int64_t>(value));
    return;
  }
  separate();
  char buf[32];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, result.ptr);
  need_comma_ = true;
}

void JsonWriter::seconds(double value) {
  if (!std::isfinite(value)) {
    null();
    return;
  }
  constexpr double kMicrosPerSecond = 1e6;
  constexpr double kLimit = 9.0e12;  // ~285,000 years in seconds: far past any clock, still exact in µs
  if (std::fabs(value) >= kLimit) {
    number(value);
    return;
  }
  const auto micros = static_cast<std::int64_t>(std::llround(value * kMicrosPerSecond));
  const std::uint64_t magnitude = micros < 0 ? static_cast<std::uint64_t>(-micros) : static_cast<std::uint64_t>(micros);
  std::uint64_t fraction = magnitude % 1000000;
  char buf[40];
  char* p = buf;
  if (micros < 0) *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, magnitude / 1000000).ptr;
  if (fraction != 0) {
    int digits = 6;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --digits;
    }
    *p++ = '.';
    char* end = p + digits;
    for (char* q = end; q != p;) {
      *--q = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    p = end;
  }
  separate();
  out_.append(buf, static_cast<std::size_t>(p - buf));
  need_comma_ = true;
}

void JsonWriter::integer(std::int64_t value) {
  separate();
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, result.ptr);
  need_comma_ = true;
}

void JsonWriter::boolean(bool value) {
  separated(value ? "true" : "false");
  need_comma_ = true;
}

void JsonWriter::null() {
  separated("null");
  need_comma_ = true;
}

namespace {

// Removes whitespace outside strings from out[from, end). Valid JSON cannot hold a raw line break
// inside a string, so any '\n' or '\r' in a raw slice is layout — and one inside a record would
// split an NDJSON line. Pretty-printed slices are rare (a client's indented body, a price-map
// entry), so this runs only when a line break is present.
void compact_tail(std::string& out, std::size_t from) {
  // Two memchr scans: std::string::find_first_of with a set tests each byte against the set one
  // call at a time, which profiling showed to be half of a record's build time.
  const char* begin = out.data() + from;
  const std::size_t length = out.size() - from;
  if (std::memchr(begin, '\n', length) == nullptr && std::memchr(begin, '\r', length) == nullptr) return;
  std::size_t write = from;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t read = from; read < out.size(); ++read) {
    const char c = out[read];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    } else if (c == '"') {
      in_string = true;
    }
    out[write++] = c;
  }
  out.resize(write);
}

}  // namespace

void JsonWriter::raw(std::string_view json) {
  separate();
  const std::size_t start = out_.size();
  if (is_valid_utf8(json)) {
    out_ += json;
  } else {
    append_utf8_repaired(out_, json);
  }
  compact_tail(out_, start);
  need_comma_ = true;
}

}  // namespace llmtap::payload
