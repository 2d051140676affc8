#include "base/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace llmtap {
namespace {

// Verifies SHA-256 against FIPS 180-4's examples (the empty string, "abc", the two-block one).
TEST(Sha256Test, MatchesTheFipsExamples) {
  EXPECT_EQ(hex_lower(sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_lower(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_lower(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Verifies HMAC-SHA256 against RFC 4231's test cases 1, 2 and 6 (a key longer than a block,
// hashed first).
TEST(Sha256Test, HmacMatchesRfc4231) {
  EXPECT_EQ(hex_lower(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex_lower(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex_lower(hmac_sha256(std::string(131, '\xaa'),
                                  "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// Verifies that a digest used as the next key gives the same HMAC as its bytes as a string.
TEST(Sha256Test, DigestKeyEqualsItsBytes) {
  const Sha256Digest key = sha256("key");
  const std::string key_bytes(key.begin(), key.end());
  EXPECT_EQ(hmac_sha256(key, "message"), hmac_sha256(key_bytes, "message"));
}

// Verifies that hex is lowercase, two digits a byte, appended after what is there.
TEST(Sha256Test, HexIsLowercaseAndAppends) {
  const unsigned char bytes[] = {0x00, 0x0f, 0xa0, 0xff};
  std::string out = "x=";
  append_hex_lower(out, bytes);
  EXPECT_EQ(out, "x=000fa0ff");
  EXPECT_EQ(hex_lower({}), "");
}

}  // namespace
}  // namespace llmtap
