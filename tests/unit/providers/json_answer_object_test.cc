#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "providers/json/answer_object.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers {
namespace {

// Verifies that an object answer is returned and readable.
TEST(AnswerObjectTest, ObjectIsReturned) {
  const auto answer = parse_answer_object(R"({"model":"m","content":[]})");
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_EQ(string_member(*answer, "model"), "m");
}

// Verifies the problems' texts: not JSON, not an object, an error object with or without its
// message.
TEST(AnswerObjectTest, ProblemsSayWhy) {
  const auto not_json = parse_answer_object("<html>");
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().rfind("the answer is not a JSON object (", 0), 0U) << not_json.error();

  const auto array = parse_answer_object("[1]");
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().rfind("the answer is not a JSON object (", 0), 0U) << array.error();

  const auto error = parse_answer_object(R"({"error":{"message":"quota"}})");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error(), "the answer is an error: quota");

  const auto bare = parse_answer_object(R"({"error":"x"})");
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error(), "the answer is an error: no message");
}

}  // namespace
}  // namespace llmtap::providers
