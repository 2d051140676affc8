#include "delivery/request_sealer.h"

#include <gtest/gtest.h>

#include "delivery/webhook_signer.h"
#include "fakes.h"
#include "sink/decompress.h"

namespace llmtap::delivery {
namespace {

using testing::header;

// Verifies webhook-* headers (id = the batch key), Content-Encoding, and that the signature
// checks out against the decoded body.
TEST(RequestSealerTest, SignsTheUncompressedBodyThenCompresses) {
  config::CallbackConfig callback;
  callback.signing_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  callback.compression = config::Compression::zstd;
  RequestSealer sealer(callback);
  http::ClientRequest request;
  request.body = R"([{"a":1},{"b":2}])";
  sealer.seal(request, "0123456789abcdef-1", 1700000000);
  EXPECT_EQ(header(request, "webhook-id"), "0123456789abcdef-1");
  EXPECT_EQ(header(request, "webhook-timestamp"), "1700000000");
  EXPECT_EQ(header(request, "Content-Encoding"), "zstd");
  auto decoded = sink::decompress(request.body, "zstd");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.bytes, R"([{"a":1},{"b":2}])");
  const auto verifier = *WebhookSigner::from_secret(callback.signing_secret);
  EXPECT_EQ(verifier.verify("0123456789abcdef-1", "1700000000",
                            header(request, "webhook-signature"), decoded.bytes, 1700000010),
            SignatureCheck::ok);
}

// Verifies that without a secret or compression nothing is added or changed.
TEST(RequestSealerTest, LeavesPlainRequestsAlone) {
  RequestSealer sealer(config::CallbackConfig{});
  http::ClientRequest request;
  request.body = "[]";
  sealer.seal(request, "k-1", 1);
  EXPECT_TRUE(request.headers.empty());
  EXPECT_EQ(request.body, "[]");
  EXPECT_FALSE(sealer.signs());
}

// Verifies that a secret the loader would reject is a start-up error, not an unsigned callback.
TEST(RequestSealerTest, RefusesAMalformedSecret) {
  config::CallbackConfig callback;
  callback.signing_secret = "not-a-secret";
  EXPECT_THROW(RequestSealer{callback}, std::invalid_argument);
}

}  // namespace
}  // namespace llmtap::delivery
