// libFuzzer target: the Bedrock ConverseStream translator (providers/bedrock/stream_translator.h)
// fed in pieces and checked by stream_translator_check.h (same output whatever the cuts; only
// complete chunk or error events; nothing after an error or an overflow; output bounded by the
// input), with Bedrock's pass-through made strict: a stream whose first byte cannot start an
// event stream must come out as it went in, and any other stream must pass nothing through.
//
// Random bytes almost never carry a right CRC, so most inputs are built into frames. Byte 0:
// bit 0 set: raw mode, the rest (after the piece sizes) is the stream as it is; bits 1–3: how
// many of the next bytes are piece sizes (cycled); bit 4: json_mode (the json_tool_call tool's
// input streamed as content). The translator's client renamed one tool (get-weather, sent to
// Bedrock as get_weather). Otherwise the rest is records, each a kind byte, a length byte and
// that many payload bytes (fewer at the end), made into one frame each:
//   kind % 12: 0–5 the events messageStart, contentBlockStart, contentBlockDelta,
//   contentBlockStop, messageStop, metadata with the payload as their JSON (encode_event);
//   6 an event of a type the translator does not know; 7 an exception (encode_exception) of the
//   type kind / 12 picks; 8 an error message (:error-code, :error-message); 9 a contentBlockDelta
//   with one byte (kind / 12 picks which) flipped, so a CRC fails; 10 a prelude announcing a
//   message past the decoder's limit, with its CRC right (overflow); 11 the payload as it is.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "providers/bedrock/eventstream.h"
#include "providers/bedrock/stream_translator.h"
#include "stream_translator_check.h"

namespace {

namespace bedrock = llmtap::providers::bedrock;

constexpr std::array<std::string_view, 6> kEventTypes = {"messageStart",      "contentBlockStart",
                                                         "contentBlockDelta", "contentBlockStop",
                                                         "messageStop",       "metadata"};
constexpr std::array<std::string_view, 7> kExceptionTypes = {
    "throttlingException",       "validationException",     "modelTimeoutException",
    "modelStreamErrorException", "internalServerException", "serviceUnavailableException",
    "accessDeniedException"};

// One frame past EventStreamLimits' default max_message_bytes (16 MiB + 128 KiB + 16).
constexpr std::uint32_t kTooLong = (16U << 20) + (256U << 10);

void append_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// A prelude announcing kTooLong bytes, its CRC right: the decoder must refuse before buffering.
std::string too_long_prelude() {
  std::string prelude;
  append_u32(prelude, kTooLong);
  append_u32(prelude, 0);
  append_u32(prelude, static_cast<std::uint32_t>(
                          ::crc32(0, reinterpret_cast<const Bytef*>(prelude.data()), 8)));
  return prelude;
}

std::string build_frames(std::string_view records) {
  std::string stream;
  while (records.size() >= 2) {
    const auto kind = static_cast<unsigned char>(records[0]);
    const std::size_t length =
        std::min<std::size_t>(static_cast<unsigned char>(records[1]), records.size() - 2);
    const std::string_view payload = records.substr(2, length);
    records.remove_prefix(2 + length);
    const unsigned pick = kind / 12U;
    switch (kind % 12U) {
      case 6:
        stream += bedrock::encode_event("internalEvent", payload);
        break;
      case 7:
        stream +=
            bedrock::encode_exception(kExceptionTypes[pick % kExceptionTypes.size()], payload);
        break;
      case 8: {
        const std::size_t cut = payload.size() / 2;
        const bedrock::StringHeader headers[] = {{":message-type", "error"},
                                                 {":error-code", payload.substr(0, cut)},
                                                 {":error-message", payload.substr(cut)}};
        stream += bedrock::encode_message(headers, {});
        break;
      }
      case 9: {
        std::string frame = bedrock::encode_event("contentBlockDelta", payload);
        frame[pick % frame.size()] = static_cast<char>(frame[pick % frame.size()] ^ 0x5a);
        stream += frame;
        break;
      }
      case 10:
        stream += too_long_prelude();
        stream += payload;
        break;
      case 11:
        stream += payload;
        break;
      default:
        stream += bedrock::encode_event(kEventTypes[kind % 12U], payload);
    }
  }
  return stream;
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool raw = (data[0] & 1) != 0;
  const std::size_t sizes = std::min<std::size_t>((data[0] >> 1) % 8, size - 1);
  const std::span<const std::uint8_t> piece_sizes(data + 1, sizes);
  const std::string_view rest(reinterpret_cast<const char*>(data + 1 + sizes), size - 1 - sizes);

  llmtap::fuzz::StreamCheckOptions options;
  // A first byte of 2 or more would announce ≥ 32 MiB: stream_translator.h passes such bytes on.
  options.passes_through = [](std::string_view stream) {
    return !stream.empty() && static_cast<unsigned char>(stream.front()) >= 0x02;
  };
  // Every frame is ≥ 16 bytes, and no event writes more than a chunk's head and its content
  // re-escaped (≤ 6 bytes per byte); the ending and an error event fit in the 4 KiB allowed.
  options.max_output_per_input_byte = 8;
  const bool json_mode = (data[0] & 0x10) != 0;
  const auto make = [json_mode] {
    return bedrock::make_stream_translator(
        {"chatcmpl-fuzz", 1764700000, "bedrock-fuzz", json_mode, {{"get_weather", "get-weather"}}});
  };
  llmtap::fuzz::check_translation(raw ? std::string(rest) : build_frames(rest), piece_sizes, make,
                                  options);
  return 0;
}
