#include "providers/upstream_error.h"

#include <gtest/gtest.h>

namespace llmtap::providers {
namespace {

// Verifies the exception class LiteLLM gives each error status.
TEST(UpstreamErrorTest, StatusesHaveLiteLlmClasses) {
  EXPECT_EQ(error_class_for_status(400), "BadRequestError");
  EXPECT_EQ(error_class_for_status(401), "AuthenticationError");
  EXPECT_EQ(error_class_for_status(403), "PermissionDeniedError");
  EXPECT_EQ(error_class_for_status(404), "NotFoundError");
  EXPECT_EQ(error_class_for_status(413), "BadRequestError");
  EXPECT_EQ(error_class_for_status(429), "RateLimitError");
  EXPECT_EQ(error_class_for_status(500), "InternalServerError");
  EXPECT_EQ(error_class_for_status(503), "ServiceUnavailableError");
  EXPECT_EQ(error_class_for_status(529), "APIError");
  EXPECT_EQ(error_class_for_status(418), "BadRequestError");
}

// Verifies OpenAI's error type for a status a provider's body does not type.
TEST(UpstreamErrorTest, StatusesHaveOpenAiTypes) {
  EXPECT_EQ(openai_error_type_for_status(400), "invalid_request_error");
  EXPECT_EQ(openai_error_type_for_status(401), "authentication_error");
  EXPECT_EQ(openai_error_type_for_status(403), "permission_error");
  EXPECT_EQ(openai_error_type_for_status(404), "invalid_request_error");
  EXPECT_EQ(openai_error_type_for_status(429), "rate_limit_error");
  EXPECT_EQ(openai_error_type_for_status(500), "api_error");
  EXPECT_EQ(openai_error_type_for_status(529), "api_error");
}

}  // namespace
}  // namespace llmtap::providers
