// End-to-end tests of message redaction (README "The record", issue #3 point 4): the global
// turn_off_message_logging and LiteLLM's per-request switches — the
// x-litellm-enable-message-redaction / litellm-enable-message-redaction headers,
// litellm-disable-message-redaction, and the body's turn_off_message_logging — on success, upstream
// failure (whose error text echoes the prompt), streams and broken streams, with the real binary,
// mock upstream and sink.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

constexpr std::string_view kPrompt = "PROMPT-c0ffee-private";
constexpr std::string_view kRedacted = "redacted-by-litellm";
// The mock upstream's answer text ("mock answer", streamed as "mock" + " answer").
constexpr std::string_view kAnswer = "mock answer";

std::string config(bool global_redaction) {
  ConfigBuilder builder;
  builder.upstream("gpt-4o", "gpt-4o").upstream("rejects", "status-400").upstream("cut", "cut");
  builder.mock("mocked", "Hi from the mock");
  if (global_redaction) builder.litellm_settings("turn_off_message_logging: true");
  return builder.yaml();
}

std::string chat_body(std::string_view model, std::string_view extra = {}) {
  return R"({"model":")" + std::string(model) + R"(","messages":[{"role":"user","content":")" +
         std::string(kPrompt) + "\"}]" + std::string(extra) + "}";
}

class RedactionE2eTest : public E2eFixture {
 protected:
  // Sends a chat and returns its call id (empty, with a failure, when the exchange failed).
  std::string send(std::string_view model, const HeaderList& headers, std::string_view extra = {},
                   int expected_status = 200) {
    HttpReply reply = post("/v1/chat/completions", chat_body(model, extra), headers);
    EXPECT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, expected_status) << model << ": " << reply.body;
    return reply.header("x-litellm-call-id");
  }

  // Checks that a record carries neither the prompt nor the answer and has the redaction marker
  // where the messages (and, on failure, the error text) were.
  void expect_redacted(const std::string& line) {
    SCOPED_TRACE(line);
    EXPECT_EQ(line.find(kPrompt), std::string::npos);
    EXPECT_EQ(line.find(kAnswer), std::string::npos);
    EXPECT_EQ(line.find("Hi from the mock"), std::string::npos);
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error());
    EXPECT_EQ(std::string_view(record["messages"].at(0)["content"]), kRedacted);
    if (std::string_view(record["status"]) == "failure") {
      EXPECT_EQ(std::string_view(record["error_str"]), kRedacted);
      EXPECT_EQ(std::string_view(record["error_information"]["error_message"]), kRedacted);
    } else {
      EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
                kRedacted);
      EXPECT_GT(int64_t(record["total_tokens"]), 0) << "redaction keeps the usage";
    }
  }

  void expect_logged(const std::string& line) {
    EXPECT_NE(line.find(kPrompt), std::string::npos) << line;
    EXPECT_EQ(line.find(kRedacted), std::string::npos) << line;
  }
};

// Verifies that, with the global setting off, a request carrying either enable header or the body
// parameter is redacted on success, upstream failure echoing the prompt, stream, broken stream
// and mock answer — while a request without them is logged in full — and that the body
// parameter is not sent upstream.
TEST_F(RedactionE2eTest, PerRequestSwitchRedactsEveryKindOfRecord) {
  start(config(false), {}, /*with_upstream=*/true);
  const HeaderList on = {{"x-litellm-enable-message-redaction", "true"}};
  const HeaderList legacy = {{"litellm-enable-message-redaction", "true"}};
  const std::string plain = send("gpt-4o", {});
  const std::vector<std::string> redacted = {
      send("gpt-4o", on),
      send("gpt-4o", legacy),
      send("gpt-4o", {}, R"(,"turn_off_message_logging":true)"),
      send("gpt-4o", {}, R"(,"metadata":{"turn_off_message_logging":"true"})"),
      send("rejects", on, {}, 400),
      send("gpt-4o", on, R"(,"stream":true)"),
      send("cut", on, R"(,"stream":true)"),
      send("mocked", on),
  };
  // An explicit false in the body wins over the header (LiteLLM's order).
  const std::string body_false = send("gpt-4o", on, R"(,"turn_off_message_logging":false)");

  auto records = records_by_call_id(redacted.size() + 2);
  ASSERT_EQ(records.size(), redacted.size() + 2);
  expect_logged(records[plain]);
  expect_logged(records[body_false]);
  for (const auto& id : redacted) {
    ASSERT_EQ(records.count(id), 1u) << id;
    expect_redacted(records[id]);
  }
  for (const std::string& seen : upstream_requests()) {
    EXPECT_EQ(seen.find("turn_off_message_logging\\\":true"), std::string::npos) << seen;
    EXPECT_EQ(seen.find("turn_off_message_logging\\\":false"), std::string::npos) << seen;
  }
}

// Verifies that with the global setting on every record is redacted (success, upstream failure,
// stream) unless the request says litellm-disable-message-redaction, or turn_off_message_logging
// false in its body.
TEST_F(RedactionE2eTest, GlobalRedactionCanBeLiftedPerRequest) {
  start(config(true), {}, /*with_upstream=*/true);
  const std::vector<std::string> redacted = {
      send("gpt-4o", {}),
      send("rejects", {}, {}, 400),
      send("gpt-4o", {}, R"(,"stream":true)"),
      send("cut", {}, R"(,"stream":true)"),
  };
  const HeaderList off = {{"litellm-disable-message-redaction", "true"}};
  const std::string lifted = send("gpt-4o", off);
  const std::string lifted_failure = send("rejects", off, {}, 400);
  const std::string lifted_by_body = send("gpt-4o", {}, R"(,"turn_off_message_logging":false)");

  auto records = records_by_call_id(redacted.size() + 3);
  ASSERT_EQ(records.size(), redacted.size() + 3);
  for (const auto& id : redacted) expect_redacted(records[id]);
  expect_logged(records[lifted]);
  expect_logged(records[lifted_failure]);
  EXPECT_NE(records[lifted_failure].find("upstream error for: " + std::string(kPrompt)),
            std::string::npos)
      << records[lifted_failure];
  expect_logged(records[lifted_by_body]);
}

}  // namespace
}  // namespace llmtap::test
