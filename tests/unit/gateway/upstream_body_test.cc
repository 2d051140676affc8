#include "gateway/upstream_body.h"

#include <gtest/gtest.h>

#include <string>

namespace llmtap::gateway {
namespace {

payload::RequestSummary parse(const std::string& body) {
  auto summary = payload::parse_request(body, payload::CallType::completion);
  EXPECT_TRUE(summary.has_value()) << summary.error().message;
  return summary ? std::move(*summary) : payload::RequestSummary{};
}

// Verifies that a non-stream body only has its model token replaced.
TEST(UpstreamBodyTest, ReplacesOnlyTheModel) {
  const std::string body = R"({ "model" : "public", "messages":[{"role":"user","content":"x"}] })";
  EXPECT_EQ(upstream_body(body, parse(body), "gpt-4o", false),
            R"({ "model" : "gpt-4o", "messages":[{"role":"user","content":"x"}] })");
  EXPECT_EQ(upstream_body(body, parse(body), "public", false), body);
}

// Verifies that a stream without stream_options gets include_usage added before the last brace.
TEST(UpstreamBodyTest, AddsIncludeUsageToAStream) {
  const std::string body = R"({"model":"public","messages":[],"stream":true}  )";
  EXPECT_EQ(
      upstream_body(body, parse(body), "up", true),
      R"({"model":"up","messages":[],"stream":true,"stream_options":{"include_usage":true}}  )");
}

// Verifies that include_usage is merged into an existing stream_options (false or absent, or
// null), keeping its other members.
TEST(UpstreamBodyTest, MergesIntoExistingStreamOptions) {
  const std::string with_false =
      R"({"stream_options": {"continuous_usage_stats":true, "include_usage":false},"model":"m","messages":[],"stream":true})";
  EXPECT_EQ(
      upstream_body(with_false, parse(with_false), "m", true),
      R"({"stream_options": {"continuous_usage_stats":true,"include_usage":true},"model":"m","messages":[],"stream":true})");
  const std::string with_null =
      R"({"model":"public","stream_options":null,"messages":[],"stream":true})";
  EXPECT_EQ(
      upstream_body(with_null, parse(with_null), "up", true),
      R"({"model":"up","stream_options":{"include_usage":true},"messages":[],"stream":true})");
  const std::string empty = R"({"model":"m","stream_options":{},"messages":[],"stream":true})";
  EXPECT_EQ(upstream_body(empty, parse(empty), "m", true),
            R"({"model":"m","stream_options":{"include_usage":true},"messages":[],"stream":true})");
}

// Verifies that a client that asked for usage gets its body unchanged.
TEST(UpstreamBodyTest, LeavesClientUsageRequestAlone) {
  const std::string body =
      R"({"model":"m","messages":[],"stream":true,"stream_options":{"include_usage":true}})";
  EXPECT_EQ(upstream_body(body, parse(body), "m", true), body);
}

// Verifies that LiteLLM's per-request turn_off_message_logging never reaches the provider,
// wherever it stands among the members, with one of its commas; the rest (whitespace included)
// stays byte for byte.
TEST(UpstreamBodyTest, RemovesTurnOffMessageLogging) {
  const std::string last = R"({"model":"m","messages":[] , "turn_off_message_logging" : true})";
  EXPECT_EQ(upstream_body(last, parse(last), "m", false), R"({"model":"m","messages":[] })");
  const std::string first = R"({ "turn_off_message_logging":"true", "model":"m","messages":[]})";
  EXPECT_EQ(upstream_body(first, parse(first), "up", false), R"({  "model":"up","messages":[]})");
  const std::string middle =
      R"({"model":"m","turn_off_message_logging":false,"messages":[],"stream":true})";
  EXPECT_EQ(
      upstream_body(middle, parse(middle), "up", true),
      R"({"model":"up","messages":[],"stream":true,"stream_options":{"include_usage":true}})");
  const std::string in_metadata =
      R"({"model":"m","messages":[],"metadata":{"turn_off_message_logging":true}})";
  EXPECT_EQ(upstream_body(in_metadata, parse(in_metadata), "m", false), in_metadata);
}

// Verifies that every LiteLLM request switch (tags, mock_response, litellm_*…) is kept from the
// provider, adjacent ones included, so each comma goes once and the body stays valid JSON.
TEST(UpstreamBodyTest, RemovesEveryLiteLLMParameter) {
  const std::string leading = R"({"tags":["a"], "num_retries":2,"model":"m","messages":[]})";
  EXPECT_EQ(upstream_body(leading, parse(leading), "m", false), R"({ "model":"m","messages":[]})");
  const std::string spread =
      R"({"model":"m","mock_response":"x","messages":[],"temperature":1,"litellm_metadata":{},"tags":[]})";
  EXPECT_EQ(upstream_body(spread, parse(spread), "up", false),
            R"({"model":"up","messages":[],"temperature":1})");
}

}  // namespace
}  // namespace llmtap::gateway
