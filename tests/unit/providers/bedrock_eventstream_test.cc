#include <gtest/gtest.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/bedrock/eventstream.h"

namespace llmtap::providers::bedrock {
namespace {

// A decoded message with its own bytes (EventMessage's views die with the callback).
struct Decoded {
  std::string message_type;
  std::string event_type;
  std::string exception_type;
  std::string content_type;
  std::string error_code;
  std::string error_message;
  std::string payload;
  bool operator==(const Decoded&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Decoded& d) {
  return os << "{message_type=" << d.message_type << " event_type=" << d.event_type
            << " exception_type=" << d.exception_type << " content_type=" << d.content_type
            << " error_code=" << d.error_code << " error_message=" << d.error_message
            << " payload=" << d.payload << "}";
}

Decoded copy_of(const EventMessage& m) {
  return {std::string(m.message_type), std::string(m.event_type), std::string(m.exception_type),
          std::string(m.content_type), std::string(m.error_code), std::string(m.error_message),
          std::string(m.payload)};
}

// What a decoder made of a stream fed in some pieces: the messages and the first error.
struct Outcome {
  std::vector<Decoded> messages;
  ErrorCode error;
  std::size_t pending_bytes = 0;
};

Outcome decode_pieces(const std::vector<std::string_view>& pieces, EventStreamLimits limits = {}) {
  EventStreamDecoder decoder(limits);
  Outcome out;
  const auto collect = [&out](const EventMessage& m) { out.messages.push_back(copy_of(m)); };
  for (std::string_view piece : pieces) {
    const Result<void> fed = decoder.feed(piece, collect);
    if (!fed) {
      out.error = fed.error();
      break;
    }
  }
  out.pending_bytes = decoder.pending_bytes();
  return out;
}

Outcome decode_whole(std::string_view stream, EventStreamLimits limits = {}) {
  return decode_pieces({stream}, limits);
}

Outcome decode_bytewise(std::string_view stream, EventStreamLimits limits = {}) {
  std::vector<std::string_view> pieces;
  for (std::size_t i = 0; i < stream.size(); ++i) pieces.push_back(stream.substr(i, 1));
  return decode_pieces(pieces, limits);
}

std::string from_hex(std::string_view hex) {
  std::string out;
  const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return out;
}

void append_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::uint32_t crc_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      ::crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// The 12 bytes of a prelude with these lengths and its CRC right.
std::string prelude(std::uint32_t total_length, std::uint32_t headers_length) {
  std::string out;
  append_u32(out, total_length);
  append_u32(out, headers_length);
  append_u32(out, crc_of(out));
  return out;
}

// A frame around a raw header block, with both CRCs right (lengths as given when nonzero): how
// the tests make messages whose only fault is in the headers or the lengths.
std::string frame(std::string_view header_block, std::string_view payload,
                  std::uint32_t total_length = 0, std::uint32_t headers_length = 0) {
  if (total_length == 0) {
    total_length = static_cast<std::uint32_t>(16 + header_block.size() + payload.size());
  }
  if (headers_length == 0) headers_length = static_cast<std::uint32_t>(header_block.size());
  std::string out = prelude(total_length, headers_length);
  out.append(header_block);
  out.append(payload);
  append_u32(out, crc_of(out));
  return out;
}

// One header as its bytes: name, type, then the value's bytes as given.
std::string header(std::string_view name, std::uint8_t type, std::string_view value_bytes) {
  std::string out(1, static_cast<char>(name.size()));
  out.append(name);
  out.push_back(static_cast<char>(type));
  out.append(value_bytes);
  return out;
}

std::string string_header(std::string_view name, std::string_view value) {
  std::string length{static_cast<char>(value.size() >> 8), static_cast<char>(value.size() & 0xff)};
  return header(name, 7, length + std::string(value));
}

// botocore's event stream test vectors, copied as hex: boto/botocore,
// tests/unit/test_eventstream.py at commit 04d1fae43b657952e49b21d16daa86378ddb4253
// (Apache-2.0, Copyright 2018 Amazon.com, Inc. or its affiliates). Names as there.
const std::string kEmptyMessage = from_hex("000000100000000005c248eb7d98c8ff");
const std::string kInt8Header = from_hex("000000170000000729860158046279746502ffc2f869dc");
const std::string kInt16Header = from_hex("0000001900000009710e923e0573686f727403ffffb27cb6cc");
const std::string kInt32Header =
    from_hex("0000001d0000000d83e3f0e707696e746567657204ffffffff8b8e12eb");
const std::string kInt64Header =
    from_hex("0000001e0000000e5d4adb8d046c6f6e6705ffffffffffffffff4bc232da");
const std::string kPayloadNoHeaders =
    from_hex("0000001d00000000fd528c5a7b27666f6f273a27626172277dc3653936");
const std::string kPayloadOneStrHeader = from_hex(
    "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e"
    "7b27666f6f273a27626172277d8d9c08b1");
const std::string kAllHeadersTypes = from_hex(
    "000000620000005203b5cb9c0130000131010132020201330300030134040000000401350500000000000000"
    "0501360600056279746573013707000475746638013808000000000000000801390930313233343536373839"
    "61626364656663353671");
const std::string kErrorEventMessage = from_hex(
    "0000005200000042bf23637e0d3a6d6573736167652d747970650700056572726f720b3a6572726f722d636f"
    "6465070004636f64650e3a6572726f722d6d6573736167650700076d6573736167656b6cea3d");
const std::string kCorruptedHeaderLength = from_hex(
    "0000003dff00010207fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e"
    "7b27666f6f273a27626172277d8d9c08b1");
const std::string kCorruptedHeaders = from_hex(
    "0000003d0000002007fd83960c636f6e74656e742b747970650700106170706c69636174696f6e2f6a736f6e"
    "7b27666f6f273a27626172277d8d9c08b1");
const std::string kCorruptedLength =
    from_hex("0100001d00000000fd528c5a7b27666f6f273a27626172277dc3653936");
const std::string kCorruptedPayload =
    from_hex("0000001d00000000fd528c5a7b27666f6f273a27626172278dc3653936");
const std::string kDuplicateHeader =
    from_hex("00000024000000144bb982d00474657374046173646604746573740461736466f3f47563");
// test_event_stream_initial_response's three pieces, and test_event_stream_wrapper_iteration's
// two (an int32 "event-id" header).
const std::string kInitialResponse[] = {
    from_hex("0000007e0000004fc5a3ddc60d3a6d6573736167652d747970650700"),
    from_hex("056576656e740b3a6576656e742d74797065070010696e697469616c2d726573706f6e73650d3a636f"
             "6e74656e742d74797065"),
    from_hex("070009746578742f6a736f6e7b22496e697469616c526573706f6e7365223a2022736f6d6574657874"
             "227df6982483")};
const std::string kEventIdPieces[] = {from_hex("0000002b0000000e348bec7b086576656e742d6964040000"),
                                      from_hex("a00c7b27666f6f273a27626172277dd3890285")};

Decoded payload_only(std::string payload) {
  Decoded d;
  d.payload = std::move(payload);
  return d;
}

// Verifies that botocore's positive vectors decode, one message each, with their string headers
// exposed and every other header type skipped.
TEST(EventStreamDecoderTest, DecodesBotocoreVectors) {
  const std::string foo_bar = "{'foo':'bar'}";
  Decoded one_str_header = payload_only(foo_bar);  // "content-type" without the colon: not exposed
  Decoded error;
  error.message_type = "error";
  error.error_code = "code";
  error.error_message = "message";
  const std::vector<std::pair<std::string, Decoded>> cases = {
      {kEmptyMessage, {}},
      {kInt8Header, {}},
      {kInt16Header, {}},
      {kInt32Header, {}},
      {kInt64Header, {}},
      {kPayloadNoHeaders, payload_only(foo_bar)},
      {kPayloadOneStrHeader, one_str_header},
      {kAllHeadersTypes, {}},
      {kErrorEventMessage, error}};
  std::string all;
  std::vector<Decoded> expected;
  for (const auto& [bytes, decoded] : cases) {
    const Outcome out = decode_whole(bytes);
    EXPECT_FALSE(out.error) << out.error.message();
    ASSERT_EQ(out.messages.size(), 1U);
    EXPECT_EQ(out.messages[0], decoded);
    EXPECT_EQ(out.pending_bytes, 0U);
    all += bytes;
    expected.push_back(decoded);
  }
  // test_all_positive_cases: all of them on one decoder, in one piece and a byte at a time.
  EXPECT_EQ(decode_whole(all).messages, expected);
  EXPECT_EQ(decode_bytewise(all).messages, expected);
}

// Verifies that botocore's pieces (a message cut inside its headers) decode as one message.
TEST(EventStreamDecoderTest, DecodesBotocoreStreamPieces) {
  Decoded initial;
  initial.message_type = "event";
  initial.event_type = "initial-response";
  initial.content_type = "text/json";
  initial.payload = R"({"InitialResponse": "sometext"})";
  Outcome out = decode_pieces({kInitialResponse[0], kInitialResponse[1], kInitialResponse[2]});
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.messages, std::vector<Decoded>{initial});

  out = decode_pieces({kEventIdPieces[0], kEventIdPieces[1]});
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.messages, std::vector<Decoded>{payload_only("{'foo':'bar'}")});

  // test_partial_message: the empty message cut at byte 15.
  out = decode_pieces({std::string_view(kEmptyMessage).substr(0, 15)});
  EXPECT_TRUE(out.messages.empty());
  EXPECT_EQ(out.pending_bytes, 15U);
}

// Verifies that botocore's negative vectors are rejected, with our codes: the prelude CRC is
// checked before either length, so the two corrupt lengths are prelude CRC mismatches (botocore
// reads the lengths first and names them InvalidPayloadLength / InvalidHeadersLength).
TEST(EventStreamDecoderTest, RejectsBotocoreNegativeVectors) {
  const std::vector<std::pair<std::string, frame_errc>> cases = {
      {kCorruptedLength, frame_errc::prelude_crc_mismatch},
      {kCorruptedPayload, frame_errc::message_crc_mismatch},
      {kCorruptedHeaders, frame_errc::message_crc_mismatch},
      {kCorruptedHeaderLength, frame_errc::prelude_crc_mismatch},
      {kDuplicateHeader, frame_errc::duplicate_header}};
  for (const auto& [bytes, code] : cases) {
    EXPECT_EQ(decode_whole(bytes).error, code);
    EXPECT_EQ(decode_bytewise(bytes).error, code);
    EXPECT_TRUE(decode_whole(bytes).messages.empty());
  }
}

// Verifies that the encoder writes botocore's bytes for the messages it can express (string
// headers only).
TEST(EventStreamEncoderTest, WritesBotocoreVectors) {
  EXPECT_EQ(encode_message({}, ""), kEmptyMessage);
  EXPECT_EQ(encode_message({}, "{'foo':'bar'}"), kPayloadNoHeaders);
  const StringHeader content_type[] = {{"content-type", "application/json"}};
  EXPECT_EQ(encode_message(content_type, "{'foo':'bar'}"), kPayloadOneStrHeader);
  const StringHeader error[] = {
      {":message-type", "error"}, {":error-code", "code"}, {":error-message", "message"}};
  EXPECT_EQ(encode_message(error, ""), kErrorEventMessage);
}

// Verifies that encode_event and encode_exception decode to what went in.
TEST(EventStreamEncoderTest, RoundTripsEventsAndExceptions) {
  const std::string delta = R"({"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"abc"})";
  const std::string exception = R"({"message":"Too many requests, please wait."})";
  const Outcome out = decode_whole(encode_event("contentBlockDelta", delta) +
                                   encode_exception("throttlingException", exception));
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.messages.size(), 2U);
  Decoded event;
  event.message_type = "event";
  event.event_type = "contentBlockDelta";
  event.content_type = "application/json";
  event.payload = delta;
  EXPECT_EQ(out.messages[0], event);
  Decoded thrown;
  thrown.message_type = "exception";
  thrown.exception_type = "throttlingException";
  thrown.content_type = "application/json";
  thrown.payload = exception;
  EXPECT_EQ(out.messages[1], thrown);
}

// Verifies that a long header value and a payload with every byte value survive the round trip.
TEST(EventStreamEncoderTest, RoundTripsBinaryPayloadAndLongHeader) {
  std::string payload;
  for (int i = 0; i < 256 * 4; ++i) payload.push_back(static_cast<char>(i & 0xff));
  const std::string long_type(0xffff, 'e');
  const Outcome out = decode_whole(encode_event(long_type, payload));
  ASSERT_EQ(out.messages.size(), 1U);
  EXPECT_EQ(out.messages[0].event_type, long_type);
  EXPECT_EQ(out.messages[0].payload, payload);
}

// Verifies that a two-message stream gives the same messages however it is cut: at every offset,
// at every pair of offsets, and a byte at a time.
TEST(EventStreamDecoderTest, SameMessagesAtEverySplit) {
  const std::string stream = encode_event("contentBlockDelta", R"({"delta":{"text":"a"}})") +
                             encode_event("messageStop", R"({"stopReason":"end_turn"})");
  const Outcome whole = decode_whole(stream);
  ASSERT_FALSE(whole.error);
  ASSERT_EQ(whole.messages.size(), 2U);
  const std::string_view view(stream);
  for (std::size_t i = 0; i <= view.size(); ++i) {
    ASSERT_EQ(decode_pieces({view.substr(0, i), view.substr(i)}).messages, whole.messages)
        << "cut at " << i;
    for (std::size_t j = i; j <= view.size(); ++j) {
      const Outcome out = decode_pieces({view.substr(0, i), view.substr(i, j - i), view.substr(j)});
      ASSERT_EQ(out.messages, whole.messages) << "cut at " << i << " and " << j;
      ASSERT_EQ(out.pending_bytes, 0U);
    }
  }
  EXPECT_EQ(decode_bytewise(stream).messages, whole.messages);
}

// Verifies that each message is delivered as soon as its last byte is in, not later.
TEST(EventStreamDecoderTest, DeliversEachMessageWhenItsLastByteArrives) {
  const std::string first = encode_event("messageStart", R"({"role":"assistant"})");
  const std::string second = encode_event("messageStop", R"({"stopReason":"end_turn"})");
  const std::string stream = first + second;
  EventStreamDecoder decoder;
  std::size_t delivered = 0;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(i, 1),
                             [&delivered](const EventMessage&) { ++delivered; }));
    const std::size_t fed = i + 1;
    EXPECT_EQ(delivered, fed >= stream.size() ? 2U : fed >= first.size() ? 1U : 0U) << fed;
    EXPECT_EQ(decoder.pending_bytes(),
              fed < first.size() ? fed : (fed - first.size()) % second.size());
  }
}

// Verifies that a message whole inside the fed bytes is decoded where it lies (its payload is a
// view of those bytes), and that a message cut by a piece's end is not.
TEST(EventStreamDecoderTest, DecodesWholeMessagesInPlace) {
  const std::string stream = encode_event("a", "first") + encode_event("b", "second");
  EventStreamDecoder decoder;
  std::vector<bool> in_place;
  const std::string_view view(stream);
  const auto inside = [&in_place, view](const EventMessage& m) {
    in_place.push_back(m.payload.data() >= view.data() &&
                       m.payload.data() + m.payload.size() <= view.data() + view.size());
  };
  ASSERT_TRUE(decoder.feed(view.substr(0, view.size() - 3), inside));
  ASSERT_TRUE(decoder.feed(view.substr(view.size() - 3), inside));
  EXPECT_EQ(in_place, (std::vector<bool>{true, false}));
}

struct BadMessage {
  const char* what;
  std::string bytes;
  frame_errc code;
  EventStreamLimits limits;
};

std::vector<BadMessage> bad_messages() {
  const std::string good = encode_event("contentBlockDelta", R"({"delta":{"text":"x"}})");
  std::string bad_prelude_crc = good;
  bad_prelude_crc[9] = static_cast<char>(bad_prelude_crc[9] ^ 0x01);
  std::string bad_message_crc = good;
  bad_message_crc[good.size() - 6] = static_cast<char>(bad_message_crc[good.size() - 6] ^ 0x20);
  // Room for the good messages around the bad one, not for the bad one.
  EventStreamLimits small;
  small.max_message_bytes = 256;
  small.max_header_bytes = 100;
  const std::string ok_type = string_header(":event-type", "x");
  return {
      {"bad prelude CRC", bad_prelude_crc, frame_errc::prelude_crc_mismatch, {}},
      {"bad message CRC", bad_message_crc, frame_errc::message_crc_mismatch, {}},
      {"longer than max_message_bytes", frame("", std::string(241, 'p')),
       frame_errc::message_too_long, small},
      {"headers longer than max_header_bytes", frame(string_header("n", std::string(96, 'v')), ""),
       frame_errc::message_too_long, small},
      {"total_length under 16", frame("", "", 15), frame_errc::message_too_short, {}},
      {"total_length 0", prelude(0, 0) + std::string(4, '\0'), frame_errc::message_too_short, {}},
      {"headers_length past the message",
       frame("abcd", "", 20, 5),
       frame_errc::message_too_short,
       {}},
      {"header name past the block",
       frame("\x05"
             "ab",
             ""),
       frame_errc::bad_header,
       {}},
      {"header without its type",
       frame(std::string("\x02"
                         "ab"),
             "p"),
       frame_errc::bad_header,
       {}},
      {"empty header name", frame(std::string("\x00\x00", 2), ""), frame_errc::bad_header, {}},
      {"unknown header type", frame(header("n", 10, ""), ""), frame_errc::bad_header, {}},
      {"int64 value truncated", frame(header("n", 5, "1234567"), ""), frame_errc::bad_header, {}},
      {"uuid value truncated",
       frame(header("n", 9, std::string(15, 'u')), ""),
       frame_errc::bad_header,
       {}},
      {"string length missing", frame(header("n", 7, "\x01"), ""), frame_errc::bad_header, {}},
      {"string value past the block",
       frame(header("n", 7,
                    std::string("\x00\x05"
                                "abcd",
                                6)),
             ""),
       frame_errc::bad_header,
       {}},
      {"bytes value past the block",
       frame(header("n", 6,
                    std::string("\x00\x02"
                                "a",
                                3)),
             ""),
       frame_errc::bad_header,
       {}},
      {"bad header after a good one",
       frame(ok_type + header("n", 200, ""), ""),
       frame_errc::bad_header,
       {}},
      {"duplicate string header", frame(ok_type + ok_type, ""), frame_errc::duplicate_header, {}},
      {"duplicate across types",
       frame(ok_type + header(":event-type", 0, ""), ""),
       frame_errc::duplicate_header,
       {}},
  };
}

// Verifies that each malformed message is rejected with its code, after the good message before
// it and with nothing after it delivered, however the stream is cut; and that the decoder stays
// failed with the same code.
TEST(EventStreamDecoderTest, RejectsEachMalformedMessage) {
  const std::string before = encode_event("messageStart", R"({"role":"assistant"})");
  const std::string after = encode_event("messageStop", R"({"stopReason":"end_turn"})");
  for (const BadMessage& bad : bad_messages()) {
    const EventStreamLimits& limits = bad.limits;
    const std::string stream = before + bad.bytes + after;
    for (const Outcome& out : {decode_whole(stream, limits), decode_bytewise(stream, limits)}) {
      EXPECT_EQ(out.error, bad.code) << bad.what << ": " << out.error.message();
      ASSERT_EQ(out.messages.size(), 1U) << bad.what;
      EXPECT_EQ(out.messages[0].event_type, "messageStart") << bad.what;
    }
    EventStreamDecoder decoder(limits);
    std::size_t delivered = 0;
    const auto count = [&delivered](const EventMessage&) { ++delivered; };
    EXPECT_EQ(decoder.feed(stream, count).error(), bad.code) << bad.what;
    EXPECT_TRUE(decoder.failed());
    EXPECT_EQ(decoder.feed(after, count).error(), bad.code) << bad.what;
    EXPECT_EQ(decoder.feed("", count).error(), bad.code) << bad.what;
    EXPECT_EQ(delivered, 1U) << bad.what;
  }
}

// Verifies that a prelude claiming more than max_message_bytes is rejected once its 12 bytes are
// in, before any byte of the body is buffered.
TEST(EventStreamDecoderTest, RejectsTooLongBeforeBuffering) {
  EventStreamLimits limits;
  limits.max_message_bytes = 1024;
  const std::string big = encode_event("contentBlockDelta", std::string(4096, 'x'));
  EventStreamDecoder decoder(limits);
  const auto never = [](const EventMessage&) { ADD_FAILURE() << "delivered"; };
  for (std::size_t i = 0; i < 11; ++i) {
    ASSERT_TRUE(decoder.feed(std::string_view(big).substr(i, 1), never));
    EXPECT_EQ(decoder.pending_bytes(), i + 1);
  }
  EXPECT_EQ(decoder.feed(std::string_view(big).substr(11), never).error(),
            frame_errc::message_too_long);
  EXPECT_EQ(decoder.pending_bytes(), 0U);

  // The default limit too, for a prelude that claims 4 GiB, in one piece.
  EventStreamDecoder defaults;
  EXPECT_EQ(defaults.feed(prelude(0xfffffff0, 0) + std::string(100, 'x'), never).error(),
            frame_errc::message_too_long);
  EXPECT_EQ(defaults.pending_bytes(), 0U);
}

// Verifies that a message cut across pieces buffers no more than its own bytes, and the buffer
// empties when it is delivered.
TEST(EventStreamDecoderTest, BuffersOnlyTheMessageInProgress) {
  const std::string big = encode_event("contentBlockDelta", std::string(200 * 1024, 'x'));
  const std::string small = encode_event("messageStop", "{}");
  const std::string stream = big + small + small;
  EventStreamDecoder decoder;
  std::size_t delivered = 0;
  for (std::size_t at = 0; at < stream.size(); at += 4096) {
    ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(at, 4096),
                             [&delivered](const EventMessage&) { ++delivered; }));
    EXPECT_LT(decoder.pending_bytes(), big.size());
  }
  EXPECT_EQ(delivered, 3U);
  EXPECT_EQ(decoder.pending_bytes(), 0U);
}

// Verifies that every header type is parsed and skipped to the byte, string headers after them
// are read, and an exposed name of another type is not exposed.
TEST(EventStreamDecoderTest, ParsesAndSkipsEveryHeaderType) {
  const std::string block =
      header("t", 0, "") + header("f", 1, "") + header("i8", 2, "\x07") +
      header("i16", 3, "\x01\x02") + header("i32", 4, "\x01\x02\x03\x04") +
      header("i64", 5, "12345678") +
      header(":exception-type", 6,
             std::string("\x00\x03"
                         "abc",
                         5)) +
      header("ts", 8, "87654321") + header("uuid", 9, "0123456789abcdef") +
      string_header("other", "skipped") + string_header(":event-type", "contentBlockStop") +
      string_header(":message-type", "event") + header("empty-bytes", 6, std::string(2, '\0')) +
      string_header(":content-type", "application/json");
  const Outcome out = decode_bytewise(frame(block, R"({"contentBlockIndex":0})"));
  ASSERT_FALSE(out.error) << out.error.message();
  ASSERT_EQ(out.messages.size(), 1U);
  Decoded expected;
  expected.message_type = "event";
  expected.event_type = "contentBlockStop";
  expected.content_type = "application/json";
  expected.payload = R"({"contentBlockIndex":0})";
  EXPECT_EQ(out.messages[0], expected);
}

// Verifies that the duplicate check holds for many headers (past the pairwise handful), both
// ways.
TEST(EventStreamDecoderTest, ChecksDuplicatesAmongManyHeaders) {
  std::string block;
  for (int i = 0; i < 300; ++i) block += header("h" + std::to_string(i), 0, "");
  EXPECT_FALSE(decode_whole(frame(block, "")).error);
  EXPECT_EQ(decode_whole(frame(block + header("h17", 1, ""), "")).error,
            frame_errc::duplicate_header);
}

// Verifies that the error codes carry their category and messages.
TEST(EventStreamDecoderTest, ErrorCodesHaveTheirCategory) {
  const ErrorCode code = frame_errc::duplicate_header;
  EXPECT_STREQ(code.category().name(), "llmtap.bedrock.eventstream");
  EXPECT_EQ(code.message(), "event stream message with the same header twice");
}

}  // namespace
}  // namespace llmtap::providers::bedrock
