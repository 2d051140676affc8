#include "gateway/message_redaction.h"

#include <gtest/gtest.h>

#include <string>

namespace llmtap::gateway {
namespace {

struct Case {
  http::Request request;
  std::optional<payload::RequestSummary> summary;
};

Case make(http::Headers headers, std::string body) {
  Case c;
  c.request.headers = std::move(headers);
  c.request.body = std::move(body);
  auto parsed = payload::parse_request(c.request.body, payload::CallType::completion);
  if (parsed) c.summary = std::move(*parsed);
  return c;
}

bool decide(bool global, const Case& c) {
  return redact_messages(global, c.request, c.summary ? &*c.summary : nullptr);
}

constexpr std::string_view kPlain = R"({"model":"m","messages":[]})";

// Verifies that without any per-request signal the global setting decides.
TEST(MessageRedactionTest, GlobalDecidesWithoutSignals) {
  EXPECT_FALSE(decide(false, make({}, std::string(kPlain))));
  EXPECT_TRUE(decide(true, make({}, std::string(kPlain))));
}

// Verifies that both enable headers turn redaction on with any non-empty value, as LiteLLM
// reads headers as truthy strings, and that an empty value does not count.
TEST(MessageRedactionTest, EnableHeadersTurnRedactionOn) {
  EXPECT_TRUE(
      decide(false, make({{"X-LiteLLM-Enable-Message-Redaction", "true"}}, std::string(kPlain))));
  EXPECT_TRUE(
      decide(false, make({{"litellm-enable-message-redaction", "1"}}, std::string(kPlain))));
  EXPECT_FALSE(
      decide(false, make({{"x-litellm-enable-message-redaction", ""}}, std::string(kPlain))));
}

// Verifies that the disable header wins over everything, the global setting included.
TEST(MessageRedactionTest, DisableHeaderWins) {
  EXPECT_FALSE(
      decide(true, make({{"litellm-disable-message-redaction", "true"}}, std::string(kPlain))));
  EXPECT_FALSE(
      decide(true, make({{"litellm-disable-message-redaction", "true"},
                         {"x-litellm-enable-message-redaction", "true"}},
                        R"({"model":"m","messages":[],"turn_off_message_logging":true})")));
}

// Verifies the body parameter: top level, then metadata, then litellm_metadata; booleans and
// "true"/"false" strings; it overrides the enable header and the global setting.
TEST(MessageRedactionTest, BodyParameterOverridesHeaderAndGlobal) {
  EXPECT_TRUE(
      decide(false, make({}, R"({"model":"m","messages":[],"turn_off_message_logging":true})")));
  EXPECT_FALSE(
      decide(true, make({}, R"({"model":"m","messages":[],"turn_off_message_logging":"False"})")));
  EXPECT_TRUE(decide(
      false,
      make({}, R"({"model":"m","messages":[],"metadata":{"turn_off_message_logging":true}})")));
  EXPECT_TRUE(decide(
      false,
      make(
          {},
          R"({"model":"m","messages":[],"litellm_metadata":{"turn_off_message_logging":"TRUE"}})")));
  EXPECT_FALSE(
      decide(false, make({{"x-litellm-enable-message-redaction", "true"}},
                         R"({"model":"m","messages":[],"turn_off_message_logging":false})")));
  // The top level wins over metadata.
  EXPECT_FALSE(
      decide(false, make({}, R"({"model":"m","messages":[],"turn_off_message_logging":false,)"
                             R"("metadata":{"turn_off_message_logging":true}})")));
  // A value LiteLLM cannot read is ignored: the header or the global setting decides.
  EXPECT_TRUE(
      decide(true, make({}, R"({"model":"m","messages":[],"turn_off_message_logging":"maybe"})")));
  EXPECT_TRUE(
      decide(false, make({{"litellm-enable-message-redaction", "yes"}},
                         R"({"model":"m","messages":[],"turn_off_message_logging":null})")));
}

// Verifies that a body that did not parse leaves the headers and the global setting to decide.
TEST(MessageRedactionTest, UnparsedBodyUsesHeaders) {
  Case c = make({{"x-litellm-enable-message-redaction", "true"}}, "{not json");
  ASSERT_FALSE(c.summary.has_value());
  EXPECT_TRUE(decide(false, c));
  EXPECT_FALSE(decide(false, make({}, "{not json")));
}

}  // namespace
}  // namespace llmtap::gateway
