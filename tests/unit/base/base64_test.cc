#include "base/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace llmtap {
namespace {

// Verifies that base64url uses the URL-safe alphabet and drops the padding (RFC 4648 §5).
TEST(Base64UrlTest, EncodesUrlSafeWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\xbf", 3)), "-_-_");
  EXPECT_EQ(base64_encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
}

// Verifies that base64url decodes what it encodes, whatever the length mod 3.
TEST(Base64UrlTest, DecodesWhatItEncodes) {
  for (const std::string bytes : {"", "a", "ab", "abc", "abcd", "\xfb\xff\xbf\x00\x01"}) {
    const auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded.has_value()) << bytes;
    EXPECT_EQ(*decoded, bytes);
  }
}

// Verifies that base64url rejects padding, the standard alphabet's '+' and '/', and a length
// no encoding has.
TEST(Base64UrlTest, RejectsWhatIsNotBase64Url) {
  EXPECT_FALSE(base64url_decode("Zg==").has_value());
  EXPECT_FALSE(base64url_decode("+/+/").has_value());
  EXPECT_FALSE(base64url_decode("Zm9vY").has_value());
  EXPECT_FALSE(base64url_decode("Zm9v!A").has_value());
}

}  // namespace
}  // namespace llmtap
