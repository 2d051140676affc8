#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "providers/bedrock/errors.h"

namespace llmtap::providers::bedrock {
namespace {

// Verifies the status rules: the class and status LiteLLM raises, the raw body after
// "BedrockException - ", OpenAI's type for the status.
TEST(BedrockErrorsTest, StatusesMapAsLiteLlmClassesThem) {
  constexpr std::string_view kBody = R"({"message":"Something"})";
  const auto expect = [&](int status, int mapped, std::string_view error_class) {
    const UpstreamError error = map_error(status, kBody);
    EXPECT_EQ(error.status, mapped) << status;
    EXPECT_EQ(error.error_class, error_class) << status;
    EXPECT_EQ(error.message, std::string("BedrockException - ") + std::string(kBody)) << status;
    EXPECT_EQ(error.type, openai_error_type_for_status(mapped)) << status;
  };
  expect(400, 400, "BadRequestError");
  expect(422, 400, "BadRequestError");
  expect(401, 401, "AuthenticationError");
  expect(404, 404, "NotFoundError");
  expect(408, 408, "Timeout");
  expect(504, 408, "Timeout");
  expect(429, 429, "RateLimitError");
  expect(500, 503, "ServiceUnavailableError");
  expect(503, 503, "ServiceUnavailableError");
  expect(403, 500, "APIConnectionError");
  expect(424, 500, "APIConnectionError");
}

// Verifies that the body's words win over the status, each rule with LiteLLM's own prefix.
TEST(BedrockErrorsTest, BodyTextRulesComeFirst) {
  const UpstreamError context = map_error(400, R"({"message":"Input is too long for model"})");
  EXPECT_EQ(context.error_class, "ContextWindowExceededError");
  EXPECT_EQ(
      context.message,
      R"(BedrockException: Context Window Error - {"message":"Input is too long for model"})");
  const UpstreamError token =
      map_error(403, R"({"message":"The security token included in the request is invalid."})");
  EXPECT_EQ(token.status, 401);
  EXPECT_EQ(token.error_class, "AuthenticationError");
  EXPECT_TRUE(token.message.starts_with("BedrockException Invalid Authentication - "));
  const UpstreamError denied = map_error(403, "AccessDeniedException: no");
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.error_class, "PermissionDeniedError");
  const UpstreamError throttled = map_error(400, R"({"message":"ThrottlingException"})");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.message,
            R"(BedrockException: Rate Limit Error - {"message":"ThrottlingException"})");
  const UpstreamError first = map_error(400, "A conversation must start with a user message.");
  EXPECT_EQ(first.error_class, "BadRequestError");
  EXPECT_TRUE(first.message.starts_with(
      "BedrockException - A conversation must start with a user message.\n. Pass in default "
      "user message via `completion(..,user_continue_message=)`"));
  EXPECT_EQ(map_error(500, "Could not process image").error_class, "InternalServerError");
  EXPECT_EQ(map_error(500, "Could not process image").status, 500);
}

// Verifies stream exceptions: "<type> <payload>" classed with AWS's status for the type.
TEST(BedrockErrorsTest, StreamExceptionsAreClassedWithAwsStatuses) {
  const UpstreamError throttled =
      map_stream_exception("throttlingException", R"({"message":"Too many requests"})");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.error_class, "RateLimitError");
  EXPECT_EQ(throttled.message, R"(BedrockException: Rate Limit Error - throttlingException )"
                               R"({"message":"Too many requests"})");
  EXPECT_EQ(map_stream_exception("validationException", "{}").error_class, "BadRequestError");
  EXPECT_EQ(map_stream_exception("serviceUnavailableException", "{}").status, 503);
  EXPECT_EQ(map_stream_exception("internalServerException", "{}").error_class,
            "ServiceUnavailableError");
  EXPECT_EQ(map_stream_exception("modelStreamErrorException", "{}").error_class,
            "APIConnectionError");
  EXPECT_EQ(map_stream_exception("modelTimeoutException", "{}").status, 408);
  EXPECT_EQ(map_stream_exception("somethingNew", "{}").status, 400);
}

// Verifies that a huge body is quoted bounded.
TEST(BedrockErrorsTest, MessagesAreBounded) {
  const std::string huge(100000, 'x');
  EXPECT_LT(map_error(500, huge).message.size(), 2200U);
}

}  // namespace
}  // namespace llmtap::providers::bedrock
