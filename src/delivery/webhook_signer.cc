#include "delivery/webhook_signer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

namespace llmtap::delivery {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::string_view kVersionPrefix = "v1,";

std::string hmac_sha256(std::string_view key, std::string_view id, std::int64_t timestamp,
                        std::string_view body) {
  const std::string ts = std::to_string(timestamp);
  std::string content;
  content.reserve(id.size() + ts.size() + body.size() + 2);
  content.append(id).append(1, '.').append(ts).append(1, '.').append(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

const char* to_string(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::ok:
      return "ok";
    case SignatureCheck::missing_header:
      return "missing webhook-id, webhook-timestamp or webhook-signature";
    case SignatureCheck::bad_timestamp:
      return "webhook-timestamp is not an integer";
    case SignatureCheck::stale_timestamp:
      return "webhook-timestamp is outside the tolerance";
    case SignatureCheck::mismatch:
      return "no webhook-signature entry matches";
  }
  return "?";
}

std::optional<WebhookSigner> WebhookSigner::from_secret(std::string_view secret) {
  if (secret.substr(0, kSecretPrefix.size()) != kSecretPrefix) return std::nullopt;
  auto key = base64_decode(secret.substr(kSecretPrefix.size()));
  if (!key || key->empty()) return std::nullopt;
  return WebhookSigner(std::move(*key));
}

std::string WebhookSigner::sign(std::string_view id, std::int64_t timestamp,
                                std::string_view body) const {
  return std::string(kVersionPrefix) + base64_encode(hmac_sha256(key_, id, timestamp, body));
}

SignatureCheck WebhookSigner::verify(std::string_view id, std::string_view timestamp,
                                     std::string_view signature_header, std::string_view body,
                                     std::int64_t now, std::chrono::seconds tolerance) const {
  if (id.empty() || timestamp.empty() || signature_header.empty())
    return SignatureCheck::missing_header;
  std::int64_t ts = 0;
  const auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
  if (ec != std::errc() || end != timestamp.data() + timestamp.size())
    return SignatureCheck::bad_timestamp;
  const std::int64_t limit = tolerance.count();
  if (ts < now - limit || ts > now + limit) return SignatureCheck::stale_timestamp;
  const std::string expected = base64_encode(hmac_sha256(key_, id, ts, body));
  // Several entries (key rotation, future versions) are separated by spaces; any v1 match will do.
  std::size_t pos = 0;
  while (pos < signature_header.size()) {
    std::size_t next = signature_header.find(' ', pos);
    if (next == std::string_view::npos) next = signature_header.size();
    const std::string_view entry = signature_header.substr(pos, next - pos);
    pos = next + 1;
    if (entry.substr(0, kVersionPrefix.size()) != kVersionPrefix) continue;
    const std::string_view given = entry.substr(kVersionPrefix.size());
    if (given.size() == expected.size() &&
        CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0) {
      return SignatureCheck::ok;
    }
  }
  return SignatureCheck::mismatch;
}

}  // namespace llmtap::delivery
