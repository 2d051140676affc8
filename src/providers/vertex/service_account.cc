#include "providers/vertex/service_account.h"

#include <simdjson.h>

#include <optional>
#include <string>

namespace llmtap::providers::vertex {
namespace {

// A string member's value, or nullopt when absent or not a string.
std::optional<std::string_view> string_field(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

}  // namespace

Result<ServiceAccount> read_service_account(std::string_view json) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return auth_errc::credentials_not_json;
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) return auth_errc::credentials_not_object;

  const auto type = string_field(object, "type");
  if (!type) return auth_errc::missing_type;
  if (*type != "service_account") return auth_errc::unsupported_credential_type;
  const auto client_email = string_field(object, "client_email");
  if (!client_email || client_email->empty()) return auth_errc::missing_client_email;
  const auto private_key = string_field(object, "private_key");
  if (!private_key || private_key->empty()) return auth_errc::missing_private_key;

  ServiceAccount account;
  account.client_email = std::string(*client_email);
  account.private_key = std::string(*private_key);
  account.private_key_id = std::string(string_field(object, "private_key_id").value_or(""));
  if (const auto token_uri = string_field(object, "token_uri"); token_uri && !token_uri->empty())
    account.token_uri = std::string(*token_uri);
  account.project_id = std::string(string_field(object, "project_id").value_or(""));
  return account;
}

}  // namespace llmtap::providers::vertex
