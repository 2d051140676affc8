#include "providers/vertex/jwt_assertion.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <utility>

#include "base/base64.h"
#include "base/json_escape.h"

namespace llmtap::providers::vertex {
namespace {

constexpr std::size_t kMaxOauthText = 512;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

void append_member(std::string& out, std::string_view key, std::string_view value) {
  if (out.size() > 1) out += ',';
  json::append_quoted(out, key);
  out += ':';
  json::append_quoted(out, value);
}

void append_member(std::string& out, std::string_view key, std::int64_t value) {
  if (out.size() > 1) out += ',';
  json::append_quoted(out, key);
  out += ':';
  out += std::to_string(value);
}

// Google's OAuth error text, bounded (it is echoed into logs and client errors).
std::string oauth_text(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return std::string(value.substr(0, kMaxOauthText));
}

}  // namespace

void ServiceAccountSigner::KeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

ServiceAccountSigner::ServiceAccountSigner(std::unique_ptr<EVP_PKEY, KeyDeleter> key,
                                           const ServiceAccount& account)
    : key_(std::move(key)),
      client_email_(account.client_email),
      private_key_id_(account.private_key_id),
      token_uri_(account.token_uri) {}

Result<ServiceAccountSigner> ServiceAccountSigner::create(const ServiceAccount& account) {
  const std::unique_ptr<BIO, BioDeleter> pem(
      BIO_new_mem_buf(account.private_key.data(), static_cast<int>(account.private_key.size())));
  if (!pem) return auth_errc::bad_private_key;
  // No password callback: a key file's key is never encrypted, and OpenSSL must not prompt.
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(pem.get(), nullptr, nullptr, const_cast<char*>("")));
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return auth_errc::bad_private_key;
  return ServiceAccountSigner(std::move(key), account);
}

Result<std::string> ServiceAccountSigner::assertion(std::chrono::sys_seconds now) const {
  std::string header = "{";
  append_member(header, "alg", "RS256");
  append_member(header, "typ", "JWT");
  if (!private_key_id_.empty()) append_member(header, "kid", private_key_id_);
  header += '}';
  const std::int64_t iat = now.time_since_epoch().count();
  std::string claims = "{";
  append_member(claims, "iss", client_email_);
  append_member(claims, "scope", kCloudPlatformScope);
  append_member(claims, "aud", kGoogleTokenUri);
  append_member(claims, "iat", iat);
  append_member(claims, "exp", iat + kAssertionLifetime.count());
  claims += '}';

  std::string jwt = base64url_encode(header);
  jwt += '.';
  jwt += base64url_encode(claims);

  const std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
  std::size_t signature_size = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &signature_size,
                     reinterpret_cast<const unsigned char*>(jwt.data()), jwt.size()) != 1) {
    return auth_errc::signing_failed;
  }
  std::string signature(signature_size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()),
                     &signature_size, reinterpret_cast<const unsigned char*>(jwt.data()),
                     jwt.size()) != 1) {
    return auth_errc::signing_failed;
  }
  signature.resize(signature_size);
  jwt += '.';
  jwt += base64url_encode(signature);
  return jwt;
}

std::string token_request_body(std::string_view assertion) {
  // A JWT is base64url and dots only, none of which a form value escapes.
  std::string body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";
  body += assertion;
  return body;
}

Result<AccessToken, AuthError> parse_token_answer(int status, std::string_view body) {
  const bool success = status >= 200 && status < 300;
  AuthError error;
  error.status = status;
  error.code = success                           ? auth_errc::bad_token_answer
               : (status >= 400 && status < 500) ? auth_errc::token_rejected
                                                 : auth_errc::token_endpoint_unavailable;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(body);
  simdjson::dom::object object;
  if (parser.parse(padded).get(object) != simdjson::SUCCESS) return error;
  if (!success) {
    error.oauth_error = oauth_text(object, "error");
    error.error_description = oauth_text(object, "error_description");
    return error;
  }
  std::string_view access_token;
  std::int64_t expires_in = 0;
  if (object["access_token"].get(access_token) != simdjson::SUCCESS || access_token.empty() ||
      object["expires_in"].get(expires_in) != simdjson::SUCCESS || expires_in <= 0) {
    return error;
  }
  return AccessToken{std::string(access_token), std::chrono::seconds{expires_in}};
}

}  // namespace llmtap::providers::vertex
