#include "providers/openai_params.h"

#include <algorithm>
#include <array>

namespace llmtap::providers {
namespace {

constexpr std::array<std::string_view, 32> kParams = {"audio",
                                                      "extra_headers",
                                                      "frequency_penalty",
                                                      "function_call",
                                                      "functions",
                                                      "logit_bias",
                                                      "logprobs",
                                                      "max_completion_tokens",
                                                      "max_tokens",
                                                      "modalities",
                                                      "n",
                                                      "parallel_tool_calls",
                                                      "prediction",
                                                      "presence_penalty",
                                                      "prompt_cache_key",
                                                      "reasoning_effort",
                                                      "response_format",
                                                      "safety_identifier",
                                                      "seed",
                                                      "service_tier",
                                                      "stop",
                                                      "stream",
                                                      "stream_options",
                                                      "temperature",
                                                      "thinking",
                                                      "tool_choice",
                                                      "tools",
                                                      "top_logprobs",
                                                      "top_p",
                                                      "user",
                                                      "verbosity",
                                                      "web_search_options"};

}  // namespace

bool is_openai_chat_param(std::string_view key) {
  return std::find(kParams.begin(), kParams.end(), key) != kParams.end();
}

}  // namespace llmtap::providers
