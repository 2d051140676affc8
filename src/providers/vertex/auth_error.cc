#include "providers/vertex/auth_error.h"

namespace llmtap::providers::vertex {

std::string_view errc_message(auth_errc e) {
  switch (e) {
    case auth_errc::credentials_not_json:
      return "Google credentials: not JSON";
    case auth_errc::credentials_not_object:
      return "Google credentials: not a JSON object";
    case auth_errc::missing_type:
      return "Google credentials: missing \"type\" (expected \"service_account\")";
    case auth_errc::unsupported_credential_type:
      return "Google credentials: this \"type\" is not supported (only \"service_account\"; "
             "authorized_user and external_account credentials are not)";
    case auth_errc::missing_client_email:
      return "Google service account: missing \"client_email\"";
    case auth_errc::missing_private_key:
      return "Google service account: missing \"private_key\"";
    case auth_errc::bad_private_key:
      return "Google service account: \"private_key\" is not a PEM RSA private key";
    case auth_errc::signing_failed:
      return "Google service account: signing the JWT assertion failed";
    case auth_errc::token_rejected:
      return "Google token endpoint rejected the assertion";
    case auth_errc::token_endpoint_unavailable:
      return "Google token endpoint unavailable";
    case auth_errc::bad_token_answer:
      return "Google token endpoint: answer without access_token and expires_in";
  }
  return "Google credentials: unknown error";
}

std::string AuthError::message() const {
  std::string text = code.message();
  if (status != 0) text += " (status " + std::to_string(status) + ")";
  if (!oauth_error.empty() || !error_description.empty()) {
    text += ": " + oauth_error;
    if (!error_description.empty()) text += ": " + error_description;
  }
  return text;
}

}  // namespace llmtap::providers::vertex
