// LiteLLM's map_finish_reason: a provider's stop reason as OpenAI's finish_reason, so a client
// (and the record) sees "stop", "length", "tool_calls" or "content_filter" whatever answered.
//
// Static data; thread-safe.
#pragma once

#include <string_view>

namespace llmtap::providers {

// Anthropic's stop_reason, Gemini's finishReason, Bedrock's stopReason, Cohere's finish_reason and
// OpenAI's own values
// map as LiteLLM maps them; anything else (and an empty reason) is "stop", as in LiteLLM.
std::string_view map_finish_reason(std::string_view provider_reason);

}  // namespace llmtap::providers
