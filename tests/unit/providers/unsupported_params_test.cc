#include "providers/unsupported_params.h"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

namespace llmtap::providers {
namespace {

// Verifies LiteLLM's UnsupportedParamsError text, golden, with the names as a Python list.
TEST(UnsupportedParamsTest, LiteLlmMessageGolden) {
  const std::array<std::string_view, 2> names = {"seed", "n"};
  EXPECT_EQ(unsupported_params_message("anthropic", names, "claude-x"),
            "anthropic does not support parameters: ['seed', 'n'], for model=claude-x. To drop "
            "these, set `litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n "
            "drop_params: true`\n. \n If you want to use these params dynamically send "
            "allowed_openai_params=['seed', 'n'] in your request.");
}

}  // namespace
}  // namespace llmtap::providers
