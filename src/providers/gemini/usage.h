// Gemini's usageMetadata as OpenAI's `usage` object, written the one way LiteLLM's
// _calculate_usage writes it, for both the chat.completion answer (generate_answer.h) and the
// stream's usage chunk (stream_translator.h), so a stream and a non-stream call log the same:
//   prompt_tokens = promptTokenCount (it already counts the cached tokens);
//   completion_tokens = candidatesTokenCount, plus thoughtsTokenCount when prompt + candidates
//     falls short of totalTokenCount (the candidates count then excludes the thinking);
//   total_tokens = totalTokenCount;
//   prompt_tokens_details.cached_tokens = cachedContentTokenCount;
//   completion_tokens_details.reasoning_tokens = thoughtsTokenCount.
// Per-modality details (promptTokensDetails) are not split out.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace llmtap::payload {
class JsonWriter;
}  // namespace llmtap::payload

namespace llmtap::providers::gemini {

// usageMetadata's counts; an absent or null count is 0, as in LiteLLM.
struct Usage {
  std::int64_t prompt_token_count = 0;
  std::int64_t candidates_token_count = 0;
  std::int64_t total_token_count = 0;
  std::int64_t cached_content_token_count = 0;
  std::int64_t thoughts_token_count = 0;

  friend bool operator==(const Usage&, const Usage&) = default;
};

// Writes the usage object (the value only: the caller writes the "usage" key before it).
void write_usage(payload::JsonWriter& w, const Usage& usage);

// The id of the answer's `index`-th tool call. Gemini gives calls no id; LiteLLM makes
// "call_" + 28 random hex digits. Ours are derived from the answer's id and the index, so a
// translation is a pure function of its input (and a stream's ids equal the answer's).
std::string tool_call_id(std::string_view answer_id, std::int64_t index);

}  // namespace llmtap::providers::gemini
