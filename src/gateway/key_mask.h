// mask_key(): replaces every occurrence of a deployment's provider key in text bound for a client
// or a record. Some upstreams echo the key they were sent in an error (OpenAI: "Incorrect API key
// provided: …"), in a JSON answer or in an error event mid-stream. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace llmtap::gateway {

inline constexpr std::string_view kMaskedKey = "[api_key redacted]";

// Keys shorter than 6 bytes are test placeholders, and masking them would mangle ordinary words.
void mask_key(std::string& text, std::string_view key);

}  // namespace llmtap::gateway
