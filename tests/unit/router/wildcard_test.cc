#include "router/wildcard.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace llmtap::router {
namespace {

using Captures = std::vector<std::string_view>;

// Verifies re.match semantics: from the start, greedy stars, text after the match allowed.
TEST(WildcardTest, MatchesAsPythonsReMatch) {
  EXPECT_EQ(match_wildcard("*", "gpt-4o"), Captures{"gpt-4o"});
  EXPECT_EQ(match_wildcard("openai/*", "openai/gpt-4o"), Captures{"gpt-4o"});
  EXPECT_EQ(match_wildcard("openai/*", "openai/"), Captures{""});
  EXPECT_FALSE(match_wildcard("openai/*", "groq/llama"));
  EXPECT_FALSE(match_wildcard("openai/*", "xopenai/gpt"));
  EXPECT_EQ(match_wildcard("a*b*", "axbyb"), (Captures{"xby", ""}));
  EXPECT_EQ(match_wildcard("claude-*-sonnet", "claude-3-5-sonnet"), Captures{"3-5"});
  EXPECT_EQ(match_wildcard("claude-*-sonnet", "claude-3-sonnet-latest"), Captures{"3"})
      << "the rest after a match is allowed, as re.match allows it";
  EXPECT_FALSE(match_wildcard("claude-*-sonnet", "claude-3-opus"));
  EXPECT_EQ(match_wildcard("gpt-4o", "gpt-4o-mini"), Captures{}) << "no star: a prefix match";
}

// Verifies that each capture replaces one star of the deployment's model, and a model with
// none is used as written.
TEST(WildcardTest, FillsTheDeploymentsModel) {
  const Captures one{"claude-x"};
  EXPECT_EQ(fill_wildcard("anthropic/*", one), "anthropic/claude-x");
  EXPECT_EQ(fill_wildcard("anthropic/claude-sonnet-4", one), "anthropic/claude-sonnet-4");
  const Captures two{"a", "b"};
  EXPECT_EQ(fill_wildcard("p/*-*", two), "p/a-b");
  EXPECT_EQ(fill_wildcard("p/*-*-*", two), "p/a-b-*");
}

// Verifies the order patterns are tried in: longer first, then more stars.
TEST(WildcardTest, MostSpecificFirst) {
  std::vector<std::string_view> patterns{"*", "anthropic/*", "anthropic/claude-*", "a*/*"};
  std::sort(patterns.begin(), patterns.end(), tried_before);
  EXPECT_EQ(patterns,
            (std::vector<std::string_view>{"anthropic/claude-*", "anthropic/*", "a*/*", "*"}));
  EXPECT_TRUE(is_wildcard("*"));
  EXPECT_FALSE(is_wildcard("gpt-4o"));
}

}  // namespace
}  // namespace llmtap::router
