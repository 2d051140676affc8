// libFuzzer target: the Anthropic stream translator through the shared harness
// (stream_translator_fuzz.h: the same output whatever the cuts, only whole events or verbatim
// passed-through bytes).
#include <cstddef>
#include <cstdint>

#include "providers/anthropic/stream_translator.h"
#include "stream_translator_fuzz.h"

// NOLINTNEXTLINE(readability-identifier-naming): libFuzzer names the entry point.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return llmtap::fuzz::run_stream_translator_fuzz(data, size, [] {
    return llmtap::providers::anthropic::make_stream_translator(
        {"chatcmpl-fuzz", 1764700000, "claude-fuzz"});
  });
}
