#include "payload/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>

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

template <class Sink>
void append_ascii_escape(Sink& out, unsigned char c) {
  switch (c) {
    case '"': out.append("\\\"", 2); return;
    case '\\': out.append("\\\\", 2); return;
    case '\b': out.append("\\b", 2); return;
    case '\f': out.append("\\f", 2); return;
    case '\n': out.append("\\n", 2); return;
    case '\r': out.append("\\r", 2); return;
    case '\t': out.append("\\t", 2); return;
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
template <bool kEscape, class Sink>
void append_repaired(Sink& out, std::string_view text) {
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
      out.append(kReplacement.data(), kReplacement.size());
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
      out.append(kReplacement.data(), kReplacement.size());
    }
    i += j;
  }
}

// Appends `text` escaped as JSON string content to any sink with append(bytes, n) and push_back(c):
// a std::string, or a JsonWriter's cursor.
template <class Sink>
void escape_into(Sink& out, std::string_view text) {
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
        if (!simdjson::validate_utf8(p + i, n - i)) {
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

}  // namespace

// A JsonWriter's cursor as a sink for the escaping code above.
struct WriterSink {
  JsonWriter& writer;
  void append(const char* bytes, std::size_t n) { writer.put(bytes, n); }
  void push_back(char c) { writer.put(c); }
};

bool is_valid_utf8(std::string_view bytes) {
  return simdjson::validate_utf8(bytes.data(), bytes.size());
}

void append_utf8_repaired(std::string& out, std::string_view bytes) {
  append_repaired<false>(out, bytes);
}

void append_escaped(std::string& out, std::string_view text) { escape_into(out, text); }

void JsonWriter::grow(std::size_t n) {
  // Spare capacity (a reserve() by the caller, or a reallocation's doubling) is taken in steps of
  // up to kStep, so a run of small tokens grows the string once and a one-off string() on a large
  // buffer does not zero-fill all of it. Past the capacity resize() reallocates geometrically.
  constexpr std::size_t kStep = 4096;
  const std::size_t used = pos_ == nullptr ? out_.size() : static_cast<std::size_t>(pos_ - out_.data());
  std::size_t size = used + n;
  if (size < out_.capacity()) size = std::min(out_.capacity(), used + std::max(n, kStep));
  out_.resize(size);
  pos_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

void JsonWriter::escaped(std::string_view text) {
  WriterSink sink{*this};
  escape_into(sink, text);
}

void JsonWriter::key(std::string_view name) {
  separate();
  put('"');
  escaped(name);
  put("\":", 2);
  need_comma_ = false;
}

void JsonWriter::raw_key(std::string_view escaped_name) { quoted_key(escaped_name.data(), escaped_name.size()); }

void JsonWriter::raw_members(std::string_view rendered) {
  separate();
  put(rendered.data(), rendered.size());
  need_comma_ = true;
}

void JsonWriter::string(std::string_view value) {
  separate();
  put('"');
  escaped(value);
  put('"');
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
  // Same value, same text (a non-integer is never ±0, so == tells the bits apart).
  PrintedNumber* printed = nullptr;
  for (PrintedNumber& entry : printed_numbers_) {
    if (entry.size != 0 && entry.value == value) printed = &entry;
  }
  if (printed == nullptr) {
    printed = &printed_numbers_[next_printed_++ % std::size(printed_numbers_)];
    auto result = std::to_chars(printed->text, printed->text + sizeof printed->text, value);
    printed->value = value;
    printed->size = static_cast<std::size_t>(result.ptr - printed->text);
  }
  separate();
  put(printed->text, printed->size);
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
  constexpr std::size_t kMaxSize = 1 + 20 + 1 + 6;  // sign, whole seconds, point, fraction
  char* const start = room_after_comma(kMaxSize);
  char* p = start;
  if (micros < 0) *p++ = '-';
  p = std::to_chars(p, start + kMaxSize, magnitude / 1000000).ptr;
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
  pos_ = p;
  need_comma_ = true;
}

void JsonWriter::integer(std::int64_t value) {
  constexpr std::size_t kMaxSize = 20;  // sign and 19 digits
  char* const start = room_after_comma(kMaxSize);
  pos_ = std::to_chars(start, start + kMaxSize, value).ptr;
  need_comma_ = true;
}

namespace {

// Removes whitespace outside strings from [begin, end) and returns the new end. Valid JSON cannot
// hold a raw line break inside a string, so any '\n' or '\r' in a raw slice is layout — and one
// inside a record would split an NDJSON line. Pretty-printed slices are rare (a client's indented
// body, a price-map entry), so this runs only when a line break is present.
char* compact(char* begin, char* end) {
  // Two memchr scans: std::string::find_first_of with a set tests each byte against the set one
  // call at a time, which profiling showed to be half of a record's build time.
  const auto length = static_cast<std::size_t>(end - begin);
  if (std::memchr(begin, '\n', length) == nullptr && std::memchr(begin, '\r', length) == nullptr) return end;
  char* write = begin;
  bool in_string = false;
  bool escaped = false;
  for (const char* read = begin; read != end; ++read) {
    const char c = *read;
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
    *write++ = c;
  }
  return write;
}

}  // namespace

void JsonWriter::raw(std::string_view json) {
  separate();
  // An offset, not a pointer: a repair may grow (and move) the string.
  const auto start = static_cast<std::size_t>(room(json.size()) - out_.data());
  if (is_valid_utf8(json)) {
    put(json.data(), json.size());
  } else {
    WriterSink sink{*this};
    append_repaired<false>(sink, json);
  }
  pos_ = compact(out_.data() + start, pos_);
  need_comma_ = true;
}

}  // namespace llmtap::payload
