// Anthropic's rate-limit headers under the names OpenAI uses, as LiteLLM's
// process_anthropic_headers copies them into a record's additional_headers
// (anthropic-ratelimit-requests-limit → x-ratelimit-limit-requests, …); every header is also kept
// under its own name (llm_provider-<name>) by the record builder.
#pragma once

#include <string_view>

namespace llmtap::providers::anthropic {

// The OpenAI name for an Anthropic response header (case-insensitive), or empty when it has none.
std::string_view openai_header_name(std::string_view anthropic_name);

}  // namespace llmtap::providers::anthropic
