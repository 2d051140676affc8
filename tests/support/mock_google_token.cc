#include "support/mock_google_token.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

#include "base/base64.h"
#include "sink/json_text.h"

namespace llmtap::test {
namespace {

using sink::json_response;
using sink::json_string;

constexpr std::string_view kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr std::string_view kGoogleTokenUrl = "https://oauth2.googleapis.com/token";
constexpr std::string_view kTimeframe =
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values in the JWT claim.";

http::Response oauth_error(std::string_view error, std::string_view description) {
  return json_response(400, R"({"error":)" + json_string(error) + R"(,"error_description":)" +
                                json_string(description) + "}");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A form value, percent-decoded ('+' is a space).
std::string form_decode(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '+') {
      out += ' ';
    } else if (value[i] == '%' && i + 2 < value.size() && hex_value(value[i + 1]) >= 0 &&
               hex_value(value[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(value[i + 1]) * 16 + hex_value(value[i + 2]));
      i += 2;
    } else {
      out += value[i];
    }
  }
  return out;
}

// The first value of `name` in an application/x-www-form-urlencoded body.
std::optional<std::string> form_value(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (form_decode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool verifies(EVP_PKEY* key, std::string_view signed_part, std::string_view signature) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                        &EVP_MD_CTX_free);
  return context && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

}  // namespace

void MockGoogleToken::KeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

MockGoogleToken::MockGoogleToken(const std::string& public_key_path) {
  std::FILE* file = std::fopen(public_key_path.c_str(), "r");
  if (file == nullptr) return;
  public_key_.reset(PEM_read_PUBKEY(file, nullptr, nullptr, nullptr));
  std::fclose(file);
}

http::Response MockGoogleToken::answer(const http::Request& request) {
  const auto reject = [this](std::string_view error, std::string_view description) {
    ++rejected_;
    return oauth_error(error, description);
  };
  if (!public_key_) return json_response(500, R"({"error":"mock: no test public key"})");

  const std::string grant_type = form_value(request.body, "grant_type").value_or("");
  if (grant_type != kJwtBearerGrant)
    return reject("unsupported_grant_type", "Invalid grant_type: " + grant_type);
  const std::string assertion = form_value(request.body, "assertion").value_or("");
  const std::size_t first_dot = assertion.find('.');
  const std::size_t second_dot =
      first_dot == std::string::npos ? first_dot : assertion.find('.', first_dot + 1);
  if (second_dot == std::string::npos || assertion.find('.', second_dot + 1) != std::string::npos)
    return reject("invalid_request", "Invalid JWT payload.");
  const auto header = base64url_decode(std::string_view(assertion).substr(0, first_dot));
  const auto claims = base64url_decode(
      std::string_view(assertion).substr(first_dot + 1, second_dot - first_dot - 1));
  const auto signature = base64url_decode(std::string_view(assertion).substr(second_dot + 1));
  simdjson::dom::parser header_parser;
  simdjson::dom::parser claims_parser;
  simdjson::dom::object header_object;
  simdjson::dom::object claims_object;
  if (!header || !claims || !signature ||
      header_parser.parse(*header).get(header_object) != simdjson::SUCCESS ||
      claims_parser.parse(*claims).get(claims_object) != simdjson::SUCCESS) {
    return reject("invalid_request", "Invalid JWT payload.");
  }

  std::string_view alg;
  if (header_object["alg"].get(alg) != simdjson::SUCCESS || alg != "RS256" ||
      !verifies(public_key_.get(), std::string_view(assertion).substr(0, second_dot), *signature)) {
    return reject("invalid_grant", "Invalid JWT Signature.");
  }
  std::string_view iss;
  if (claims_object["iss"].get(iss) != simdjson::SUCCESS || iss != kTestServiceAccountEmail)
    return reject("invalid_grant", "Invalid grant: account not found");
  std::string_view aud;
  if (claims_object["aud"].get(aud) != simdjson::SUCCESS || aud != kGoogleTokenUrl)
    return reject("invalid_grant", "Invalid JWT: Failed audience check.");
  std::string_view scope;
  if (claims_object["scope"].get(scope) != simdjson::SUCCESS || scope.empty())
    return reject("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  if (claims_object["iat"].get(iat) != simdjson::SUCCESS ||
      claims_object["exp"].get(exp) != simdjson::SUCCESS || iat > now + 60 || exp <= now ||
      exp <= iat || exp - iat > 3600) {
    return reject("invalid_grant", kTimeframe);
  }

  const std::uint64_t n = ++issued_;
  return json_response(200, R"({"access_token":"ya29.mock-)" + std::to_string(n) +
                                R"(","expires_in":3599,"token_type":"Bearer"})");
}

http::Response MockGoogleToken::stats() const {
  return json_response(200, R"({"issued":)" + std::to_string(issued_.load()) + R"(,"rejected":)" +
                                std::to_string(rejected_.load()) + "}");
}

}  // namespace llmtap::test
