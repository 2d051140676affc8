#include "base/result.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace llmtap::testing_errc {

enum class errc { first_problem = 1, second_problem };

std::string_view errc_message(errc e) {
  switch (e) {
    case errc::first_problem:
      return "the first problem";
    case errc::second_problem:
      return "the second problem";
  }
  return "unknown";
}

}  // namespace llmtap::testing_errc

LLMTAP_ERROR_CATEGORY(llmtap::testing_errc, errc, "llmtap.testing");

namespace llmtap {
namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return testing_errc::errc::second_problem;
  return n / 2;
}

// Verifies that a module's errc converts to an error code callers can compare and print.
TEST(ResultTest, ModuleErrcIsAnErrorCode) {
  const Result<int> ok = half(4);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 2);
  const Result<int> bad = half(3);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(), testing_errc::errc::second_problem);
  EXPECT_NE(bad.error(), testing_errc::errc::first_problem);
  EXPECT_EQ(bad.error().message(), "the second problem");
  EXPECT_STREQ(bad.error().category().name(), "llmtap.testing");
}

// Verifies that errno values travel in the same type.
TEST(ResultTest, ErrnoCodes) {
  const Result<void> r = errno_code(ENOSPC);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), boost::system::errc::no_space_on_device);
}

}  // namespace
}  // namespace llmtap
