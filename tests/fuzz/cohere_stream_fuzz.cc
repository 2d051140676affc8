// libFuzzer target: the Cohere v2 chat stream translator fed arbitrary bytes in pieces, checked
// by stream_translator_check.h (same output whatever the cuts; only complete events and verbatim
// passed-through input).
#include <cstddef>
#include <cstdint>

#include "providers/cohere/stream_translator.h"
#include "stream_translator_check.h"

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return llmtap::fuzz::check_stream_translator(data, size, [] {
    return llmtap::providers::cohere::make_stream_translator(
        {"chatcmpl-fuzz", 1764700000, "command-fuzz"});
  });
}
