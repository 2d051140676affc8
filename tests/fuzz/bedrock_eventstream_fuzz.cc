// libFuzzer target: the Bedrock event stream decoder (providers/bedrock/eventstream.h). The first
// four input bytes pick the limits, the cuts and whether the stream's CRCs are made right first
// (random bytes almost never pass a CRC, and the headers lie behind it); the rest is the stream.
// Checked, beyond no
// crash: the stream gives the same messages, error and pending bytes whole, cut in two at an
// input-chosen point, and in input-chosen small pieces; pending bytes never pass the bound; a
// failed decoder stays failed and delivers nothing more; an event and an exception encoded from
// the input decode to what went in, and so does an event put before the input.
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "providers/bedrock/eventstream.h"

namespace {

using llmtap::ErrorCode;
using llmtap::Result;
using llmtap::providers::bedrock::encode_event;
using llmtap::providers::bedrock::encode_exception;
using llmtap::providers::bedrock::EventMessage;
using llmtap::providers::bedrock::EventStreamDecoder;
using llmtap::providers::bedrock::EventStreamLimits;

void check(bool condition) {
  if (!condition) std::abort();
}

// One message's exposed fields and payload, owned (the views die with the callback).
std::vector<std::string> fields_of(const EventMessage& m) {
  return {std::string(m.message_type), std::string(m.event_type), std::string(m.exception_type),
          std::string(m.content_type), std::string(m.error_code), std::string(m.error_message),
          std::string(m.payload)};
}

std::uint32_t read_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

void write_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

std::uint32_t crc_of(const std::string& s, std::size_t at, std::size_t length) {
  return static_cast<std::uint32_t>(
      ::crc32(0, reinterpret_cast<const Bytef*>(s.data() + at), static_cast<uInt>(length)));
}

// The stream with each message's prelude CRC and, when the message is all there, its message CRC
// written right, message after message by their total_length.
std::string with_right_crcs(std::string_view stream) {
  std::string s(stream);
  std::size_t at = 0;
  while (s.size() - at >= 12) {
    write_u32(s, at + 8, crc_of(s, at, 8));
    const std::size_t total = read_u32(s, at);
    if (total < 16 || total > s.size() - at) break;
    write_u32(s, at + total - 4, crc_of(s, at, total - 4));
    at += total;
  }
  return s;
}

struct Outcome {
  std::vector<std::vector<std::string>> messages;
  ErrorCode error;
  std::size_t pending_bytes = 0;
  bool operator==(const Outcome&) const = default;
};

// The stream fed in pieces of `piece` bytes (all at once when 0), the invariants checked on the
// way.
Outcome decode(std::string_view stream, const EventStreamLimits& limits, std::size_t first_cut,
               std::size_t piece) {
  EventStreamDecoder decoder(limits);
  Outcome out;
  const auto collect = [&out](const EventMessage& m) { out.messages.push_back(fields_of(m)); };
  const std::size_t bound = std::max<std::size_t>(limits.max_message_bytes, 11);
  std::size_t at = 0;
  for (bool first = true; first || at < stream.size(); first = false) {
    std::size_t length = stream.size() - at;
    if (first) length = std::min(first_cut, length);
    if (!first && piece != 0) length = std::min(piece, length);
    const Result<void> fed = decoder.feed(stream.substr(at, length), collect);
    at += length;
    check(decoder.failed() == !fed);
    if (!fed) {
      out.error = fed.error();
      const std::size_t delivered = out.messages.size();
      const Result<void> again = decoder.feed(stream.substr(at), collect);
      check(!again && again.error() == out.error && out.messages.size() == delivered);
      break;
    }
    check(decoder.pending_bytes() <= bound);
  }
  out.pending_bytes = out.error ? 0 : decoder.pending_bytes();
  return out;
}

// Encoded from the input, decoded back: exactly the one message, fields as given.
void check_round_trip(std::string_view type, std::string_view payload, bool exception) {
  type = type.substr(0, 0xffff);
  const std::string bytes =
      exception ? encode_exception(type, payload) : encode_event(type, payload);
  EventStreamDecoder decoder;
  std::vector<std::vector<std::string>> messages;
  check(decoder.feed(bytes, [&](const EventMessage& m) { messages.push_back(fields_of(m)); })
            .has_value());
  check(messages.size() == 1 && decoder.pending_bytes() == 0);
  const std::vector<std::string>& m = messages[0];
  check(m[0] == (exception ? "exception" : "event"));
  check(m[exception ? 2 : 1] == type && m[exception ? 1 : 2].empty());
  check(m[3] == "application/json" && m[6] == payload);
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 4), size - 4);
  const std::string fixed = (data[2] & 2) != 0 ? with_right_crcs(input) : std::string();
  const std::string_view stream = (data[2] & 2) != 0 ? std::string_view(fixed) : input;
  EventStreamLimits limits;
  if ((data[0] & 1) != 0) {  // small limits, so the bounds are reached
    limits.max_message_bytes = 16 + std::size_t{data[1]} * 8;
    limits.max_header_bytes = (std::size_t{data[0]} >> 1) * 4;
  }
  const std::size_t cut = (std::size_t{data[2]} << 8 | data[3]) % (stream.size() + 1);
  const std::size_t piece = 1 + data[1] % 32;

  const Outcome whole = decode(stream, limits, stream.size(), 0);
  check(decode(stream, limits, cut, 0) == whole);
  check(decode(stream, limits, piece, piece) == whole);

  // What comes after a message does not change it.
  const std::string event = encode_event("contentBlockDelta", stream.substr(0, cut));
  const Outcome prefixed = decode(event + std::string(stream), {}, event.size() + cut, 0);
  check(!prefixed.messages.empty() && prefixed.messages[0][6] == stream.substr(0, cut));

  check_round_trip(stream.substr(0, cut), stream.substr(cut), (data[2] & 1) != 0);
  return 0;
}
