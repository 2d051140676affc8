#include "delivery/webhook_signer.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace llmtap::delivery {
namespace {

// The Standard Webhooks specification's own test vector.
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp = 1614265330;
constexpr std::string_view kBody = R"({"test": 2432232314})";
constexpr std::string_view kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

WebhookSigner signer() { return *WebhookSigner::from_secret(kSecret); }

// Verifies that signing reproduces the signature published with the Standard Webhooks spec.
TEST(WebhookSignerTest, MatchesTheSpecificationTestVector) {
  EXPECT_EQ(signer().sign(kId, kTimestamp, kBody), kSignature);
}

// Verifies the signed content is "id.timestamp.body" under the base64-decoded key.
TEST(WebhookSignerTest, MatchesAnHmacComputedDirectly) {
  const std::string key = *base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const std::string content = "batch-7.1700000000.[{\"a\":1}]";
  unsigned char digest[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest, &length);
  const std::string expected =
      "v1," + base64_encode(std::string(reinterpret_cast<char*>(digest), length));
  EXPECT_EQ(signer().sign("batch-7", 1700000000, "[{\"a\":1}]"), expected);
}

// Verifies that a header holding a rotated-out signature and the right one is accepted.
TEST(WebhookSignerTest, VerifiesAnyOfSeveralEntries) {
  const std::string header =
      "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,zzz " + std::string(kSignature);
  EXPECT_EQ(signer().verify(kId, "1614265330", header, kBody, kTimestamp), SignatureCheck::ok);
}

// Verifies each way a delivery fails verification.
TEST(WebhookSignerTest, RejectsTamperingStaleTimestampsAndMissingHeaders) {
  const WebhookSigner s = signer();
  EXPECT_EQ(s.verify(kId, "1614265330", kSignature, R"({"test": 2432232315})", kTimestamp),
            SignatureCheck::mismatch);
  EXPECT_EQ(s.verify("msg_other", "1614265330", kSignature, kBody, kTimestamp),
            SignatureCheck::mismatch);
  EXPECT_EQ(s.verify(kId, "1614265330", kSignature, kBody, kTimestamp + 301),
            SignatureCheck::stale_timestamp);
  EXPECT_EQ(s.verify(kId, "1614265330", kSignature, kBody, kTimestamp - 301),
            SignatureCheck::stale_timestamp);
  EXPECT_EQ(s.verify(kId, "1614265330", kSignature, kBody, kTimestamp + 299), SignatureCheck::ok);
  EXPECT_EQ(s.verify(kId, "16142x", kSignature, kBody, kTimestamp), SignatureCheck::bad_timestamp);
  EXPECT_EQ(s.verify(kId, "", kSignature, kBody, kTimestamp), SignatureCheck::missing_header);
  EXPECT_EQ(s.verify(kId, "1614265330", "", kBody, kTimestamp), SignatureCheck::missing_header);
  const WebhookSigner other = *WebhookSigner::from_secret("whsec_c2VjcmV0LWtleS0y");
  EXPECT_EQ(other.verify(kId, "1614265330", kSignature, kBody, kTimestamp),
            SignatureCheck::mismatch);
}

// Verifies the secret format check and strict base64 decoding.
TEST(WebhookSignerTest, AcceptsOnlyWhsecBase64Secrets) {
  EXPECT_FALSE(WebhookSigner::from_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_FALSE(WebhookSigner::from_secret("whsec_"));
  EXPECT_FALSE(WebhookSigner::from_secret("whsec_abc"));
  EXPECT_FALSE(WebhookSigner::from_secret("whsec_ab c="));
  EXPECT_TRUE(WebhookSigner::from_secret("whsec_YQ=="));
  EXPECT_EQ(base64_decode("YWJj"), "abc");
  EXPECT_EQ(base64_decode("YWI="), "ab");
  EXPECT_EQ(base64_decode("YQ=="), "a");
  EXPECT_FALSE(base64_decode("Y==="));
  EXPECT_EQ(base64_encode("ab"), "YWI=");
}

}  // namespace
}  // namespace llmtap::delivery
