#include "delivery/compressor.h"

#include <gtest/gtest.h>

#include "sink/decompress.h"

namespace llmtap::delivery {
namespace {

std::string sample_body() {
  std::string body = "[";
  for (int i = 0; i < 200; ++i)
    body += R"({"model":"gpt-4o","prompt_tokens":12,"status":"success"},)";
  body.back() = ']';
  return body;
}

// Verifies that both encodings shrink a batch and that the sink's decoder restores it exactly.
TEST(CompressorTest, GzipAndZstdRoundTripThroughTheSinkDecoder) {
  const std::string body = sample_body();
  for (auto compression : {config::Compression::gzip, config::Compression::zstd}) {
    auto compressed = compress(compression, body);
    ASSERT_TRUE(compressed);
    EXPECT_LT(compressed->size(), body.size() / 4);
    auto decoded = sink::decompress(*compressed, content_encoding(compression));
    ASSERT_TRUE(decoded.ok()) << decoded.message;
    EXPECT_EQ(decoded.bytes, body);
  }
}

// Verifies that compression none leaves the body as it was.
TEST(CompressorTest, NoneIsIdentityWithNoContentEncoding) {
  EXPECT_EQ(compress(config::Compression::none, "abc"), "abc");
  EXPECT_EQ(content_encoding(config::Compression::none), "");
  EXPECT_EQ(content_encoding(config::Compression::gzip), "gzip");
  EXPECT_EQ(content_encoding(config::Compression::zstd), "zstd");
}

// Verifies that an empty body still makes a valid stream.
TEST(CompressorTest, CompressesAnEmptyBody) {
  for (auto compression : {config::Compression::gzip, config::Compression::zstd}) {
    auto compressed = compress(compression, "");
    ASSERT_TRUE(compressed);
    auto decoded = sink::decompress(*compressed, content_encoding(compression));
    ASSERT_TRUE(decoded.ok()) << decoded.message;
    EXPECT_EQ(decoded.bytes, "");
  }
}

}  // namespace
}  // namespace llmtap::delivery
