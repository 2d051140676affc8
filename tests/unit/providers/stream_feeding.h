// Test helpers for the stream translators (providers::StreamTranslator): a native stream fed
// whole, fed in two pieces at every byte boundary and one byte at a time (a translator's output
// must not depend on how the upstream's bytes were cut), and the translated output split into
// its `data: ` events with the framing checked on the way; the expected events, built from a
// stream's chunk prefix (delta_chunk(), stream_ending()). Header-only, for providers_tests.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "providers/stream_translator.h"

namespace llmtap::providers::test_support {

// A fresh translator for one stream (each provider's make_stream_translator with a fixed
// identity).
using TranslatorFactory = std::function<std::unique_ptr<StreamTranslator>()>;

// The whole stream in one piece, then the end of the upstream's bytes.
inline std::string translate_whole(const TranslatorFactory& make, std::string_view stream) {
  auto translator = make();
  std::string out;
  translator->feed(stream, out);
  translator->finish(out);
  return out;
}

// Expects the same output as translate_whole() for the stream cut in two at every byte boundary,
// and fed one byte at a time.
inline void expect_same_at_every_cut(const TranslatorFactory& make, std::string_view stream) {
  const std::string whole = translate_whole(make, stream);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    auto translator = make();
    std::string out;
    translator->feed(stream.substr(0, cut), out);
    translator->feed(stream.substr(cut), out);
    translator->finish(out);
    ASSERT_EQ(out, whole) << "cut at " << cut;
  }
  auto translator = make();
  std::string out;
  for (const char byte : stream) translator->feed(std::string_view(&byte, 1), out);
  translator->finish(out);
  EXPECT_EQ(out, whole) << "fed one byte at a time";
}

// The data of each `data: ` event of a translated stream, checking the framing on the way.
inline std::vector<std::string> data_events(std::string_view out) {
  std::vector<std::string> events;
  while (!out.empty()) {
    EXPECT_EQ(out.substr(0, 6), "data: ") << out;
    const std::size_t end = out.find("\n\n");
    EXPECT_NE(end, std::string_view::npos) << out;
    if (out.substr(0, 6) != "data: " || end == std::string_view::npos) break;
    events.emplace_back(out.substr(6, end - 6));
    out.remove_prefix(end + 2);
  }
  return events;
}

// `<prefix>[{"index":0,"delta":{<delta>},"finish_reason":null}]}` and the blank line.
inline std::string delta_chunk(std::string_view prefix, std::string_view delta) {
  return std::string(prefix) + R"([{"index":0,"delta":{)" + std::string(delta) +
         R"(},"finish_reason":null}]})" + "\n\n";
}

// The finish chunk with `reason`, the usage-only chunk with `usage`, then `data: [DONE]`.
inline std::string stream_ending(std::string_view prefix, std::string_view reason,
                                 std::string_view usage) {
  return std::string(prefix) + R"([{"index":0,"delta":{},"finish_reason":")" + std::string(reason) +
         "\"}]}\n\n" + std::string(prefix) + R"([],"usage":)" + std::string(usage) +
         "}\n\ndata: [DONE]\n\n";
}

}  // namespace llmtap::providers::test_support
