#include <gtest/gtest.h>

#include <string>

#include "providers/gemini/errors.h"

namespace llmtap::providers::gemini {
namespace {

std::string google_error(int code, std::string_view message, std::string_view status) {
  return "{\n  \"error\": {\n    \"code\": " + std::to_string(code) + ",\n    \"message\": \"" +
         std::string(message) + "\",\n    \"status\": \"" + std::string(status) + "\"\n  }\n}\n";
}

// Verifies the status mapping with Google's own message, prefixed as LiteLLM prefixes it.
TEST(GeminiErrorsTest, StatusClasses) {
  struct Case {
    int status;
    const char* google_status;
    const char* error_class;
    const char* type;
  };
  for (const Case& c : {Case{400, "INVALID_ARGUMENT", "BadRequestError", "invalid_request_error"},
                        Case{401, "UNAUTHENTICATED", "AuthenticationError", "authentication_error"},
                        Case{403, "PERMISSION_DENIED", "PermissionDeniedError", "permission_error"},
                        Case{404, "NOT_FOUND", "NotFoundError", "invalid_request_error"},
                        Case{429, "RESOURCE_EXHAUSTED", "RateLimitError", "rate_limit_error"},
                        Case{500, "INTERNAL", "InternalServerError", "api_error"},
                        Case{503, "UNAVAILABLE", "ServiceUnavailableError", "api_error"}}) {
    const UpstreamError e =
        map_error(c.status, google_error(c.status, "Something", c.google_status));
    EXPECT_EQ(e.status, c.status) << c.status;
    EXPECT_EQ(e.error_class, c.error_class) << c.status;
    EXPECT_EQ(e.type, c.type) << c.status;
    EXPECT_EQ(e.message, "VertexAIException - Something") << c.status;
  }
}

// Verifies AI Studio's invalid key (a 400 INVALID_ARGUMENT) as LiteLLM's AuthenticationError, 401.
TEST(GeminiErrorsTest, InvalidApiKeyIsAuthentication) {
  const UpstreamError e = map_error(
      400,
      google_error(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT"));
  EXPECT_EQ(e,
            (UpstreamError{401, "authentication_error", "AuthenticationError",
                           "VertexAIException - API key not valid. Please pass a valid API key."}));
}

// Verifies the text checks LiteLLM makes before the status: quota → RateLimitError, payload size →
// ContextWindowExceededError, overloaded → InternalServerError, and a 5xx whose code is 429.
TEST(GeminiErrorsTest, MessageChecksBeforeStatus) {
  EXPECT_EQ(map_error(400, google_error(400, "Quota exceeded for quota metric", "X")).error_class,
            "RateLimitError");
  EXPECT_EQ(map_error(400, google_error(400, "400 Request payload size exceeds the limit", "X"))
                .error_class,
            "ContextWindowExceededError");
  EXPECT_EQ(map_error(503, google_error(503, "The model is overloaded.", "UNAVAILABLE")).status,
            500);
  EXPECT_EQ(map_error(500, google_error(429, "busy", "RESOURCE_EXHAUSTED")).error_class,
            "RateLimitError");
}

// Verifies that a body that is not Google's JSON is quoted, bounded.
TEST(GeminiErrorsTest, NonJsonBody) {
  const UpstreamError e = map_error(502, "<html>Bad Gateway</html>");
  EXPECT_EQ(e.message, "VertexAIException - <html>Bad Gateway</html>");
  EXPECT_EQ(e.error_class, "APIConnectionError");
  EXPECT_EQ(map_error(500, std::string(10000, 'x')).message.size(), 20U + 2048U);
}

// Verifies a stream's error event: status from error.code, message "<status> - <message>".
TEST(GeminiErrorsTest, StreamError) {
  EXPECT_EQ(
      map_stream_error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted"),
      (UpstreamError{429, "rate_limit_error", "RateLimitError",
                     "VertexAIException - RESOURCE_EXHAUSTED - Resource has been exhausted"}));
  EXPECT_EQ(map_stream_error(0, "", "boom").status, 500);
}

}  // namespace
}  // namespace llmtap::providers::gemini
