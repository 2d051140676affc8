// Standard base64 with padding (RFC 4648 §4), OpenSSL's encoder underneath: encode, and a decode
// that rejects anything else (other characters, wrong padding, over 1 MiB). Webhook signing
// secrets and signatures (delivery/webhook_signer.h) and OpenAI's base64 embeddings
// (providers/gemini/embed_answer.h) use it.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace llmtap {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace llmtap
