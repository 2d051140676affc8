#include "providers/anthropic/usage.h"

#include "payload/json_writer.h"

namespace llmtap::providers::anthropic {

void write_usage(payload::JsonWriter& w, const Usage& usage) {
  const std::int64_t prompt =
      usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
  w.begin_object();
  w.key("prompt_tokens");
  w.integer(prompt);
  w.key("completion_tokens");
  w.integer(usage.output_tokens);
  w.key("total_tokens");
  w.integer(usage.total_tokens >= 0 ? usage.total_tokens : prompt + usage.output_tokens);
  w.key("prompt_tokens_details");
  w.begin_object();
  w.key("cached_tokens");
  w.integer(usage.cache_read_input_tokens);
  w.key("cache_creation_tokens");
  w.integer(usage.cache_creation_input_tokens);
  if (usage.has_cache_creation_details) {
    w.key("cache_creation_token_details");
    w.begin_object();
    w.key("ephemeral_5m_input_tokens");
    w.integer(usage.ephemeral_5m_input_tokens);
    w.key("ephemeral_1h_input_tokens");
    w.integer(usage.ephemeral_1h_input_tokens);
    w.end_object();
  }
  w.key("text_tokens");
  w.integer(usage.input_tokens);
  w.end_object();
  w.key("cache_creation_input_tokens");
  w.integer(usage.cache_creation_input_tokens);
  w.key("cache_read_input_tokens");
  w.integer(usage.cache_read_input_tokens);
  w.end_object();
}

}  // namespace llmtap::providers::anthropic
