// Standard base64 with padding (RFC 4648 §4), OpenSSL's encoder underneath: encode, and a decode
// that rejects anything else (other characters, wrong padding, over 1 MiB). Webhook signing
// secrets and signatures (delivery/webhook_signer.h) and OpenAI's base64 embeddings
// (providers/gemini/embed_answer.h) use it. The URL-safe variant without padding (RFC 4648 §5, as
// JWTs are written, RFC 7515 §2) is for the Vertex AI JWT assertion (providers/vertex/).
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace llmtap {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// base64url: '-' and '_' for '+' and '/', no '=' padding; decode rejects padding, other
// characters, a length of 1 mod 4 and anything over 1 MiB.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace llmtap
