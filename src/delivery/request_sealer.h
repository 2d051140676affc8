// RequestSealer: the last step before a delivery request goes on the wire — signs the encoded body
// (Standard Webhooks headers, when the callback has a signing_secret) and then compresses it (gzip
// / zstd with Content-Encoding, when configured). The signature covers the uncompressed body, so a
// receiver verifies the bytes it decodes, whatever framework undid the Content-Encoding.
//
// Called once per attempt: each retry gets a fresh webhook-timestamp (receivers reject stale ones)
// while webhook-id stays the batch's Idempotency-Key.
// Lifecycle: built once per callback. Thread-safety: const; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>

#include "config/config.h"
#include "delivery/webhook_signer.h"
#include "http/client.h"

namespace llmtap::delivery {

class RequestSealer {
 public:
  // Throws std::invalid_argument for a malformed signing_secret (the loader already rejects it).
  explicit RequestSealer(const config::CallbackConfig& callback);

  // Adds the signature headers for `id` at `unix_seconds` and compresses the body in place. Should
  // compression fail (out of memory), the body goes uncompressed, still correctly signed.
  void seal(http::ClientRequest& request, std::string_view id, std::int64_t unix_seconds) const;

  bool signs() const { return signer_.has_value(); }
  config::Compression compression() const { return compression_; }

 private:
  std::optional<WebhookSigner> signer_;
  config::Compression compression_;
};

}  // namespace llmtap::delivery
