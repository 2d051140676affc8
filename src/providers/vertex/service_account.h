// read_service_account(): a Google service-account key file (the JSON the Cloud console
// downloads) as the fields the JWT bearer grant needs. Vertex AI credentials in LiteLLM are such a
// JSON (vertex_llm_base.py; /work/shared/reference/providers.md §3.1); google-auth reads
// `client_email`, `private_key`, `private_key_id` and `token_uri` from it
// (google/oauth2/service_account.py, google-auth-library's JWT.fromJSON). Only `type:
// "service_account"` is supported: `authorized_user` (a user's refresh token) and
// `external_account` (workload identity federation) get auth_errc::unsupported_credential_type.
//
// Errors name the missing field, never a value. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "providers/vertex/auth_error.h"

namespace llmtap::providers::vertex {

inline constexpr std::string_view kGoogleTokenUri = "https://oauth2.googleapis.com/token";

struct ServiceAccount {
  std::string client_email;
  std::string private_key;     // PEM, as in the file (a secret: never logged)
  std::string private_key_id;  // the JWT header's `kid`; empty when the file has none
  std::string token_uri{kGoogleTokenUri};
  std::string project_id;  // empty when the file has none (the deployment must then name one)

  friend bool operator==(const ServiceAccount&, const ServiceAccount&) = default;
};

// Reads the JSON text of a service-account key file. `type`, `client_email` and `private_key`
// are required strings; `private_key_id`, `token_uri` and `project_id` are optional (an absent
// or empty token_uri is Google's, as google-auth-library for Node, which never reads it; python
// requires it).
Result<ServiceAccount> read_service_account(std::string_view json);

}  // namespace llmtap::providers::vertex
