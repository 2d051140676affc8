// WebhookSigner: Standard Webhooks (standardwebhooks.com) request signatures, for both ends — the
// delivery pipeline signs each request, `llmtap sink --signing-secret` verifies them.
//
//   webhook-id:        the batch's idempotency key (stable across retries)
//   webhook-timestamp: integer Unix seconds of this attempt
//   webhook-signature: "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>"
//
// The secret is written `whsec_<base64 of the key bytes>`; the HMAC key is the decoded bytes.
// A receiver accepts when any space-separated `v1,` entry matches (compared in constant time) and
// the timestamp is within a tolerance of its clock (replay protection).
//
// Lifecycle: a small immutable value built once per callback (or per sink). Thread-safety: const
// methods are safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/base64.h"

namespace llmtap::delivery {

enum class SignatureCheck {
  ok,
  missing_header,   // webhook-id, webhook-timestamp or webhook-signature absent or empty
  bad_timestamp,    // not an integer
  stale_timestamp,  // further than the tolerance from now (either direction)
  mismatch,         // no v1 entry matches
};
const char* to_string(SignatureCheck check);

class WebhookSigner {
 public:
  // Standard Webhooks' recommended replay window.
  static constexpr std::chrono::seconds kDefaultTolerance{300};

  // nullopt unless `secret` is `whsec_` + valid base64 of at least one byte.
  static std::optional<WebhookSigner> from_secret(std::string_view secret);

  // "v1,<base64 signature>" of `body` under this key.
  std::string sign(std::string_view id, std::int64_t timestamp, std::string_view body) const;

  // Checks the three header values against `body`. `now` is Unix seconds.
  SignatureCheck verify(std::string_view id, std::string_view timestamp,
                        std::string_view signature_header, std::string_view body, std::int64_t now,
                        std::chrono::seconds tolerance = kDefaultTolerance) const;

 private:
  explicit WebhookSigner(std::string key) : key_(std::move(key)) {}
  std::string key_;  // raw HMAC key bytes
};

// Standard base64 (base/base64.h), which signing secrets and signatures are written in.
using llmtap::base64_decode;
using llmtap::base64_encode;

}  // namespace llmtap::delivery
