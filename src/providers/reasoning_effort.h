// anthropic_thinking_budget(): OpenAI's reasoning_effort as the thinking budget LiteLLM's
// AnthropicConfig._map_reasoning_effort gives Claude (constants.py's
// DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET; "minimal" floored at Anthropic's minimum, 1024),
// for the translators that send Claude a `thinking` object (anthropic/, bedrock/).
//
// Pure functions over static data; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llmtap::providers {

// The budget for `effort` (0 for "none": no thinking), or nothing for an effort LiteLLM does not
// map.
std::optional<std::int64_t> anthropic_thinking_budget(std::string_view effort);

// LiteLLM's error text for an effort it does not map (the request's 400).
std::string unmapped_effort_message(std::string_view effort);

}  // namespace llmtap::providers
