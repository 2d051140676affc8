// The Google token mock (tests/support/mock_google_token.h) proven by Google's own client: the
// official google-auth-library npm package's JWT client — the service-account flow google-auth
// runs for Vertex AI credentials — (tests/integration/provider_sdks/google_auth.mjs, installed
// by scripts/install-deps.sh) signs its grant with the test service account's key
// (tests/data/vertex/service_account.json, a throwaway key made for tests) and must get the
// mock's token, reading its lifetime, and Google's errors for a wrong key or an unknown account.
// Then llmtap's own grant (src/providers/vertex/: the key file, the signer, the form body, the
// answer's reader, the token cache) must get a token from the mock, so trusted, in the same way.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "integration/node_steps.h"
#include "providers/vertex/jwt_assertion.h"
#include "providers/vertex/service_account.h"
#include "providers/vertex/token_cache.h"
#include "support/http_call.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

using providers::vertex::AccessToken;
using providers::vertex::auth_errc;
using providers::vertex::AuthError;
using providers::vertex::parse_token_answer;
using providers::vertex::read_service_account;
using providers::vertex::ServiceAccount;
using providers::vertex::ServiceAccountSigner;
using providers::vertex::token_request_body;
using providers::vertex::TokenCache;
using ::testing::HasSubstr;

constexpr const char* kKeyFile = LLMTAP_TEST_DATA_DIR "/vertex/service_account.json";

std::string text(simdjson::dom::element element) { return std::string(std::string_view(element)); }

std::chrono::sys_seconds wall_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A PEM private key other than the test account's.
std::string other_private_key() {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

class GoogleAuthSdkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
    auto account = read_service_account(read_file(kKeyFile));
    ASSERT_TRUE(account) << account.error().message();
    account_ = *account;
    account_.token_uri = token_url();
  }

  std::string token_url() const {
    return "http://127.0.0.1:" + std::to_string(mock_.port) + "/token";
  }

  // The mock's counts: {"issued":n,"rejected":m}.
  std::string token_stats() const { return http_request(mock_.port, "GET", "/token-stats").body; }

  // One token request as llmtap makes it: `account`'s assertion at `now`, form-encoded.
  Result<AccessToken, AuthError> fetch(const ServiceAccount& account,
                                       std::chrono::sys_seconds now) const {
    const auto signer = ServiceAccountSigner::create(account);
    EXPECT_TRUE(signer);
    const auto assertion = signer->assertion(now);
    EXPECT_TRUE(assertion);
    const HttpReply reply = http_request(mock_.port, "POST", "/token",
                                         {{"Content-Type", "application/x-www-form-urlencoded"}},
                                         token_request_body(*assertion));
    EXPECT_TRUE(reply.ok()) << reply.error;
    return parse_token_answer(reply.status, reply.body);
  }

  TempDir dir_;
  StartedServer mock_;
  ServiceAccount account_;
  simdjson::dom::parser parser_;
};

// Verifies that the SDK gets the mock's token for the test account, reads its lifetime
// (3599 s) and caches it, and that its error for a wrong key or an unknown account is Google's
// OAuth error as the SDK words it ("invalid_grant: Invalid JWT Signature.").
TEST_F(GoogleAuthSdkTest, SdkGetsATokenAndGooglesErrors) {
  std::map<std::string, std::string> steps =
      run_node_steps("provider_sdks/google_auth.mjs",
                     {token_url(), kKeyFile, "token", "cached", "wrong-key", "unknown-account"}, 4);
  for (const auto& [name, line] : steps) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("\"unexpected\""))) << line;
  }
  ASSERT_EQ(steps.size(), 4u);

  simdjson::dom::element token = parser_.parse(steps["token"]).value_unsafe();
  EXPECT_EQ(text(token["token"]), "ya29.mock-1") << steps["token"];
  EXPECT_EQ(text(token["token_type"]), "Bearer");
  EXPECT_GE(int64_t(token["expires_in_seconds"]), 3594);
  EXPECT_LE(int64_t(token["expires_in_seconds"]), 3599);
  // The SDK asks for Google's URL whatever the key file's token_uri (google_auth.mjs).
  EXPECT_EQ(simdjson::minify(token["asked"]), R"(["https://oauth2.googleapis.com/token"])");

  simdjson::dom::element cached = parser_.parse(steps["cached"]).value_unsafe();
  EXPECT_EQ(text(cached["token"]), "ya29.mock-1") << steps["cached"];
  EXPECT_EQ(int64_t(cached["posts"]), 1);

  simdjson::dom::element wrong_key = parser_.parse(steps["wrong-key"]).value_unsafe();
  EXPECT_EQ(text(wrong_key["message"]), "invalid_grant: Invalid JWT Signature.")
      << steps["wrong-key"];
  EXPECT_EQ(int64_t(wrong_key["status"]), 400);
  EXPECT_EQ(text(wrong_key["error"]), "invalid_grant");

  simdjson::dom::element unknown = parser_.parse(steps["unknown-account"]).value_unsafe();
  EXPECT_EQ(text(unknown["message"]), "invalid_grant: Invalid grant: account not found")
      << steps["unknown-account"];

  EXPECT_EQ(token_stats(), R"({"issued":1,"rejected":2})");
}

// Verifies that llmtap's own grant (kid, aud Google's, POSTed to the key file's token_uri) gets a
// token from the mock as the SDK's did, and that the token cache fetches it once for callers
// that ask while the fetch is in flight.
TEST_F(GoogleAuthSdkTest, LlmtapsGrantGetsATokenFetchedOnceForConcurrentCallers) {
  TokenCache cache;
  const auto start = TokenCache::Clock::now();
  ASSERT_EQ(cache.acquire(start).action, TokenCache::Action::start_fetch);
  for (int caller = 0; caller < 3; ++caller)
    EXPECT_EQ(cache.acquire(start).action, TokenCache::Action::wait);

  const auto answer = fetch(account_, wall_now());
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(answer->access_token, "ya29.mock-1");
  EXPECT_EQ(answer->expires_in, std::chrono::seconds{3599});

  const auto outcome = cache.fetched(answer, start);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, "ya29.mock-1");
  EXPECT_EQ(cache.acquire(start).token, "ya29.mock-1");
  EXPECT_EQ(token_stats(), R"({"issued":1,"rejected":0})");
}

// Verifies that the mock's rejections reach llmtap as Google words them: a wrong key, an
// assertion already expired, one dated in the future.
TEST_F(GoogleAuthSdkTest, LlmtapReadsGooglesRejections) {
  ServiceAccount wrong_key = account_;
  wrong_key.private_key = other_private_key();
  const auto signature = fetch(wrong_key, wall_now());
  ASSERT_FALSE(signature);
  EXPECT_EQ(signature.error().code, auth_errc::token_rejected);
  EXPECT_EQ(signature.error().status, 400);
  EXPECT_EQ(signature.error().oauth_error, "invalid_grant");
  EXPECT_EQ(signature.error().error_description, "Invalid JWT Signature.");

  constexpr std::string_view kTimeframe =
      "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
      "timeframe. Check your iat and exp values in the JWT claim.";
  const auto expired = fetch(account_, wall_now() - std::chrono::hours{2});
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().error_description, kTimeframe);
  const auto future = fetch(account_, wall_now() + std::chrono::minutes{10});
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().error_description, kTimeframe);
  EXPECT_EQ(token_stats(), R"({"issued":0,"rejected":3})");
}

}  // namespace
}  // namespace llmtap::test
