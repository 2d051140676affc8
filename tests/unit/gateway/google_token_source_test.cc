// GoogleTokenSource (gateway/google_token_source.h) over a fake transport: one token fetch shared
// by the calls that ask while it runs, the token reused after, a rejected grant and an unusable
// key answered to every waiting call, and the grant POSTed to the key file's token_uri.
#include "gateway/google_token_source.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>
#include <vector>

#include "sink/json_text.h"

namespace llmtap::gateway {
namespace {

class FakeTransport final : public UpstreamTransport {
 public:
  void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) override {
    requests.push_back(std::move(request));
    pending.push_back(std::move(done));
  }
  void send_streaming(http::ClientRequest, http::StreamCallbacks) override { FAIL(); }
  void after(std::chrono::milliseconds, std::function<void()>) override { FAIL(); }

  void answer(int status, std::string body) {
    ASSERT_FALSE(pending.empty());
    http::ClientResult result;
    result.response.status = status;
    result.response.body = std::move(body);
    auto done = std::move(pending.front());
    pending.erase(pending.begin());
    done(std::move(result));
  }

  std::vector<http::ClientRequest> requests;
  std::vector<std::function<void(http::ClientResult)>> pending;
};

// A throwaway RSA key, as a service account key file with its token_uri.
std::string key_file() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return R"({"type":"service_account","project_id":"p","client_email":"a@p.iam.gserviceaccount.com",)"
         R"("token_uri":"http://127.0.0.1:9/token","private_key":)" +
         sink::json_string(pem) + "}";
}

struct Outcomes {
  std::vector<std::string> tokens;
  std::vector<std::string> errors;
  GoogleTokenSource::Done collect() {
    return [this](GoogleTokenSource::TokenResult r) {
      if (r) {
        tokens.push_back(*r);
      } else {
        errors.push_back(r.error());
      }
    };
  }
};

// Verifies that calls asking while the fetch runs wait for it and share its token, and that the
// next call gets the cached token without a fetch; the grant went to token_uri as a form.
TEST(GoogleTokenSourceTest, OneFetchServesEveryWaitingCall) {
  FakeTransport transport;
  auto source =
      std::make_shared<GoogleTokenSource>(key_file(), "", transport, std::chrono::seconds(5));
  Outcomes out;
  for (int i = 0; i < 3; ++i) source->with_token(out.collect());
  ASSERT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(transport.requests[0].url, "http://127.0.0.1:9/token");
  EXPECT_TRUE(transport.requests[0].body.starts_with(
      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="));
  EXPECT_TRUE(out.tokens.empty());
  transport.answer(200, R"({"access_token":"ya29.t1","expires_in":3599,"token_type":"Bearer"})");
  EXPECT_EQ(out.tokens, (std::vector<std::string>{"ya29.t1", "ya29.t1", "ya29.t1"}));
  source->with_token(out.collect());
  EXPECT_EQ(out.tokens.size(), 4u);
  EXPECT_EQ(transport.requests.size(), 1u);
}

// Verifies that a rejected grant reaches every waiting call with Google's words, and that the
// back-off answers the next call at once without another fetch.
TEST(GoogleTokenSourceTest, ARejectedGrantFailsTheWaitingCalls) {
  FakeTransport transport;
  auto source =
      std::make_shared<GoogleTokenSource>(key_file(), "", transport, std::chrono::seconds(5));
  Outcomes out;
  source->with_token(out.collect());
  source->with_token(out.collect());
  transport.answer(400,
                   R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})");
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_NE(out.errors[0].find("Invalid JWT Signature."), std::string::npos) << out.errors[0];
  source->with_token(out.collect());
  EXPECT_EQ(out.errors.size(), 3u);
  EXPECT_EQ(transport.requests.size(), 1u);
}

// Verifies that a key that could not be read, or cannot sign, fails each call without a fetch.
TEST(GoogleTokenSourceTest, AnUnusableKeyFailsEachCall) {
  FakeTransport transport;
  Outcomes out;
  std::make_shared<GoogleTokenSource>("", "the key file 'k.json' could not be read", transport,
                                      std::chrono::seconds(5))
      ->with_token(out.collect());
  std::make_shared<GoogleTokenSource>(
      R"({"type":"service_account","client_email":"a@b","private_key":"not a key"})", "", transport,
      std::chrono::seconds(5))
      ->with_token(out.collect());
  ASSERT_EQ(out.errors.size(), 2u);
  EXPECT_EQ(out.errors[0], "the key file 'k.json' could not be read");
  EXPECT_NE(out.errors[1].find("unusable"), std::string::npos) << out.errors[1];
  EXPECT_EQ(out.errors[1].find("not a key"), std::string::npos) << out.errors[1];
  EXPECT_TRUE(transport.requests.empty());
}

}  // namespace
}  // namespace llmtap::gateway
