// AWS's `application/vnd.amazon.eventstream` framing, which Bedrock's ConverseStream (and
// InvokeModelWithResponseStream) answers in: binary messages, each
//   total_length u32 | headers_length u32 | prelude_crc u32 | headers | payload | message_crc u32
// (big-endian; CRC-32 as zlib computes it; prelude_crc covers the first 8 bytes, message_crc
// every byte before it). A header is: u8 name length, name, u8 type, value — types 0/1 bool
// true/false (no bytes), 2 int8, 3 int16, 4 int32, 5 int64, 6 bytes and 7 string (u16 length +
// data), 8 timestamp (int64 ms), 9 uuid (16 bytes). Sources: botocore/eventstream.py
// (boto/botocore, its limits and errors), AWS's event-stream encoding docs
// (https://docs.aws.amazon.com/lexv2/latest/dg/event-stream-encoding.html, the same text for
// Transcribe), and botocore's tests/unit/test_eventstream.py, whose vectors our tests replay.
//
// EventStreamDecoder is incremental: bytes are fed as they arrive, and each complete message is
// handed to the caller once its last byte is in. A message whole inside one fed piece is decoded
// where it lies; only a message cut by the piece's end is copied, and only its bytes. Memory is
// bounded by the limits: the prelude (CRC first) is checked as soon as its 12 bytes are in, so a
// message longer than max_message_bytes is an error before its bytes are buffered. Not
// thread-safe: one decoder per stream; on_message must not feed the same decoder. Sans-I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace llmtap::providers::bedrock {

// Why a stream's bytes are no event stream. After one, the decoder is failed for good.
enum class frame_errc {
  message_too_short = 1,  // total_length < 16, or headers_length past the message
  message_too_long,       // total_length > max_message_bytes (or headers past max_header_bytes)
  prelude_crc_mismatch,
  message_crc_mismatch,
  bad_header,        // truncated header, unknown type, empty name
  duplicate_header,  // the same name twice in one message (checked once every header parsed)
};
std::string_view errc_message(frame_errc e);

}  // namespace llmtap::providers::bedrock

LLMTAP_ERROR_CATEGORY(llmtap::providers::bedrock, frame_errc, "llmtap.bedrock.eventstream");

namespace llmtap::providers::bedrock {

// One decoded message: the headers Bedrock's streams use, as views of their string values
// (empty when absent or not a string header), and the payload. Views are valid only during the
// on_message call that receives them.
struct EventMessage {
  std::string_view message_type;    // ":message-type": "event", "exception" or "error"
  std::string_view event_type;      // ":event-type", e.g. "contentBlockDelta"
  std::string_view exception_type;  // ":exception-type", e.g. "throttlingException"
  std::string_view content_type;    // ":content-type", e.g. "application/json"
  std::string_view error_code;      // ":error-code" (message type "error")
  std::string_view error_message;   // ":error-message" (message type "error")
  std::string_view payload;
};

struct EventStreamLimits {
  std::size_t max_message_bytes = std::size_t{16} * 1024 * 1024 + 128 * 1024 + 16;
  std::size_t max_header_bytes = std::size_t{128} * 1024;
};

class EventStreamDecoder {
 public:
  using OnMessage = std::function<void(const EventMessage&)>;

  explicit EventStreamDecoder(EventStreamLimits limits = {});

  // Decodes every message completed by `bytes` (with the bytes fed before), calling on_message
  // for each in order. Returns the error of the first bad message; every message before it was
  // delivered, nothing after it is read, and every later feed() returns the same error.
  Result<void> feed(std::string_view bytes, const OnMessage& on_message);

  // Bytes of a message not yet complete (what finish-time "cut short" means). Never more than
  // max_message_bytes, and under 12 until a prelude has been checked.
  std::size_t pending_bytes() const { return buffer_.size(); }
  bool failed() const { return failed_; }

 private:
  Result<void> decode_piece(std::string_view bytes, const OnMessage& on_message);
  Result<std::size_t> read_prelude(std::string_view prelude) const;
  Result<void> decode_message(std::string_view message, const OnMessage& on_message);

  EventStreamLimits limits_;
  // The bytes of the one message in progress, cut by a piece's end; never those of the next.
  std::string buffer_;
  std::size_t message_length_ = 0;  // the buffered message's total_length, once its prelude is in
  std::vector<std::string_view> header_names_;  // one message's, for the duplicate check (reused)
  bool failed_ = false;
  ErrorCode error_;
};

// A header to encode: a string header (type 7) — what Bedrock's streams carry.
struct StringHeader {
  std::string_view name;
  std::string_view value;
};

// One message, framed with both CRCs: for the mock upstream, the tests and the fuzz seeds.
std::string encode_message(std::span<const StringHeader> headers, std::string_view payload);

// An event message as Bedrock sends one: :event-type, :content-type application/json and
// :message-type event headers, then the JSON payload.
std::string encode_event(std::string_view event_type, std::string_view json_payload);

// An exception message (:exception-type, :content-type, :message-type exception), payload
// `{"message":"…"}` as the caller gives it.
std::string encode_exception(std::string_view exception_type, std::string_view json_payload);

}  // namespace llmtap::providers::bedrock
