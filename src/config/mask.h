// Masking of secrets for anything a person reads (check-config, logs): header values, keys, and
// the secret parts of URLs (userinfo, query values, token-like path segments).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace llmtap::config {

// At most the first 4 characters, then "****"; just "****" for values of 8 characters or fewer,
// where 4 characters would be half the secret.
std::string mask_secret(std::string_view value);

// The URL with its password, query values and long token-like path segments masked.
std::string mask_url(std::string_view url);

}  // namespace llmtap::config
