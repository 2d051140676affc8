// SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and lowercase hex, over OpenSSL 3's EVP digest.
// AWS Signature Version 4 (providers/bedrock/sigv4.h) hashes and signs with them; Google's RS256
// service-account tokens will hash with them too.
//
// The SHA-256 implementation is fetched from OpenSSL's default provider once per process and
// each thread keeps its own digest context, so a call does not look the algorithm up again or
// allocate (OpenSSL's one-shot HMAC() fetches on every call). Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace llmtap {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<unsigned char, kSha256Size>;

Sha256Digest sha256(std::string_view bytes);

// HMAC-SHA256 of `message` under `key` (any length: a key over 64 bytes is hashed first).
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
// The same with a previous HMAC's output as the key (SigV4's signing-key chain).
Sha256Digest hmac_sha256(const Sha256Digest& key, std::string_view message);

// Two lowercase hex digits per byte, appended to `out`.
void append_hex_lower(std::string& out, std::span<const unsigned char> bytes);
std::string hex_lower(std::span<const unsigned char> bytes);

}  // namespace llmtap
