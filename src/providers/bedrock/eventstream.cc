#include "providers/bedrock/eventstream.h"

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/assert.h"

namespace llmtap::providers::bedrock {
namespace {

constexpr std::size_t kPreludeBytes = 12;  // total_length, headers_length, prelude_crc
constexpr std::size_t kCrcBytes = 4;
constexpr std::size_t kFramingBytes = kPreludeBytes + kCrcBytes;  // a message with nothing in it
// A buffer grown past this by one big message is given back once it is delivered, so a long
// stream of small events holds a small buffer.
constexpr std::size_t kKeptBufferCapacity = std::size_t{64} * 1024;

enum class HeaderType : std::uint8_t {
  bool_true = 0,
  bool_false = 1,
  int8 = 2,
  int16 = 3,
  int32 = 4,
  int64 = 5,
  bytes = 6,
  string = 7,
  timestamp = 8,
  uuid = 9,
};

std::uint32_t read_u32(const char* p) {
  const auto byte = [p](int i) { return std::uint32_t{static_cast<unsigned char>(p[i])}; };
  return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}

std::uint16_t read_u16(const char* p) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(p[0]) << 8) |
                                    static_cast<unsigned char>(p[1]));
}

void append_u32(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>((v >> 16) & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

// zlib's CRC-32 of `bytes`, continuing `crc` (0 to start): the CRC both checksums use.
std::uint32_t crc32_of(std::uint32_t crc, std::string_view bytes) {
  // The casts are exact: a message is at most 4 GiB - 1 (its length is a u32).
  return static_cast<std::uint32_t>(::crc32(static_cast<uLong>(crc),
                                            reinterpret_cast<const Bytef*>(bytes.data()),
                                            static_cast<uInt>(bytes.size())));
}

// The bytes a header value of `type` takes at `p` (with `left` bytes to the block's end), or
// nothing when the type is unknown or the value runs past the block.
bool value_length(std::uint8_t type, const char* p, std::size_t left, std::size_t& length) {
  switch (static_cast<HeaderType>(type)) {
    case HeaderType::bool_true:
    case HeaderType::bool_false:
      length = 0;
      break;
    case HeaderType::int8:
      length = 1;
      break;
    case HeaderType::int16:
      length = 2;
      break;
    case HeaderType::int32:
      length = 4;
      break;
    case HeaderType::int64:
    case HeaderType::timestamp:
      length = 8;
      break;
    case HeaderType::uuid:
      length = 16;
      break;
    case HeaderType::bytes:
    case HeaderType::string:
      if (left < 2) return false;
      length = 2 + std::size_t{read_u16(p)};
      break;
    default:
      return false;
  }
  return length <= left;
}

// Where a string header's value goes in EventMessage, by its name; null for a name we do not
// expose.
std::string_view* exposed_header(EventMessage& message, std::string_view name) {
  if (name == ":event-type") return &message.event_type;
  if (name == ":message-type") return &message.message_type;
  if (name == ":content-type") return &message.content_type;
  if (name == ":exception-type") return &message.exception_type;
  if (name == ":error-code") return &message.error_code;
  if (name == ":error-message") return &message.error_message;
  return nullptr;
}

// Whether two of `names` are equal. Pairs for the usual handful; sorted past it, as a message may
// carry tens of thousands of tiny headers within max_header_bytes.
bool has_duplicate(std::vector<std::string_view>& names) {
  constexpr std::size_t kPairwiseUpTo = 16;
  if (names.size() <= kPairwiseUpTo) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      for (std::size_t j = i + 1; j < names.size(); ++j) {
        if (names[i] == names[j]) return true;
      }
    }
    return false;
  }
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) != names.end();
}

}  // namespace

std::string_view errc_message(frame_errc e) {
  switch (e) {
    case frame_errc::message_too_short:
      return "event stream message shorter than its framing, or its headers past its end";
    case frame_errc::message_too_long:
      return "event stream message (or its headers) longer than the limit";
    case frame_errc::prelude_crc_mismatch:
      return "event stream prelude CRC mismatch";
    case frame_errc::message_crc_mismatch:
      return "event stream message CRC mismatch";
    case frame_errc::bad_header:
      return "event stream header truncated, of an unknown type, or with an empty name";
    case frame_errc::duplicate_header:
      return "event stream message with the same header twice";
  }
  return "unknown event stream error";
}

EventStreamDecoder::EventStreamDecoder(EventStreamLimits limits) : limits_(limits) {}

Result<void> EventStreamDecoder::feed(std::string_view bytes, const OnMessage& on_message) {
  if (failed_) return error_;
  Result<void> fed = decode_piece(bytes, on_message);
  if (!fed) {
    failed_ = true;
    error_ = fed.error();
    buffer_ = std::string();
    message_length_ = 0;
  }
  return fed;
}

Result<void> EventStreamDecoder::decode_piece(std::string_view bytes, const OnMessage& on_message) {
  // First the message a previous piece cut, completed from the front of this one.
  if (!buffer_.empty()) {
    if (message_length_ == 0) {
      const std::size_t take = std::min(kPreludeBytes - buffer_.size(), bytes.size());
      buffer_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (buffer_.size() < kPreludeBytes) return {};
      Result<std::size_t> length = read_prelude(buffer_);
      if (!length) return length.error();
      message_length_ = *length;
    }
    const std::size_t take = std::min(message_length_ - buffer_.size(), bytes.size());
    buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (buffer_.size() < message_length_) return {};
    Result<void> decoded = decode_message(buffer_, on_message);
    if (!decoded) return decoded;
    if (buffer_.capacity() > kKeptBufferCapacity) {
      buffer_ = std::string();
    } else {
      buffer_.clear();
    }
    message_length_ = 0;
  }
  // Then every message whole inside the piece, where it lies.
  while (bytes.size() >= kPreludeBytes) {
    Result<std::size_t> length = read_prelude(bytes);
    if (!length) return length.error();
    if (bytes.size() < *length) {
      message_length_ = *length;
      break;
    }
    Result<void> decoded = decode_message(bytes.substr(0, *length), on_message);
    if (!decoded) return decoded;
    bytes.remove_prefix(*length);
  }
  // The tail: the start of one message, shorter than it (its prelude checked once 12 bytes in).
  buffer_.assign(bytes);
  return {};
}

Result<std::size_t> EventStreamDecoder::read_prelude(std::string_view prelude) const {
  LLMTAP_ASSERT(prelude.size() >= kPreludeBytes);
  // The CRC before either length: a corrupt length must not decide what is buffered.
  if (crc32_of(0, prelude.substr(0, 8)) != read_u32(prelude.data() + 8)) {
    return frame_errc::prelude_crc_mismatch;
  }
  const std::size_t total_length = read_u32(prelude.data());
  const std::size_t headers_length = read_u32(prelude.data() + 4);
  if (total_length < kFramingBytes) return frame_errc::message_too_short;
  if (total_length > limits_.max_message_bytes) return frame_errc::message_too_long;
  if (headers_length > total_length - kFramingBytes) return frame_errc::message_too_short;
  if (headers_length > limits_.max_header_bytes) return frame_errc::message_too_long;
  return total_length;
}

Result<void> EventStreamDecoder::decode_message(std::string_view message,
                                                const OnMessage& on_message) {
  // read_prelude() checked the lengths against each other and against message.size().
  const std::size_t headers_length = read_u32(message.data() + 4);
  const std::string_view checked = message.substr(0, message.size() - kCrcBytes);
  // The prelude's CRC is the CRC of its first 8 bytes: continue from it.
  const std::uint32_t crc =
      crc32_of(read_u32(message.data() + 8), checked.substr(8, checked.size() - 8));
  if (crc != read_u32(checked.data() + checked.size())) return frame_errc::message_crc_mismatch;

  EventMessage decoded;
  header_names_.clear();
  const std::string_view headers = message.substr(kPreludeBytes, headers_length);
  std::size_t pos = 0;
  while (pos < headers.size()) {
    const std::size_t name_length = static_cast<unsigned char>(headers[pos]);
    // The name, then its type byte, must be inside the block.
    if (name_length == 0 || headers.size() - pos < 1 + name_length + 1) {
      return frame_errc::bad_header;
    }
    const std::string_view name = headers.substr(pos + 1, name_length);
    pos += 1 + name_length;
    const auto type = static_cast<std::uint8_t>(headers[pos]);
    ++pos;
    std::size_t length = 0;
    if (!value_length(type, headers.data() + pos, headers.size() - pos, length)) {
      return frame_errc::bad_header;
    }
    if (type == static_cast<std::uint8_t>(HeaderType::string)) {
      if (std::string_view* slot = exposed_header(decoded, name)) {
        *slot = headers.substr(pos + 2, length - 2);
      }
    }
    header_names_.push_back(name);
    pos += length;
  }
  if (has_duplicate(header_names_)) return frame_errc::duplicate_header;

  const std::size_t payload_begin = kPreludeBytes + headers_length;
  decoded.payload = message.substr(payload_begin, message.size() - kCrcBytes - payload_begin);
  on_message(decoded);
  return {};
}

std::string encode_message(std::span<const StringHeader> headers, std::string_view payload) {
  std::size_t headers_length = 0;
  for (const StringHeader& h : headers) {
    // A name is u8-counted and may not be empty; a value is u16-counted. Callers are ours.
    LLMTAP_ASSERT(!h.name.empty() && h.name.size() <= 0xff);
    LLMTAP_ASSERT(h.value.size() <= 0xffff);
    headers_length += 1 + h.name.size() + 1 + 2 + h.value.size();
  }
  const std::size_t total_length = kFramingBytes + headers_length + payload.size();
  LLMTAP_ASSERT(total_length <= 0xffffffffU);
  std::string out;
  out.reserve(total_length);
  append_u32(out, static_cast<std::uint32_t>(total_length));
  append_u32(out, static_cast<std::uint32_t>(headers_length));
  append_u32(out, crc32_of(0, out));
  for (const StringHeader& h : headers) {
    out.push_back(static_cast<char>(h.name.size()));
    out.append(h.name);
    out.push_back(static_cast<char>(HeaderType::string));
    out.push_back(static_cast<char>(h.value.size() >> 8));
    out.push_back(static_cast<char>(h.value.size() & 0xff));
    out.append(h.value);
  }
  out.append(payload);
  append_u32(out, crc32_of(0, out));
  return out;
}

std::string encode_event(std::string_view event_type, std::string_view json_payload) {
  const StringHeader headers[] = {{":event-type", event_type},
                                  {":content-type", "application/json"},
                                  {":message-type", "event"}};
  return encode_message(headers, json_payload);
}

std::string encode_exception(std::string_view exception_type, std::string_view json_payload) {
  const StringHeader headers[] = {{":exception-type", exception_type},
                                  {":content-type", "application/json"},
                                  {":message-type", "exception"}};
  return encode_message(headers, json_payload);
}

}  // namespace llmtap::providers::bedrock
