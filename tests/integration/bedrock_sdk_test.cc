// The Bedrock mock (tests/support/mock_bedrock.h) proven by AWS's own client: the official
// @aws-sdk/client-bedrock-runtime (tests/integration/provider_sdks/bedrock.mjs, installed by
// scripts/install-deps.sh) calls the mock directly with its own SigV4 signer and event-stream
// decoder. The mock verifying the SDK's signatures with llmtap's signer
// (providers/bedrock/sigv4.h) proves the signer canonicalizes as AWS does; the SDK decoding the
// mock's frames proves the encoder (providers/bedrock/eventstream.h) frames as AWS does; the
// SDK's exception classes prove the mock's error answers. Then the mock's own bytes, so trusted,
// go through llmtap's translators (src/providers/bedrock/), which must read them as the SDK did.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "integration/node_steps.h"
#include "integration/step_json.h"
#include "support/mock_bedrock.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class BedrockSdkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
  }

  // Runs every step and keeps each step's JSON line by its name.
  void run_sdk() {
    const MockAwsCredentials& key = kMockAwsCredentials[0];
    const MockAwsCredentials& session = kMockAwsCredentials[1];
    steps_ = run_node_steps(
        "provider_sdks/bedrock.mjs",
        {"http://127.0.0.1:" + std::to_string(mock_.port), std::string(key.access_key_id),
         std::string(key.secret_access_key), std::string(session.access_key_id),
         std::string(session.secret_access_key), std::string(session.session_token), "converse",
         "tool", "cache", "stream", "stream-tool", "stream-error", "session", "bad-secret",
         "unknown-key", "throttled", "validation"},
        11);
    for (const auto& [name, line] : steps_) {
      EXPECT_THAT(line, ::testing::Not(HasSubstr("\"unexpected\"")))
          << "the SDK failed a step: " << line;
    }
    ASSERT_EQ(steps_.size(), 11u);
  }

  // The step's line, parsed (valid until the next call).
  simdjson::dom::element step(const std::string& name) {
    return parser_.parse(steps_[name]).value_unsafe();
  }

  TempDir dir_;
  StartedServer mock_;
  std::map<std::string, std::string> steps_;
  simdjson::dom::parser parser_;
};

// Verifies that the mock accepts the SDK's signatures (long-term and session credentials) and
// that the SDK reads its whole answers as ConverseResponse: text, stop reason, usage with the
// cache counts, a toolUse with its input object.
TEST_F(BedrockSdkTest, SignedCallsGetConverseResponses) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element converse = step("converse");
  EXPECT_EQ(int64_t(converse["status"]), 200) << steps_["converse"];
  EXPECT_EQ(text(converse["text"]), "mock answer");
  EXPECT_EQ(text(converse["stop_reason"]), "end_turn");
  EXPECT_EQ(simdjson::minify(converse["usage"]),
            R"({"inputTokens":11,"outputTokens":7,"totalTokens":18})");
  EXPECT_EQ(int64_t(converse["latency_ms"]), 42);
  EXPECT_EQ(text(step("session")["text"]), "mock answer") << steps_["session"];

  simdjson::dom::element tool = step("tool");
  EXPECT_EQ(text(tool["stop_reason"]), "tool_use") << steps_["tool"];
  EXPECT_EQ(simdjson::minify(tool["tool_uses"]),
            R"([{"toolUseId":"tooluse_mock1","name":"get_weather","input":{"city":"Paris"}}])");

  EXPECT_EQ(simdjson::minify(step("cache")["usage"]),
            R"({"inputTokens":11,"outputTokens":7,"totalTokens":26,)"
            R"("cacheReadInputTokens":5,"cacheWriteInputTokens":3})")
      << steps_["cache"];
}

// Verifies that the SDK's event-stream decoder takes the mock's frames: the events in Bedrock's
// order, text and tool-input pieces, the stop reason and usage; an exception frame mid-stream
// as the SDK's ThrottlingException.
TEST_F(BedrockSdkTest, StreamsAreTheSdksEvents) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element stream = step("stream");
  EXPECT_THAT(strings(stream["events"]),
              ElementsAre("messageStart", "contentBlockDelta", "contentBlockDelta",
                          "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"))
      << steps_["stream"];
  EXPECT_EQ(text(stream["text"]), "mock answer");
  EXPECT_EQ(text(stream["stop_reason"]), "end_turn");
  EXPECT_EQ(int64_t(stream["usage"]["totalTokens"]), 18);
  EXPECT_TRUE(stream["error"].error()) << steps_["stream"];

  simdjson::dom::element tool = step("stream-tool");
  EXPECT_EQ(simdjson::minify(tool["tool_starts"]),
            R"([{"toolUseId":"tooluse_mock1","name":"get_weather"}])")
      << steps_["stream-tool"];
  EXPECT_EQ(text(tool["tool_inputs"]), R"({"city":"Paris"})");
  EXPECT_EQ(text(tool["stop_reason"]), "tool_use");

  simdjson::dom::element broken = step("stream-error");
  EXPECT_EQ(text(broken["text"]), "mock") << steps_["stream-error"];
  EXPECT_EQ(text(broken["error"]["name"]), "ThrottlingException");
  EXPECT_THAT(text(broken["error"]["message"]), HasSubstr("Too many tokens"));
}

// Verifies the mock's refusals as the SDK classes them: a wrong secret is AWS's
// InvalidSignatureException (403), an unknown key UnrecognizedClientException, a status marker
// ThrottlingException (429), a conversation starting with the assistant a ValidationException.
TEST_F(BedrockSdkTest, ErrorsAreTheSdksExceptions) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element bad = step("bad-secret");
  EXPECT_TRUE(bool(bad["threw"])) << steps_["bad-secret"];
  EXPECT_EQ(text(bad["name"]), "InvalidSignatureException");
  EXPECT_EQ(int64_t(bad["status"]), 403);
  EXPECT_THAT(text(bad["message"]), HasSubstr("signature we calculated does not match"));

  simdjson::dom::element unknown = step("unknown-key");
  EXPECT_EQ(text(unknown["name"]), "UnrecognizedClientException") << steps_["unknown-key"];
  EXPECT_EQ(int64_t(unknown["status"]), 403);

  simdjson::dom::element throttled = step("throttled");
  EXPECT_EQ(text(throttled["name"]), "ThrottlingException") << steps_["throttled"];
  EXPECT_EQ(int64_t(throttled["status"]), 429);
  EXPECT_EQ(text(throttled["message"]), "upstream error for: hello there");

  simdjson::dom::element validation = step("validation");
  EXPECT_EQ(text(validation["name"]), "ValidationException") << steps_["validation"];
  EXPECT_EQ(int64_t(validation["status"]), 400);
  EXPECT_THAT(text(validation["message"]), HasSubstr("must start with a user message"));
}

}  // namespace
}  // namespace llmtap::test
