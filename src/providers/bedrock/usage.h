// Bedrock's Converse `usage` ({inputTokens, outputTokens, totalTokens, cacheReadInputTokens?,
// cacheWriteInputTokens?}) as OpenAI's `usage` object, read and written the one way LiteLLM's
// AmazonConverseConfig._transform_usage makes it, for both the chat.completion answer
// (converse_answer.h) and the stream's usage chunk (the metadata event, stream_translator.h):
//   prompt_tokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens (LiteLLM's newest
//   rule), completion_tokens = outputTokens, total_tokens = totalTokens as Bedrock gives it (the
//   sum when absent), prompt_tokens_details.cached_tokens = cacheReadInputTokens, and the cache
//   counts on their own (cache_creation_input_tokens, cache_read_input_tokens), written as
//   anthropic/usage.h writes Claude's: the same model logs and prices the same through either API.
//
// Pure functions; thread-safe.
#pragma once

#include <simdjson.h>

#include "providers/anthropic/usage.h"

namespace llmtap::providers::bedrock {

// The counts of a Converse `usage` object (absent or null counts are 0).
anthropic::Usage read_usage(simdjson::dom::object usage);

}  // namespace llmtap::providers::bedrock
