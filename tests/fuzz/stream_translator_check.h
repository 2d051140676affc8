// The one checker behind the stream translators' libFuzzer targets (anthropic_stream_fuzz.cc,
// gemini_stream_fuzz.cc, and any provider's next one): a translator from `make` fed arbitrary
// bytes in pieces. The first input byte says how many of the next bytes are piece sizes
// (cycled); the rest is the stream. Checks, aborting on a failure:
//   - the output is the same whatever the cuts (as long as nothing overflowed);
//   - it is made only of complete `data: <JSON>\n\n` events — chunks with `choices`, an error
//     event or `[DONE]`, nothing after the last two — and of passed-through non-SSE events, each
//     a verbatim slice of the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "providers/stream_translator.h"

namespace llmtap::fuzz {

using StreamTranslatorFactory =
    std::function<std::unique_ptr<llmtap::providers::StreamTranslator>()>;

// Returns 0, as LLVMFuzzerTestOneInput does.
int check_stream_translator(const std::uint8_t* data, std::size_t size,
                            const StreamTranslatorFactory& make);

}  // namespace llmtap::fuzz
