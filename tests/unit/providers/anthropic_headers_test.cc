#include <gtest/gtest.h>

#include "providers/anthropic/headers.h"

namespace llmtap::providers::anthropic {
namespace {

// Verifies LiteLLM's four rate-limit renames, case-insensitively, and that other headers have
// no OpenAI name.
TEST(AnthropicHeadersTest, RateLimitHeadersGetOpenAiNames) {
  EXPECT_EQ(openai_header_name("anthropic-ratelimit-requests-limit"), "x-ratelimit-limit-requests");
  EXPECT_EQ(openai_header_name("Anthropic-RateLimit-Requests-Remaining"),
            "x-ratelimit-remaining-requests");
  EXPECT_EQ(openai_header_name("anthropic-ratelimit-tokens-limit"), "x-ratelimit-limit-tokens");
  EXPECT_EQ(openai_header_name("anthropic-ratelimit-tokens-remaining"),
            "x-ratelimit-remaining-tokens");
  EXPECT_EQ(openai_header_name("anthropic-ratelimit-tokens-reset"), "");
  EXPECT_EQ(openai_header_name("request-id"), "");
}

}  // namespace
}  // namespace llmtap::providers::anthropic
