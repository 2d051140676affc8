// Test helpers for the stream translators (providers/stream_translator.h): a whole stream
// translated in one piece, and the check that it translates the same at every cut — in two
// pieces at each byte boundary, then one byte at a time. `make` returns a fresh translator.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace llmtap::providers::test {

template <class Make>
std::string translate_whole(const Make& make, std::string_view stream) {
  auto translator = make();
  std::string out;
  translator->feed(stream, out);
  translator->finish(out);
  return out;
}

template <class Make>
void expect_same_at_every_cut(const Make& make, std::string_view stream) {
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
  for (char c : stream) translator->feed(std::string_view(&c, 1), out);
  translator->finish(out);
  EXPECT_EQ(out, whole);
}

}  // namespace llmtap::providers::test
