// JsonWriter: appends compact JSON (RFC 8259) to a caller-owned std::string. Strings are escaped
// (control characters as \u00XX), doubles are printed shortest round-trip (NaN/Infinity as null),
// and raw slices are copied as they are. Anything that is not valid UTF-8 takes a slow path that
// replaces each bad sequence with U+FFFD, so the output is always valid UTF-8.
//
// The writer inserts commas itself: one flag is enough because a comma is needed exactly when the
// previous token was a value or a closing bracket. It does not check nesting; callers balance
// begin_*/end_*. Not thread-safe (it is a cursor over one string); cheap to create per use.
//
// While a writer is live, the string holds spare bytes past what was written: the writer grows the
// string ahead of its cursor and writes through a pointer, because a record is ~130 small appends
// and std::string's per-append bookkeeping (and, for small tokens assembled on the stack, a
// store-forwarding stall per copy) was most of a record's build time. finish() — or the writer's
// destructor — trims the string to what was written; read the string only after that.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/json_escape.h"

namespace llmtap::payload {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  ~JsonWriter() { finish(); }

  // Trims the string to what was written. Writing may go on afterwards: it appends to the string
  // as it is then (the caller may have changed it in between).
  void finish() {
    if (pos_ == nullptr) return;
    out_.resize(static_cast<std::size_t>(pos_ - out_.data()));
    pos_ = end_ = nullptr;
  }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // An object key (escaped like any string), followed by ':'.
  void key(std::string_view name);
  // A key written as a string literal in our own code: it is known to need no escaping, so it is
  // copied with a length the compiler knows. A record has ~70 such keys.
  template <std::size_t N>
  void key(const char (&name)[N]) {
    static_assert(N > 1, "a literal key is not empty");
    assert(name[N - 1] == '\0' && needs_no_escaping({name, N - 1}) &&
           "only plain string literals take this overload");
    quoted_key(name, N - 1);
  }
  // A key whose bytes are already JSON-escaped string content (e.g. a key copied from a parsed
  // body).
  void raw_key(std::string_view escaped_name);
  // Complete members rendered by our own code (`"a":null,"b":[]`), appended as they are, with the
  // comma before them when one is due: a constant run of members costs one copy.
  void raw_members(std::string_view rendered);

  void string(std::string_view value);
  void string_or_null(std::string_view value);  // null when empty
  void number(double value);                    // NaN and infinities become null
  // Seconds since the epoch (or a duration in seconds) with microsecond precision, e.g.
  // 1741569952.123456: what a clock reading means, printed with integer arithmetic instead of a
  // shortest-round-trip conversion that costs ~10x more. Not finite: null.
  void seconds(double value);
  void integer(std::int64_t value);
  void boolean(bool value) { value ? token("true") : token("false"); }
  void null() { token("null"); }
  // A complete JSON value, copied byte for byte (after a UTF-8 check; bad bytes become U+FFFD).
  void raw(std::string_view json);

 private:
  friend struct WriterSink;

  static bool needs_no_escaping(std::string_view text) {
    for (char c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\' ||
          static_cast<unsigned char>(c) >= 0x80)
        return false;
    }
    return true;
  }

  // At least `n` writable bytes at the cursor (a real position even for n == 0: raw() measures
  // from it).
  char* room(std::size_t n) {
    if (pos_ == nullptr || static_cast<std::size_t>(end_ - pos_) < n) grow(n);
    return pos_;
  }
  void grow(std::size_t n);
  void put(const char* bytes, std::size_t n) {
    if (n == 0) return;  // an empty view's data() may be null, which memcpy must never be given
    std::memcpy(room(n), bytes, n);
    pos_ += n;
  }
  void put(char c) {
    *room(1) = c;
    ++pos_;
  }
  // Room for `n` bytes after the comma that is due, and where they go. The comma is stored either
  // way and kept only when due: no branch per token. This and quoted_key() are forced inline: with
  // ~70 literal keys per record GCC otherwise keeps one out-of-line copy, where a literal's length
  // is no longer a constant (BM_BuildRecord 7% slower).
  [[gnu::always_inline]] char* room_after_comma(std::size_t n) {
    char* p = room(n + 1);
    *p = ',';
    return p + need_comma_;
  }
  // `"name":` for a name that needs no escaping.
  [[gnu::always_inline]] void quoted_key(const char* name, std::size_t size) {
    char* p = room_after_comma(size + 3);
    *p++ = '"';
    if (size != 0) std::memcpy(p, name, size);  // an empty view's data() may be null
    p += size;
    p[0] = '"';
    p[1] = ':';
    pos_ = p + 2;
    need_comma_ = false;
  }
  void open(char bracket) {
    char* p = room_after_comma(1);
    *p = bracket;
    pos_ = p + 1;
    need_comma_ = false;
  }
  void close(char bracket) {
    put(bracket);
    need_comma_ = true;
  }
  // A literal token ("null", "true") with the comma before it when one is due.
  template <std::size_t N>
  void token(const char (&text)[N]) {
    char* p = room_after_comma(N - 1);
    std::memcpy(p, text, N - 1);
    pos_ = p + N - 1;
    need_comma_ = true;
  }
  void separate() {
    if (need_comma_) put(',');
  }
  void escaped(std::string_view text);

  std::string& out_;
  // Both null until the first write and after finish(); otherwise out_[0, pos_) is what was
  // written and [pos_, end_) room not yet written.
  char* pos_ = nullptr;
  char* end_ = nullptr;
  bool need_comma_ = false;
  // The last few non-integer numbers printed, with their text: a record prints its total cost four
  // times among other costs, and a shortest-round-trip conversion is the costliest token it writes.
  struct PrintedNumber {
    double value = 0;
    std::size_t size = 0;  // 0: unused
    char text[32];
  };
  PrintedNumber printed_numbers_[4];
  std::size_t next_printed_ = 0;
};

// The escaping and UTF-8 helpers live in base/json_escape.h; payload code names them from here.
using json::append_escaped;
using json::append_utf8_repaired;
using json::is_valid_utf8;

}  // namespace llmtap::payload
