#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>
#include <vector>

#include "base/base64.h"
#include "providers/vertex/jwt_assertion.h"

namespace llmtap::providers::vertex {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// A fresh test key pair (generated here; nothing secret is committed).
Pkey rsa_key() { return Pkey(EVP_RSA_gen(2048)); }

// The account's key, generated once for the tests (a 2048-bit key takes a few hundred ms).
EVP_PKEY* account_key() {
  static const Pkey kAccountKey = rsa_key();
  return kAccountKey.get();
}

// `key` as PEM: PKCS#8 ("BEGIN PRIVATE KEY", as Google's key files), or PKCS#1 for an RSA key.
std::string private_pem(EVP_PKEY* key, bool pkcs1 = false) {
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  const int written =
      pkcs1 ? PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr,
                                                   nullptr)
            : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  EXPECT_EQ(written, 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

ServiceAccount account_with(EVP_PKEY* key) {
  ServiceAccount account;
  account.client_email = "sa@my-project.iam.gserviceaccount.com";
  account.private_key = private_pem(key);
  account.private_key_id = "key-1";
  account.project_id = "my-project";
  return account;
}

std::vector<std::string> split_jwt(const std::string& jwt) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot = jwt.find('.'); dot != std::string::npos; dot = jwt.find('.', start)) {
    parts.push_back(jwt.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(jwt.substr(start));
  return parts;
}

bool signature_verifies(EVP_PKEY* key, const std::string& signed_part,
                        const std::string& signature) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                        &EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

constexpr std::chrono::sys_seconds kNow{std::chrono::seconds{1'700'000'000}};

// Verifies that the assertion has google-auth's header and claims exactly, and an RS256
// signature the account's public key verifies.
TEST(VertexJwtAssertionTest, SignsGoogleAuthsHeaderAndClaims) {
  EVP_PKEY* const key = account_key();
  const auto signer = ServiceAccountSigner::create(account_with(key));
  ASSERT_TRUE(signer) << signer.error().message();
  const auto jwt = signer->assertion(kNow);
  ASSERT_TRUE(jwt) << jwt.error().message();

  const std::vector<std::string> parts = split_jwt(*jwt);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(base64url_decode(parts[0]).value_or("?"),
            R"({"alg":"RS256","typ":"JWT","kid":"key-1"})");
  EXPECT_EQ(base64url_decode(parts[1]).value_or("?"),
            R"({"iss":"sa@my-project.iam.gserviceaccount.com",)"
            R"("scope":"https://www.googleapis.com/auth/cloud-platform",)"
            R"("aud":"https://oauth2.googleapis.com/token","iat":1700000000,"exp":1700003600})");
  const auto signature = base64url_decode(parts[2]);
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(signature->size(), 256u);
  EXPECT_TRUE(signature_verifies(key, parts[0] + "." + parts[1], *signature));
  // Another key does not verify it.
  const Pkey other = rsa_key();
  EXPECT_FALSE(signature_verifies(other.get(), parts[0] + "." + parts[1], *signature));
}

// Verifies that the audience is Google's token endpoint whatever the token_uri (as both SDKs
// sign), and that a file without a private_key_id has no kid.
TEST(VertexJwtAssertionTest, SignsForGooglesAudienceAndLeavesOutAnAbsentKid) {
  ServiceAccount account = account_with(account_key());
  account.private_key_id.clear();
  account.token_uri = "http://127.0.0.1:9/token";
  const auto signer = ServiceAccountSigner::create(account);
  ASSERT_TRUE(signer);
  const auto jwt = signer->assertion(kNow);
  ASSERT_TRUE(jwt);
  const std::vector<std::string> parts = split_jwt(*jwt);
  EXPECT_EQ(base64url_decode(parts[0]).value_or("?"), R"({"alg":"RS256","typ":"JWT"})");
  EXPECT_NE(base64url_decode(parts[1]).value_or("?").find(
                R"("aud":"https://oauth2.googleapis.com/token")"),
            std::string::npos);
  EXPECT_EQ(signer->token_uri(), "http://127.0.0.1:9/token");
}

// Verifies that a PKCS#1 PEM ("BEGIN RSA PRIVATE KEY") signs as the PKCS#8 one does.
TEST(VertexJwtAssertionTest, TakesAPkcs1Key) {
  ServiceAccount account = account_with(account_key());
  account.private_key = private_pem(account_key(), /*pkcs1=*/true);
  ASSERT_TRUE(account.private_key.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
  const auto signer = ServiceAccountSigner::create(account);
  ASSERT_TRUE(signer);
  const auto jwt = signer->assertion(kNow);
  ASSERT_TRUE(jwt);
  const std::vector<std::string> parts = split_jwt(*jwt);
  EXPECT_TRUE(signature_verifies(account_key(), parts[0] + "." + parts[1],
                                 base64url_decode(parts[2]).value_or("")));
}

// Verifies that a private key that is no PEM, or no RSA key, is refused at creation.
TEST(VertexJwtAssertionTest, RefusesAKeyThatIsNotRsa) {
  ServiceAccount account;
  account.client_email = "sa@x";
  account.private_key = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
  const auto garbage = ServiceAccountSigner::create(account);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error(), auth_errc::bad_private_key);
  EXPECT_EQ(garbage.error().message().find("bm90"), std::string::npos);
  const Pkey ec(EVP_EC_gen("P-256"));
  ASSERT_TRUE(ec);
  account.private_key = private_pem(ec.get());
  EXPECT_EQ(ServiceAccountSigner::create(account).error(), auth_errc::bad_private_key);
}

// Verifies the token request's form body.
TEST(VertexJwtAssertionTest, FormEncodesTheGrant) {
  EXPECT_EQ(token_request_body("aa.bb.cc"),
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=aa.bb.cc");
}

// Verifies that a token answer gives the token and its lifetime.
TEST(VertexJwtAssertionTest, ReadsTheTokenAnswer) {
  const auto token = parse_token_answer(
      200, R"({"access_token":"ya29.abc","expires_in":3599,"token_type":"Bearer"})");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->access_token, "ya29.abc");
  EXPECT_EQ(token->expires_in, std::chrono::seconds{3599});
}

// Verifies that Google's OAuth error answers keep the status, error and error_description.
TEST(VertexJwtAssertionTest, ReadsGooglesErrorAnswers) {
  const auto rejected = parse_token_answer(
      400, R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, auth_errc::token_rejected);
  EXPECT_EQ(rejected.error().status, 400);
  EXPECT_EQ(rejected.error().oauth_error, "invalid_grant");
  EXPECT_EQ(rejected.error().error_description, "Invalid JWT Signature.");
  EXPECT_EQ(rejected.error().message(),
            "Google token endpoint rejected the assertion (status 400): invalid_grant: Invalid "
            "JWT Signature.");

  const auto unavailable = parse_token_answer(503, "<html>busy</html>");
  ASSERT_FALSE(unavailable);
  EXPECT_EQ(unavailable.error().code, auth_errc::token_endpoint_unavailable);
  EXPECT_EQ(unavailable.error().message(), "Google token endpoint unavailable (status 503)");
}

// Verifies that a 2xx answer without a usable token is bad_token_answer.
TEST(VertexJwtAssertionTest, RefusesAnAnswerWithoutAToken) {
  for (const std::string_view body :
       {"not json", R"({"expires_in":3599})", R"({"access_token":"","expires_in":3599})",
        R"({"access_token":"ya29.x","expires_in":0})", R"({"access_token":"ya29.x"})"}) {
    const auto answer = parse_token_answer(200, body);
    ASSERT_FALSE(answer) << body;
    EXPECT_EQ(answer.error().code, auth_errc::bad_token_answer) << body;
    EXPECT_EQ(answer.error().message().find("ya29"), std::string::npos) << body;
  }
}

}  // namespace
}  // namespace llmtap::providers::vertex
