// MockGoogleToken: Google's OAuth 2.0 token endpoint for service accounts, as the mock upstream
// serves it (mock_upstream.cc dispatches POST /token and GET /token-stats here). It takes the JWT
// bearer grant as google-auth and google-auth-library send it (form body
// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>`) and checks what
// Google checks, in this order, each failure a 400 with Google's OAuth error body
// {"error","error_description"}:
//   grant_type the JWT bearer grant        else unsupported_grant_type "Invalid grant_type: <it>"
//   an assertion of three base64url parts,
//     JSON header and claims               else invalid_request "Invalid JWT payload." (the mock's
//                                          words; not seen from Google)
//   alg RS256 and a signature that the test
//     account's public key verifies        else invalid_grant "Invalid JWT Signature."
//   iss the test account's client_email    else invalid_grant "Invalid grant: account not found"
//   aud Google's token URL (what both SDKs
//     sign, wherever they POST)            else invalid_grant "Invalid JWT: Failed audience check."
//                                          (the mock's words)
//   scope present                          else invalid_scope "Invalid OAuth scope or ID token
//                                          audience provided."
//   iat at most 60 s ahead of the mock's clock, exp after it, 0 < exp - iat ≤ 3600 else
//     invalid_grant "Invalid JWT: Token must be a short-lived token (60 minutes) and in a
//     reasonable timeframe. Check your iat and exp values in the JWT claim."
// "Invalid JWT Signature." and the timeframe text are Google's words as Google's token endpoint
// answers them; the others are Google's error codes with the mock's best reading of Google's
// text (not re-checked against a live endpoint). A good grant answers 200
// {"access_token":"ya29.mock-<n>","expires_in":3599,"token_type": "Bearer"}, n counting tokens
// issued from 1. GET /token-stats answers {"issued":n,"rejected":m} so tests can show how many
// fetches reached the endpoint.
//
// The test account is tests/data/vertex/service_account.json (a throwaway key made for tests);
// the mock knows only its public half, service_account_public.pem, and its client_email.
//
// Thread-safety: the counters are atomic and the key is read-only after construction; answer
// from any runtime thread.
#pragma once

#include <openssl/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http/message.h"

namespace llmtap::test {

inline constexpr std::string_view kTestServiceAccountEmail =
    "llmtap-test@llmtap-test.iam.gserviceaccount.com";

class MockGoogleToken {
 public:
  // Reads the test account's public key (PEM) from `public_key_path`; when it cannot, every
  // grant answers 500 (the mock's own fault, visible in the test).
  explicit MockGoogleToken(const std::string& public_key_path);

  static bool is_token_path(std::string_view path) { return path == "/token"; }
  static bool is_stats_path(std::string_view path) { return path == "/token-stats"; }

  http::Response answer(const http::Request& request);
  http::Response stats() const;

 private:
  struct KeyDeleter {
    void operator()(EVP_PKEY* key) const;
  };
  std::unique_ptr<EVP_PKEY, KeyDeleter> public_key_;
  std::atomic<std::uint64_t> issued_{0};
  std::atomic<std::uint64_t> rejected_{0};
};

}  // namespace llmtap::test
