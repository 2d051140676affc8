// The one checker behind the stream translators' libFuzzer targets (anthropic_stream_fuzz.cc,
// gemini_stream_fuzz.cc, cohere_stream_fuzz.cc, bedrock_stream_fuzz.cc, and any provider's next
// one): a translator from `make` fed a stream whole and in pieces. check_stream_translator()
// takes the stream and its cuts from arbitrary bytes: the first input byte says how many of the
// next bytes are piece sizes (cycled); the rest is the stream. Checks, aborting on a failure:
//   - the output is the same whatever the cuts (as long as nothing overflowed);
//   - it is made only of complete `data: <JSON>\n\n` events — chunks with `choices`, an error
//     event or `[DONE]`, nothing after the last two — and of passed-through non-SSE events, each
//     a verbatim slice of the input (StreamCheckOptions can make that stricter);
//   - once stream_error() or overflow() is set nothing more is appended, and a stream_error()
//     comes with an error event;
//   - optionally, the output is no more than a bounded multiple of the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "providers/stream_translator.h"

namespace llmtap::fuzz {

using StreamTranslatorFactory =
    std::function<std::unique_ptr<llmtap::providers::StreamTranslator>()>;

struct StreamCheckOptions {
  // For a translator that passes a stream through whole or not at all (Bedrock: bytes that
  // cannot start an event stream): whether it passes `stream` through. Then the output must be
  // the stream itself when this says so, and only translated events otherwise — passed-through
  // bytes are not read as events, so a JSON body holding "\n\ndata: " is no failure, and a
  // translated stream may pass nothing through. Unset: any non-`data: ` event of the output may
  // be a passed-through one (the SSE translators pass such events through one by one).
  std::function<bool(std::string_view stream)> passes_through;
  // When not 0: the output may be at most this many bytes per input byte, plus 4 KiB (an ending
  // or an error event) — what the translator holds and writes does not grow with the stream so
  // far.
  std::size_t max_output_per_input_byte = 0;
};

// Returns 0, as LLVMFuzzerTestOneInput does.
int check_stream_translator(const std::uint8_t* data, std::size_t size,
                            const StreamTranslatorFactory& make,
                            const StreamCheckOptions& options = {});

// The checks on `stream` itself: fed whole, and in pieces of 1 + piece_sizes[i] bytes (cycled;
// no piece sizes: whole once more).
void check_translation(std::string_view stream, std::span<const std::uint8_t> piece_sizes,
                       const StreamTranslatorFactory& make, const StreamCheckOptions& options);

}  // namespace llmtap::fuzz
