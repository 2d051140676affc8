// The Google token half of the mock upstream, over plain HTTP: each check it makes of a JWT
// bearer grant, in order, with Google's error body, and its token numbering. Its fidelity to
// Google is proven by google-auth-library in tests/integration/google_auth_sdk_test.cc; these
// pin the checks that SDK cannot be made to fail. The grants are signed here with OpenSSL and
// the test account's key (tests/data/vertex/), independently of src/providers/vertex/.
#include "support/mock_google_token.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "base/base64.h"
#include "support/http_call.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

constexpr std::string_view kGrant = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The claims of a good grant, with `iat` and `exp` as given.
std::string claims(std::int64_t iat, std::int64_t exp,
                   std::string_view aud = "https://oauth2.googleapis.com/token",
                   std::string_view scope = "https://www.googleapis.com/auth/cloud-platform") {
  std::string out = R"({"iss":")" + std::string(kTestServiceAccountEmail) + R"(")";
  if (!scope.empty()) out += R"(,"scope":")" + std::string(scope) + R"(")";
  out += R"(,"aud":")" + std::string(aud) + R"(","iat":)" + std::to_string(iat) + R"(,"exp":)" +
         std::to_string(exp) + "}";
  return out;
}

class MockGoogleTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
    const std::string key_file = read_file(LLMTAP_TEST_DATA_DIR "/vertex/service_account.json");
    simdjson::dom::parser parser;
    std::string_view pem;
    ASSERT_EQ(parser.parse(key_file)["private_key"].get(pem), simdjson::SUCCESS);
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    key_.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(key_);
  }

  // `header` and `claims` as a JWT signed RS256 with the test account's key.
  std::string jwt(std::string_view header, std::string_view claims_json) const {
    std::string signed_part = base64url_encode(header) + "." + base64url_encode(claims_json);
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                          &EVP_MD_CTX_free);
    std::size_t size = 0;
    EXPECT_EQ(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()), 1);
    EXPECT_EQ(EVP_DigestSign(context.get(), nullptr, &size,
                             reinterpret_cast<const unsigned char*>(signed_part.data()),
                             signed_part.size()),
              1);
    std::string signature(size, '\0');
    EXPECT_EQ(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()),
                             &size, reinterpret_cast<const unsigned char*>(signed_part.data()),
                             signed_part.size()),
              1);
    signature.resize(size);
    return signed_part + "." + base64url_encode(signature);
  }

  std::string grant(std::string_view claims_json,
                    std::string_view header = R"({"alg":"RS256","typ":"JWT"})") const {
    return "grant_type=" + std::string(kGrant) + "&assertion=" + jwt(header, claims_json);
  }

  HttpReply post(std::string_view body) const {
    return http_request(mock_.port, "POST", "/token",
                        {{"Content-Type", "application/x-www-form-urlencoded"}}, body);
  }

  TempDir dir_;
  StartedServer mock_;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_{nullptr, &EVP_PKEY_free};
};

// Verifies that good grants get numbered tokens of 3599 s, and the stats count them.
TEST_F(MockGoogleTokenTest, IssuesNumberedTokens) {
  const std::int64_t now = unix_now();
  for (int n = 1; n <= 2; ++n) {
    const HttpReply reply = post(grant(claims(now, now + 3600)));
    ASSERT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, R"({"access_token":"ya29.mock-)" + std::to_string(n) +
                              R"(","expires_in":3599,"token_type":"Bearer"})");
  }
  EXPECT_EQ(http_request(mock_.port, "GET", "/token-stats").body, R"({"issued":2,"rejected":0})");
}

// Verifies each check in order, each a 400 with Google's error body, and that rejected grants
// are counted and issue nothing.
TEST_F(MockGoogleTokenTest, RejectsWhatGoogleRejects) {
  const std::int64_t now = unix_now();
  const std::string timeframe =
      R"({"error":"invalid_grant","error_description":"Invalid JWT: Token must be a )"
      R"(short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp )"
      R"(values in the JWT claim."})";
  const struct {
    std::string body;
    std::string answer;
  } cases[] = {
      {"grant_type=refresh_token&refresh_token=x",
       R"({"error":"unsupported_grant_type","error_description":"Invalid grant_type: )"
       R"(refresh_token"})"},
      {"grant_type=" + std::string(kGrant) + "&assertion=not-a-jwt",
       R"({"error":"invalid_request","error_description":"Invalid JWT payload."})"},
      {grant(claims(now, now + 3600), R"({"alg":"HS256"})"),
       R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})"},
      {grant(claims(now, now + 3600)) + "x",
       R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})"},
      {grant(claims(now, now + 3600, "http://127.0.0.1/token")),
       R"({"error":"invalid_grant","error_description":"Invalid JWT: Failed audience check."})"},
      {grant(claims(now, now + 3600, "https://oauth2.googleapis.com/token", "")),
       R"({"error":"invalid_scope","error_description":"Invalid OAuth scope or ID token )"
       R"(audience provided."})"},
      {grant(claims(now, now + 3601)), timeframe},
      {grant(claims(now + 120, now + 3000)), timeframe},
      {grant(claims(now - 7200, now - 3600)), timeframe},
  };
  for (const auto& c : cases) {
    const HttpReply reply = post(c.body);
    ASSERT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, 400) << c.body;
    EXPECT_EQ(reply.body, c.answer) << c.body;
  }
  EXPECT_EQ(http_request(mock_.port, "GET", "/token-stats").body, R"({"issued":0,"rejected":9})");
}

}  // namespace
}  // namespace llmtap::test
