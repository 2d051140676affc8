#include "gateway/upstream_outcome.h"

#include <gtest/gtest.h>

#include <string>

#include "gateway/openai_json.h"

namespace llmtap::gateway {
namespace {

using namespace std::chrono_literals;

// Verifies that a passed deadline is a 504 Timeout naming the upstream and the deadline.
TEST(UpstreamOutcomeTest, TimeoutIs504) {
  const providers::UpstreamError e = exchange_failure(
      "https://api.example.com/v1", 1500ms, http::ClientError::timeout, "deadline passed");
  EXPECT_EQ(e, (providers::UpstreamError{504, "timeout", "Timeout",
                                         "upstream https://api.example.com/v1 timed out after "
                                         "1.5s"}));
}

// Verifies that every other exchange failure is a 502 APIConnectionError saying how it failed.
TEST(UpstreamOutcomeTest, OtherExchangeFailuresAre502) {
  for (const http::ClientError error :
       {http::ClientError::connect, http::ClientError::resolve, http::ClientError::tls,
        http::ClientError::io, http::ClientError::protocol, http::ClientError::too_large,
        http::ClientError::bad_url}) {
    const providers::UpstreamError e =
        exchange_failure("https://api.example.com/v1", 1s, error, "detail");
    EXPECT_EQ(e.status, 502) << http::to_string(error);
    EXPECT_EQ(e.type, "api_connection_error");
    EXPECT_EQ(e.error_class, "APIConnectionError");
    EXPECT_EQ(e.message, std::string("upstream https://api.example.com/v1 failed: ") +
                             http::to_string(error) + " (detail)");
  }
}

// Verifies that an OpenAI-compatible upstream's error keeps its status, body and Content-Type,
// and the record gets the status's LiteLLM class and the body's message.
TEST(UpstreamOutcomeTest, OpenAiCompatibleErrorPassesThrough) {
  const std::string body = R"({"error":{"message":"Rate limit reached","type":"requests"}})";
  const UpstreamErrorAnswer a = upstream_error_answer(config::UpstreamApi::openai, "openai", 429,
                                                      body, "application/json; x=1");
  EXPECT_EQ(a.response.status, 429);
  EXPECT_EQ(a.response.body, body);
  EXPECT_EQ(a.response.header("content-type"), "application/json; x=1");
  EXPECT_EQ(a.error.status, 429);
  EXPECT_EQ(a.error.error_class, "RateLimitError");
  EXPECT_EQ(a.error.message, "Rate limit reached");
}

// Verifies that a passed-through error that came without a Content-Type is sent as JSON, and an
// HTML error page is the record's message as it is.
TEST(UpstreamOutcomeTest, PassedThroughErrorWithoutContentTypeIsJson) {
  const UpstreamErrorAnswer a =
      upstream_error_answer(config::UpstreamApi::openai, "openai", 503, "<html>busy</html>", "");
  EXPECT_EQ(a.response.header("content-type"), "application/json");
  EXPECT_EQ(a.response.body, "<html>busy</html>");
  EXPECT_EQ(a.error.error_class, "ServiceUnavailableError");
  EXPECT_EQ(a.error.message, "<html>busy</html>");
}

// Verifies that a translated API's error is answered in OpenAI's shape with the status, type and
// class its adapter gives (Anthropic's 529 overloaded_error stays a 529), whatever it came as.
TEST(UpstreamOutcomeTest, TranslatedErrorIsAnsweredInOpenAisShape) {
  const UpstreamErrorAnswer a = upstream_error_answer(
      config::UpstreamApi::anthropic, "anthropic", 529,
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
      "text/plain");
  EXPECT_EQ(a.error, (providers::UpstreamError{529, "overloaded_error", "InternalServerError",
                                               "AnthropicException - Overloaded"}));
  EXPECT_EQ(a.response.status, 529);
  EXPECT_EQ(a.response.header("content-type"), "application/json");
  EXPECT_EQ(a.response.body,
            error_body("AnthropicException - Overloaded", "overloaded_error", {}, 529));
}

}  // namespace
}  // namespace llmtap::gateway
