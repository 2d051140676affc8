#include "payload/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>

namespace llmtap::payload {

// A JsonWriter's cursor as a sink for json::escape_into().
struct WriterSink {
  JsonWriter& writer;
  void append(const char* bytes, std::size_t n) { writer.put(bytes, n); }
  void push_back(char c) { writer.put(c); }
};

void JsonWriter::grow(std::size_t n) {
  // Spare capacity (a reserve() by the caller, or a reallocation's doubling) is taken in steps of
  // up to kStep, so a run of small tokens grows the string once and a one-off string() on a large
  // buffer does not zero-fill all of it. Past the capacity resize() reallocates geometrically.
  constexpr std::size_t kStep = 4096;
  const std::size_t used =
      pos_ == nullptr ? out_.size() : static_cast<std::size_t>(pos_ - out_.data());
  std::size_t size = used + n;
  if (size < out_.capacity()) size = std::min(out_.capacity(), used + std::max(n, kStep));
  out_.resize(size);
  pos_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

void JsonWriter::escaped(std::string_view text) {
  WriterSink sink{*this};
  json::escape_into(sink, text);
}

void JsonWriter::key(std::string_view name) {
  separate();
  put('"');
  escaped(name);
  put("\":", 2);
  need_comma_ = false;
}

void JsonWriter::raw_key(std::string_view escaped_name) {
  quoted_key(escaped_name.data(), escaped_name.size());
}

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
  if (value == std::trunc(value) && std::fabs(value) < kExactIntegerLimit &&
      !(value == 0 && std::signbit(value))) {
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
  constexpr double kLimit =
      9.0e12;  // ~285,000 years in seconds: far past any clock, still exact in µs
  if (std::fabs(value) >= kLimit) {
    number(value);
    return;
  }
  const auto micros = static_cast<std::int64_t>(std::llround(value * kMicrosPerSecond));
  const std::uint64_t magnitude =
      micros < 0 ? static_cast<std::uint64_t>(-micros) : static_cast<std::uint64_t>(micros);
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
  if (std::memchr(begin, '\n', length) == nullptr && std::memchr(begin, '\r', length) == nullptr)
    return end;
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
    std::string repaired;  // the slow path: rare, and the copy keeps one repair routine
    json::append_utf8_repaired(repaired, json);
    put(repaired.data(), repaired.size());
  }
  pos_ = compact(out_.data() + start, pos_);
  need_comma_ = true;
}

}  // namespace llmtap::payload
