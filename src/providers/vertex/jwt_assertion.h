// The JWT bearer grant of a Google service account (RFC 7523), as google-auth makes it: a JWT
// signed RS256 with the account's private key, header {"alg":"RS256","typ":"JWT","kid":
// private_key_id} (google-auth python's jwt.encode; kid left out when the file has none), claims
// {"iss": client_email, "scope": "https://www.googleapis.com/auth/cloud-platform", "aud":
// "https://oauth2.googleapis.com/token", "iat": now, "exp": now + 3600}
// (google/oauth2/service_account.py _make_authorization_grant_assertion; providers.md §3.1).
// The audience is Google's token endpoint whatever the key file's token_uri: google-auth python
// uses its _GOOGLE_OAUTH2_TOKEN_ENDPOINT constant, google-auth-library for Node (10.9.1,
// gtoken/jwsSign.js) its GOOGLE_TOKEN_URL, and that is the audience Google checks. The grant is
// POSTed form-encoded, `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&
// assertion=<jwt>`, to the key file's token_uri (as python does; Node always POSTs to Google's
// URL), which answers {"access_token","expires_in","token_type":"Bearer"} or a 4xx
// {"error","error_description"}. (Node's header is {"alg":"RS256"} alone; Google takes both.)
//
// ServiceAccountSigner parses the PEM key once, at construction, and signs with OpenSSL 3's
// EVP_DigestSign (SHA-256, PKCS#1 v1.5). Sans-I/O: the caller passes `now` and does the POST.
// Thread-safety: a signer is immutable after create(); sign from any thread (each call has its own
// EVP_MD_CTX). Nothing here logs; no error carries the key, the assertion or a token.
#pragma once

#include <openssl/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "providers/vertex/auth_error.h"
#include "providers/vertex/service_account.h"

namespace llmtap::providers::vertex {

inline constexpr std::string_view kCloudPlatformScope =
    "https://www.googleapis.com/auth/cloud-platform";
// google-auth's assertion lifetime (_DEFAULT_TOKEN_LIFETIME_SECS); Google's maximum.
inline constexpr std::chrono::seconds kAssertionLifetime{3600};

class ServiceAccountSigner {
 public:
  // Parses the account's PEM private key (PKCS#8 or PKCS#1 RSA); bad_private_key when it is no
  // RSA private key.
  static Result<ServiceAccountSigner> create(const ServiceAccount& account);

  // The signed JWT assertion for a grant made at `now` (seconds since the Unix epoch, wall clock).
  Result<std::string> assertion(std::chrono::sys_seconds now) const;

  const std::string& client_email() const { return client_email_; }
  // Where the grant is POSTed (the key file's token_uri).
  const std::string& token_uri() const { return token_uri_; }

 private:
  struct KeyDeleter {
    void operator()(EVP_PKEY* key) const;
  };
  ServiceAccountSigner(std::unique_ptr<EVP_PKEY, KeyDeleter> key, const ServiceAccount& account);

  std::unique_ptr<EVP_PKEY, KeyDeleter> key_;
  std::string client_email_;
  std::string private_key_id_;
  std::string token_uri_;
};

// The form body of the token request for `assertion` (application/x-www-form-urlencoded).
std::string token_request_body(std::string_view assertion);

struct AccessToken {
  std::string access_token;  // a secret: never logged
  std::chrono::seconds expires_in{0};

  friend bool operator==(const AccessToken&, const AccessToken&) = default;
};

// The token endpoint's answer: a 2xx JSON object with a string access_token and a positive
// integer expires_in, or the AuthError of the status (4xx token_rejected, else
// token_endpoint_unavailable) with Google's `error` / `error_description` when the body has them
// (bounded to 512 bytes each), or bad_token_answer.
Result<AccessToken, AuthError> parse_token_answer(int status, std::string_view body);

}  // namespace llmtap::providers::vertex
