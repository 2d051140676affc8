#include "providers/finish_reason.h"

#include <gtest/gtest.h>

namespace llmtap::providers {
namespace {

// Verifies that each provider's stop reasons map to OpenAI's finish_reason as LiteLLM maps them.
TEST(FinishReasonTest, ProviderReasonsMapToOpenAiValues) {
  EXPECT_EQ(map_finish_reason("end_turn"), "stop");
  EXPECT_EQ(map_finish_reason("stop_sequence"), "stop");
  EXPECT_EQ(map_finish_reason("max_tokens"), "length");
  EXPECT_EQ(map_finish_reason("tool_use"), "tool_calls");
  EXPECT_EQ(map_finish_reason("refusal"), "content_filter");
  EXPECT_EQ(map_finish_reason("STOP"), "stop");
  EXPECT_EQ(map_finish_reason("MAX_TOKENS"), "length");
  EXPECT_EQ(map_finish_reason("SAFETY"), "content_filter");
  EXPECT_EQ(map_finish_reason("guardrail_intervened"), "content_filter");
  EXPECT_EQ(map_finish_reason("tool_calls"), "tool_calls");
  EXPECT_EQ(map_finish_reason("COMPLETE"), "stop");
  EXPECT_EQ(map_finish_reason("ERROR_TOXIC"), "content_filter");
  EXPECT_EQ(map_finish_reason("ERROR"), "stop");
  EXPECT_EQ(map_finish_reason("TOOL_CALL"), "stop");  // not in LiteLLM's map
}

// Verifies that an unknown or missing reason is "stop", as in LiteLLM.
TEST(FinishReasonTest, UnknownAndEmptyReasonsAreStop) {
  EXPECT_EQ(map_finish_reason(""), "stop");
  EXPECT_EQ(map_finish_reason("MALFORMED_FUNCTION_CALL"), "stop");
  EXPECT_EQ(map_finish_reason("something_new"), "stop");
}

}  // namespace
}  // namespace llmtap::providers
