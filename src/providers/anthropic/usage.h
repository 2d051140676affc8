// Anthropic's token counts as OpenAI's `usage` object, written the one way LiteLLM's
// calculate_usage writes it, for both the chat.completion answer (messages_answer.h) and the
// stream's usage chunk (stream_translator.h): a stream and a non-stream call of the same request
// then log and price the same (LiteLLM #11789: streamed usage once lost the cached tokens).
//
// prompt_tokens = input + cache creation + cache read (LiteLLM's newest rule); the cache counts are
// also reported on their own (prompt_tokens_details, cache_*_input_tokens), and the 5m/1h split of
// the creation count when Anthropic gave one (1h writes cost more than 5m ones).
//
// Pure function; thread-safe.
#pragma once

#include <cstdint>

namespace llmtap::payload {
class JsonWriter;
}  // namespace llmtap::payload

namespace llmtap::providers::anthropic {

// Anthropic's `usage` fields; an absent or null count is 0, as in LiteLLM.
struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cache_creation_input_tokens = 0;
  std::int64_t cache_read_input_tokens = 0;
  // usage.cache_creation {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}, when present.
  bool has_cache_creation_details = false;
  std::int64_t ephemeral_5m_input_tokens = 0;
  std::int64_t ephemeral_1h_input_tokens = 0;
  // A provider's own total (Bedrock's totalTokens, which LiteLLM passes as it is), else -1:
  // total_tokens is then prompt + completion.
  std::int64_t total_tokens = -1;

  friend bool operator==(const Usage&, const Usage&) = default;
};

// Writes the usage object (the value only: the caller writes the "usage" key before it).
void write_usage(payload::JsonWriter& w, const Usage& usage);

}  // namespace llmtap::providers::anthropic
