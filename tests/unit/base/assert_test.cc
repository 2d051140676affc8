#include "base/assert.h"

#include <gtest/gtest.h>

namespace llmtap {
namespace {

// Verifies that a false LLMTAP_ASSERT aborts naming the file, the line and the condition when
// assertions are on, and is compiled but not evaluated when they are off.
TEST(AssertTest, FailureAbortsWithFileLineAndCondition) {
  int evaluated = 0;
  const auto count = [&evaluated] { return ++evaluated > 0; };
  LLMTAP_ASSERT(count());
  if constexpr (!base::kAssertionsEnabled) {
    EXPECT_EQ(evaluated, 0);
    GTEST_SKIP() << "built without LLMTAP_ASSERTIONS";
  } else {
    EXPECT_EQ(evaluated, 1);
    const int two = 2;
    EXPECT_DEATH(LLMTAP_ASSERT(two == 3),
                 "assert_test\\.cc:[0-9]+: LLMTAP_ASSERT\\(two == 3\\) failed");
  }
}

}  // namespace
}  // namespace llmtap
