// JsonWriter: appends compact JSON (RFC 8259) to a caller-owned std::string. Strings are escaped
// (control characters as \u00XX), doubles are printed shortest round-trip (NaN/Infinity as null),
// and raw slices are copied as they are. Anything that is not valid UTF-8 takes a slow path that
// replaces each bad sequence with U+FFFD, so the output is always valid UTF-8.
//
// The writer inserts commas itself: one flag is enough because a comma is needed exactly when the
// previous token was a value or a closing bracket. It does not check nesting; callers balance
// begin_*/end_*. Not thread-safe (it is a cursor over one string); cheap to create per use.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmtap::payload {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();

  // An object key (escaped like any string), followed by ':'.
  void key(std::string_view name);
  // A key written as a string literal in our own code: it is known to need no escaping, so it is
  // appended in one go. A record has ~70 such keys, and escaping each one byte by byte was the
  // largest single cost of building a record (bench/record_builder_benchmark.cc).
  template <std::size_t N>
  void key(const char (&name)[N]) {
    static_assert(N > 1, "a literal key is not empty");
    assert(name[N - 1] == '\0' && "only string literals take this overload");
    literal_key(std::string_view(name, N - 1));
  }
  // A key whose bytes are already JSON-escaped string content (e.g. a key copied from a parsed body).
  void raw_key(std::string_view escaped_name);

  void string(std::string_view value);
  void string_or_null(std::string_view value);  // null when empty
  void number(double value);                    // NaN and infinities become null
  // Seconds since the epoch (or a duration in seconds) with microsecond precision, e.g.
  // 1741569952.123456: what a clock reading means, printed with integer arithmetic instead of a
  // shortest-round-trip conversion that costs ~10x more. Not finite: null.
  void seconds(double value);
  void integer(std::int64_t value);
  void boolean(bool value);
  void null();
  // A complete JSON value, copied byte for byte (after a UTF-8 check; bad bytes become U+FFFD).
  void raw(std::string_view json);

  std::string& out() { return out_; }

 private:
  void separate() {
    if (need_comma_) out_.push_back(',');
  }
  // `token` preceded by the comma when one is due, in one append.
  void separated(std::string_view token);
  void literal_key(std::string_view name);

  std::string& out_;
  bool need_comma_ = false;
};

// Appends `text` escaped as JSON string content (no quotes), repairing invalid UTF-8.
void append_escaped(std::string& out, std::string_view text);
// Appends `bytes` with every invalid UTF-8 sequence replaced by U+FFFD (no escaping).
void append_utf8_repaired(std::string& out, std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);

}  // namespace llmtap::payload
