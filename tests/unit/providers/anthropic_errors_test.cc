#include <gtest/gtest.h>

#include "providers/anthropic/errors.h"

namespace llmtap::providers::anthropic {
namespace {

std::string anthropic_body(std::string_view type, std::string_view message) {
  return R"({"type":"error","error":{"type":")" + std::string(type) + R"(","message":")" +
         std::string(message) + R"("},"request_id":"req_1"})";
}

// Verifies that a 529 overloaded_error keeps its status and becomes LiteLLM's
// InternalServerError with the prefixed message.
TEST(AnthropicErrorsTest, OverloadedKeepsStatusAndIsInternalServerError) {
  UpstreamError e = map_error(529, anthropic_body("overloaded_error", "Overloaded"));
  EXPECT_EQ(e.status, 529);
  EXPECT_EQ(e.error_class, "InternalServerError");
  EXPECT_EQ(e.type, "overloaded_error");
  EXPECT_EQ(e.message, "AnthropicException - Overloaded");
}

// Verifies that the message decides the class before the status does.
TEST(AnthropicErrorsTest, MessageDecidesClassFirst) {
  EXPECT_EQ(map_error(400, anthropic_body("invalid_request_error",
                                          "prompt is too long: 250000 tokens > 200000 maximum"))
                .error_class,
            "ContextWindowExceededError");
  EXPECT_EQ(map_error(400, anthropic_body("invalid_request_error", "Invalid API Key")).error_class,
            "AuthenticationError");
  EXPECT_EQ(map_error(400, anthropic_body("invalid_request_error",
                                          "Output blocked by content filtering policy"))
                .error_class,
            "ContentPolicyViolationError");
}

// Verifies the class each documented Anthropic status gets.
TEST(AnthropicErrorsTest, StatusesMapAsLiteLlmMapsThem) {
  EXPECT_EQ(map_error(401, anthropic_body("authentication_error", "invalid x-api-key")).error_class,
            "AuthenticationError");
  EXPECT_EQ(map_error(403, anthropic_body("permission_error", "no")).error_class,
            "PermissionDeniedError");
  EXPECT_EQ(map_error(404, anthropic_body("not_found_error", "model: x")).error_class,
            "NotFoundError");
  EXPECT_EQ(map_error(413, anthropic_body("request_too_large", "too big")).error_class,
            "BadRequestError");
  EXPECT_EQ(map_error(429, anthropic_body("rate_limit_error", "slow down")).error_class,
            "RateLimitError");
  EXPECT_EQ(map_error(500, anthropic_body("api_error", "oops")).error_class, "InternalServerError");
}

// Verifies that a body that is not Anthropic's error JSON is quoted, bounded, and typed by status.
TEST(AnthropicErrorsTest, ForeignBodyIsQuotedAndBounded) {
  UpstreamError e = map_error(502, "<html>bad gateway</html>");
  EXPECT_EQ(e.message, "AnthropicException - <html>bad gateway</html>");
  EXPECT_EQ(e.type, "api_error");
  EXPECT_EQ(e.error_class, "APIConnectionError");
  UpstreamError big = map_error(503, std::string(100000, 'x'));
  EXPECT_LT(big.message.size(), 3000U);
  EXPECT_EQ(big.error_class, "ServiceUnavailableError");
}

}  // namespace
}  // namespace llmtap::providers::anthropic
