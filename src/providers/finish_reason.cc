#include "providers/finish_reason.h"

#include <array>
#include <utility>

namespace llmtap::providers {
namespace {

using Mapping = std::pair<std::string_view, std::string_view>;

// LiteLLM core_helpers.map_finish_reason; the Gemini values are its _check_finish_reason list.
constexpr std::array kMappings{
    // OpenAI's own values pass through.
    Mapping{"stop", "stop"},
    Mapping{"length", "length"},
    Mapping{"tool_calls", "tool_calls"},
    Mapping{"function_call", "function_call"},
    Mapping{"content_filter", "content_filter"},
    // Anthropic
    Mapping{"end_turn", "stop"},
    Mapping{"stop_sequence", "stop"},
    Mapping{"max_tokens", "length"},
    Mapping{"tool_use", "tool_calls"},
    Mapping{"refusal", "content_filter"},
    Mapping{"compaction", "length"},
    Mapping{"pause_turn", "stop"},
    // Bedrock
    Mapping{"content_filtered", "content_filter"},
    Mapping{"guardrail_intervened", "content_filter"},
    // Cohere (MAX_TOKENS is Gemini's too; STOP_SEQUENCE, TOOL_CALL and TIMEOUT are not listed)
    Mapping{"COMPLETE", "stop"},
    Mapping{"ERROR_TOXIC", "content_filter"},
    Mapping{"ERROR", "stop"},
    // Gemini
    Mapping{"STOP", "stop"},
    Mapping{"MAX_TOKENS", "length"},
    Mapping{"SAFETY", "content_filter"},
    Mapping{"RECITATION", "content_filter"},
    Mapping{"LANGUAGE", "content_filter"},
    Mapping{"OTHER", "content_filter"},
    Mapping{"BLOCKLIST", "content_filter"},
    Mapping{"PROHIBITED_CONTENT", "content_filter"},
    Mapping{"SPII", "content_filter"},
    Mapping{"IMAGE_SAFETY", "content_filter"},
    Mapping{"IMAGE_PROHIBITED_CONTENT", "content_filter"},
    Mapping{"NO_IMAGE", "content_filter"},
    Mapping{"IMAGE_RECITATION", "content_filter"},
    Mapping{"IMAGE_OTHER", "content_filter"},
};

}  // namespace

std::string_view map_finish_reason(std::string_view provider_reason) {
  for (const auto& [from, to] : kMappings) {
    if (from == provider_reason) return to;
  }
  return "stop";
}

}  // namespace llmtap::providers
