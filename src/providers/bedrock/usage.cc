#include "providers/bedrock/usage.h"

#include "providers/json/dom_members.h"

namespace llmtap::providers::bedrock {

anthropic::Usage read_usage(simdjson::dom::object usage) {
  anthropic::Usage counts;
  counts.input_tokens = count_member(usage, "inputTokens");
  counts.output_tokens = count_member(usage, "outputTokens");
  counts.cache_read_input_tokens = count_member(usage, "cacheReadInputTokens");
  counts.cache_creation_input_tokens = count_member(usage, "cacheWriteInputTokens");
  if (has_member(usage, "totalTokens")) counts.total_tokens = count_member(usage, "totalTokens");
  return counts;
}

}  // namespace llmtap::providers::bedrock
