#include <gtest/gtest.h>

#include <string>

#include "providers/cohere/errors.h"

namespace llmtap::providers::cohere {
namespace {

// Verifies that Cohere's "invalid api token" is LiteLLM's AuthenticationError with the body, as
// Cohere sent it, after "CohereException - ".
TEST(CohereErrorsTest, InvalidTokenIsAuthenticationErrorWithTheBody) {
  constexpr std::string_view kBody = R"({"id":"19b9fdd4","message":"invalid api token"})";
  const UpstreamError e = map_error(401, kBody);
  EXPECT_EQ(e.status, 401);
  EXPECT_EQ(e.error_class, "AuthenticationError");
  EXPECT_EQ(e.type, "authentication_error");
  EXPECT_EQ(e.message, std::string("CohereException - ") + std::string(kBody));
  // The text decides before the status does.
  EXPECT_EQ(
      map_error(400, R"({"message":"no api key supplied. No API key provided."})").error_class,
      "AuthenticationError");
}

// Verifies the classes LiteLLM's cohere branch gives by text and by status, and the status each
// class answers with.
TEST(CohereErrorsTest, TextThenStatusDecideTheClass) {
  const UpstreamError window =
      map_error(400, R"({"message":"too many tokens: max tokens must be <= 8192"})");
  EXPECT_EQ(window.error_class, "ContextWindowExceededError");
  EXPECT_EQ(window.status, 400);
  EXPECT_EQ(map_error(400, R"({"message":"invalid request: bad"})").error_class, "BadRequestError");
  const UpstreamError invalid_token = map_error(498, R"({"message":"token expired"})");
  EXPECT_EQ(invalid_token.error_class, "BadRequestError");
  EXPECT_EQ(invalid_token.status, 400);
  EXPECT_EQ(map_error(408, "timeout").error_class, "Timeout");
  const UpstreamError server = map_error(500, R"({"message":"internal server error"})");
  EXPECT_EQ(server.error_class, "ServiceUnavailableError");
  EXPECT_EQ(server.status, 503);
  EXPECT_EQ(server.message, R"(CohereException - {"message":"internal server error"})");
}

// Verifies that the statuses LiteLLM's branch does not list fall to its catch-all:
// APIConnectionError (500), named after the provider as LiteLLM capitalises it.
TEST(CohereErrorsTest, OtherStatusesAreApiConnectionErrorsNamedAfterTheProvider) {
  const UpstreamError limited = map_error(429, R"({"message":"trial key limited"})");
  EXPECT_EQ(limited.error_class, "APIConnectionError");
  EXPECT_EQ(limited.status, 500);
  EXPECT_EQ(limited.type, "api_error");
  EXPECT_EQ(limited.message, R"(Cohere_chatException - {"message":"trial key limited"})");
  EXPECT_EQ(map_error(404, R"({"message":"model not found"})", "cohere").message,
            R"(CohereException - {"message":"model not found"})");
  EXPECT_EQ(map_error(401, R"({"message":"no api key supplied"})").error_class,
            "APIConnectionError");
}

// Verifies that a huge body is bounded and a stream's error is an APIConnectionError.
TEST(CohereErrorsTest, BodiesAreBoundedAndStreamErrorsMapped) {
  EXPECT_LT(map_error(502, std::string(100000, 'x')).message.size(), 3000U);
  const UpstreamError stream = map_stream_error("internal error");
  EXPECT_EQ(stream.status, 500);
  EXPECT_EQ(stream.error_class, "APIConnectionError");
  EXPECT_EQ(stream.message, "CohereException - internal error");
}

}  // namespace
}  // namespace llmtap::providers::cohere
