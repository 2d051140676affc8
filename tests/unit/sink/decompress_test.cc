#include "sink/decompress.h"

#include <gtest/gtest.h>

#include "compress_for_test.h"

namespace llmtap::sink {
namespace {

using test_util::gzip;
using test_util::zstd;

// Verifies that an absent or identity Content-Encoding passes the body through unchanged.
TEST(DecompressTest, IdentityPassesThrough) {
  EXPECT_EQ(decompress("abc", "").bytes, "abc");
  EXPECT_EQ(decompress("abc", " Identity ").bytes, "abc");
}

// Verifies that gzip bodies are inflated, whatever the case of the encoding name.
TEST(DecompressTest, InflatesGzip) {
  const std::string text(100000, 'x');
  const Decompressed result = decompress(gzip(text), "GZip");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.bytes, text);
}

// Verifies that two concatenated gzip members decode to both payloads in order.
TEST(DecompressTest, InflatesConcatenatedGzipMembers) {
  const Decompressed result = decompress(gzip("hello ") + gzip("world"), "gzip");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.bytes, "hello world");
}

// Verifies that zstd bodies are decoded, including several frames back to back.
TEST(DecompressTest, DecodesZstdFrames) {
  const std::string text(300000, 'y');
  const Decompressed result = decompress(zstd(text) + zstd("!"), "zstd");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.bytes, text + "!");
}

// Verifies that truncated streams are reported as corrupt, not as a shorter body.
TEST(DecompressTest, RejectsTruncatedStreams) {
  const std::string text(5000, 'z');
  const std::string gz = gzip(text);
  const std::string zs = zstd(text);
  EXPECT_EQ(decompress(gz.substr(0, gz.size() - 4), "gzip").error, DecompressError::corrupt);
  EXPECT_EQ(decompress(zs.substr(0, zs.size() - 4), "zstd").error, DecompressError::corrupt);
  EXPECT_EQ(decompress("", "zstd").error, DecompressError::corrupt);
  EXPECT_EQ(decompress("", "gzip").error, DecompressError::corrupt);
}

// Verifies that bytes that are not in the announced encoding are reported as corrupt.
TEST(DecompressTest, RejectsGarbage) {
  EXPECT_EQ(decompress("not gzip at all", "gzip").error, DecompressError::corrupt);
  EXPECT_EQ(decompress("not zstd at all", "zstd").error, DecompressError::corrupt);
}

// Verifies that an encoding we do not decode is named in the error.
TEST(DecompressTest, RejectsUnsupportedEncoding) {
  const Decompressed result = decompress("x", "br");
  EXPECT_EQ(result.error, DecompressError::unsupported);
  EXPECT_NE(result.message.find("'br'"), std::string::npos) << result.message;
}

// Verifies that a decompression bomb stops at the bound instead of filling memory.
TEST(DecompressTest, StopsAtTheBound) {
  const std::string big(1 << 20, '0');
  EXPECT_EQ(decompress(gzip(big), "gzip", 1000).error, DecompressError::too_large);
  EXPECT_EQ(decompress(zstd(big), "zstd", 1000).error, DecompressError::too_large);
  EXPECT_EQ(decompress(big, "", 1000).error, DecompressError::too_large);
  // Exactly at the bound is still fine.
  EXPECT_TRUE(decompress(gzip(big), "gzip", big.size()).ok());
  EXPECT_TRUE(decompress(zstd(big), "zstd", big.size()).ok());
}

}  // namespace
}  // namespace llmtap::sink
