// Why Vertex AI's Google credentials could not give an access token: the codes of the
// service-account reader (service_account.h), the signer (jwt_assertion.h) and the token answer's
// reader, and AuthError, what a failed token fetch carries (the code, the token endpoint's status
// and Google's OAuth error, e.g. 400 {"error":"invalid_grant","error_description":"Invalid JWT
// Signature."}) to every caller waiting on it (token_cache.h).
//
// No message here or in AuthError ever holds a secret: not the private key, the assertion or a
// token; Google's error_description is kept because it names what Google rejected.
//
// Value types; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace llmtap::providers::vertex {

enum class auth_errc {
  credentials_not_json = 1,     // the credentials text is not JSON
  credentials_not_object,       // JSON, but not an object
  missing_type,                 // no string `type`
  unsupported_credential_type,  // authorized_user, external_account, … (only service_account)
  missing_client_email,         // service_account without a string `client_email`
  missing_private_key,          // service_account without a string `private_key`
  bad_private_key,              // `private_key` is not a PEM RSA private key
  signing_failed,               // OpenSSL could not sign the assertion
  token_rejected,               // the token endpoint answered 4xx (Google's error in AuthError)
  token_endpoint_unavailable,   // 5xx (or no status: the fetch itself failed)
  bad_token_answer,             // 2xx without a JSON object holding access_token and expires_in
};
std::string_view errc_message(auth_errc e);

}  // namespace llmtap::providers::vertex

LLMTAP_ERROR_CATEGORY(llmtap::providers::vertex, auth_errc, "llmtap.vertex.auth");

namespace llmtap::providers::vertex {

// A failed token fetch, as every caller waiting on it gets it.
struct AuthError {
  ErrorCode code;
  int status = 0;                 // the token endpoint's HTTP status; 0 when none was read
  std::string oauth_error;        // Google's `error` (e.g. "invalid_grant"); may be empty
  std::string error_description;  // Google's `error_description`; may be empty

  // "<code's message>[ (status N)][: <oauth_error>: <error_description>]", for logs and the
  // gateway's 401/502 text.
  std::string message() const;

  friend bool operator==(const AuthError&, const AuthError&) = default;
};

}  // namespace llmtap::providers::vertex
