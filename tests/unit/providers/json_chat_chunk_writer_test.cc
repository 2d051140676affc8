#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "providers/json/chat_chunk_writer.h"

namespace llmtap::providers {
namespace {

// Verifies the chunk prefix (id escaped, created as digits, the model and choices key left to the
// caller), and the stream's normal ending: finish chunk, usage-only chunk, [DONE].
TEST(ChatChunkWriterTest, PrefixAndStreamEndGolden) {
  std::string prefix;
  append_chunk_head(prefix, "chatcmpl-\"1\"", 1764700000);
  prefix.append(R"("m")");
  append_chunk_choices_key(prefix);
  EXPECT_EQ(prefix, R"(data: {"id":"chatcmpl-\"1\"","object":"chat.completion.chunk",)"
                    R"("created":1764700000,"model":"m","choices":)");

  std::string out = "before\n\n";
  append_stream_end(out, prefix, "tool_calls", [](payload::JsonWriter& w) {
    w.begin_object();
    w.key("total_tokens");
    w.integer(3);
    w.end_object();
  });
  EXPECT_EQ(out, "before\n\n" + prefix +
                     R"([{"index":0,"delta":{},"finish_reason":"tool_calls"}]})" + "\n\n" + prefix +
                     R"([],"usage":{"total_tokens":3}})" + "\n\ndata: [DONE]\n\n");
}

// Verifies integers at the ends of their range.
TEST(ChatChunkWriterTest, IntegersAtTheirLimits) {
  std::string out;
  append_integer(out, 0);
  out += ' ';
  append_integer(out, std::numeric_limits<std::int64_t>::min());
  out += ' ';
  append_integer(out, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(out, "0 -9223372036854775808 9223372036854775807");
}

}  // namespace
}  // namespace llmtap::providers
