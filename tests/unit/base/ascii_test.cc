#include "base/ascii.h"

#include <gtest/gtest.h>

namespace llmtap::ascii {
namespace {

// Verifies that iequals ignores ASCII case only, and lengths must match.
TEST(AsciiTest, IequalsIgnoresAsciiCaseOnly) {
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("Content-Type", "content-typ"));
  EXPECT_FALSE(iequals("a[", "A{"));      // '[' and '{' are 0x20 apart but are not letters
  EXPECT_FALSE(iequals("\xC4", "\xE4"));  // Latin-1 Ä/ä: not ASCII letters
}

// Verifies that trim removes ASCII white space at both ends only.
TEST(AsciiTest, TrimRemovesSpaceAtBothEnds) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("x"), "x");
}

// Verifies that istarts_with and lower work on ASCII letters.
TEST(AsciiTest, PrefixAndLower) {
  EXPECT_TRUE(istarts_with("HTTPS://x", "https://"));
  EXPECT_FALSE(istarts_with("http", "https://"));
  EXPECT_EQ(lower("X-Api-KEY"), "x-api-key");
}

}  // namespace
}  // namespace llmtap::ascii
