// The Gemini mock (tests/support/mock_gemini.h) proven by Google's own client: the official
// @google/genai npm package (tests/integration/provider_sdks/gemini.mjs, installed by
// scripts/install-deps.sh) calls the mock upstream directly, whole and streamed, and its own
// parsing must turn the mock's answers, SSE events and errors into the text, function calls,
// thoughts, usage, block reasons and ApiErrors a real Gemini answer gives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "integration/node_steps.h"
#include "integration/step_json.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class GeminiSdkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
    steps_ = run_node_steps("provider_sdks/gemini.mjs",
                            {"http://127.0.0.1:" + std::to_string(mock_.port), "gm-sdk-key",
                             "generate", "tool", "think", "blocked", "stream", "stream-tool",
                             "stream-error", "embed", "errors", "no-key", "bad-key"},
                            11);
    for (const auto& [name, line] : steps_) {
      EXPECT_THAT(line, Not(HasSubstr("\"unexpected\""))) << "the SDK failed a step: " << line;
    }
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

// Verifies whole answers: the SDK's text accessor, finish reason, role, numeric usage (with the
// cache marker's cached tokens), model version and response id; a function call with its parsed
// args; a thought part kept apart from the text; a blocked prompt with no candidates.
TEST_F(GeminiSdkTest, WholeAnswersAreGenerateContentResponses) {
  simdjson::dom::element generate = step("generate");
  EXPECT_EQ(text(generate["text"]), "mock answer") << steps_["generate"];
  EXPECT_EQ(text(generate["finish_reason"]), "STOP");
  EXPECT_EQ(text(generate["role"]), "model");
  EXPECT_EQ(simdjson::minify(generate["usage"]),
            R"({"promptTokenCount":11,"candidatesTokenCount":7,"totalTokenCount":18,)"
            R"("cachedContentTokenCount":3})");
  EXPECT_EQ(text(generate["model_version"]), "gemini-test-cache");
  EXPECT_THAT(text(generate["response_id"]), ::testing::StartsWith("mock-"));

  simdjson::dom::element tool = step("tool");
  EXPECT_EQ(simdjson::minify(tool["function_calls"]),
            R"([{"name":"get_weather","args":{"city":"Paris"}}])")
      << steps_["tool"];
  EXPECT_EQ(text(tool["text"]), "mock answer");

  simdjson::dom::element think = step("think");
  EXPECT_EQ(text(think["text"]), "mock answer") << steps_["think"];
  EXPECT_THAT(strings(think["thoughts"]), ElementsAre("mock thought"));
  EXPECT_EQ(int64_t(think["usage"]["thoughtsTokenCount"]), 3);
  EXPECT_EQ(int64_t(think["usage"]["totalTokenCount"]), 21);

  simdjson::dom::element blocked = step("blocked");
  EXPECT_EQ(text(blocked["block_reason"]), "SAFETY") << steps_["blocked"];
  EXPECT_TRUE(blocked["text"].is_null());
  EXPECT_TRUE(blocked["finish_reason"].is_null());
  EXPECT_EQ(int64_t(blocked["usage"]["promptTokenCount"]), 11);
}

// Verifies streams as the SDK reads Google's SSE: the text pieces in order, one finish reason at
// the end, the last usage the final one, and a function call arriving whole in its own chunk.
// An `error` event mid-stream ends the text there (the SDK throws only for an error object sent
// outside SSE framing, so it does not throw here; LiteLLM and llmtap read the event).
TEST_F(GeminiSdkTest, StreamsAreReadEventByEvent) {
  simdjson::dom::element stream = step("stream");
  EXPECT_THAT(strings(stream["text_deltas"]), ElementsAre("mock", " ans", "wer"))
      << steps_["stream"];
  EXPECT_THAT(strings(stream["finish_reasons"]), ElementsAre("STOP"));
  EXPECT_EQ(int64_t(stream["usage"]["candidatesTokenCount"]), 7);
  EXPECT_EQ(int64_t(stream["usage"]["totalTokenCount"]), 18);

  simdjson::dom::element tool = step("stream-tool");
  EXPECT_THAT(strings(tool["text_deltas"]), ElementsAre("mock", " ans", "wer"))
      << steps_["stream-tool"];
  EXPECT_EQ(simdjson::minify(tool["function_calls"]),
            R"([{"name":"get_weather","args":{"city":"Paris"}}])");
  EXPECT_THAT(strings(tool["finish_reasons"]), ElementsAre("STOP"));

  simdjson::dom::element broken = step("stream-error");
  EXPECT_THAT(strings(broken["text_deltas"]), ElementsAre("mock")) << steps_["stream-error"];
}

// Verifies embeddings as the SDK asks for them (batchEmbedContents, one request per content,
// outputDimensionality) and reads the mock's answer: one vector per content, in order.
TEST_F(GeminiSdkTest, EmbeddingsAreBatchEmbedContents) {
  simdjson::dom::element embed = step("embed");
  EXPECT_EQ(simdjson::minify(embed["vectors"]), "[[0.5,0.25,0.125,0.0625],[1,0.5,0.25,0.125]]")
      << steps_["embed"];
  bool saw_batch = false;
  simdjson::dom::parser parser;
  for (const std::string& line : read_ndjson_lines(dir_.file("requests.ndjson"))) {
    simdjson::dom::element request = parser.parse(line).value_unsafe();
    if (text(request["target"]) == "/v1beta/models/gemini-embedding-test:batchEmbedContents") {
      saw_batch = true;
    }
  }
  EXPECT_TRUE(saw_batch);
}

// Verifies Google's error bodies as the SDK reads them: an ApiError with the HTTP status and the
// body's canonical status and message; a missing key 403 PERMISSION_DENIED; an invalid key 400
// with reason API_KEY_INVALID, which LiteLLM's "API key not valid." rule keys on.
TEST_F(GeminiSdkTest, ErrorsAreApiErrorsWithGoogleStatus) {
  simdjson::dom::element errors = step("errors")["errors"];
  const std::map<std::string, std::string> statuses{
      {"400", "INVALID_ARGUMENT"},   {"403", "PERMISSION_DENIED"}, {"404", "NOT_FOUND"},
      {"429", "RESOURCE_EXHAUSTED"}, {"500", "INTERNAL"},          {"503", "UNAVAILABLE"}};
  for (const auto& [status, name] : statuses) {
    simdjson::dom::element error;
    ASSERT_FALSE(errors[status].get(error)) << status << " " << steps_["errors"];
    EXPECT_TRUE(bool(error["threw"])) << status;
    EXPECT_TRUE(bool(error["is_api_error"])) << status;
    EXPECT_EQ(int64_t(error["status"]), std::stoi(status));
    EXPECT_EQ(text(error["google_status"]), name) << status;
    EXPECT_EQ(text(error["google_message"]), "upstream error for: hello there") << status;
  }

  simdjson::dom::element no_key = step("no-key");
  EXPECT_TRUE(bool(no_key["is_api_error"])) << steps_["no-key"];
  EXPECT_EQ(int64_t(no_key["status"]), 403);
  EXPECT_EQ(text(no_key["google_status"]), "PERMISSION_DENIED");

  simdjson::dom::element bad_key = step("bad-key");
  EXPECT_TRUE(bool(bad_key["is_api_error"])) << steps_["bad-key"];
  EXPECT_EQ(int64_t(bad_key["status"]), 400);
  EXPECT_EQ(text(bad_key["google_message"]), "API key not valid. Please pass a valid API key.");
  EXPECT_EQ(text(bad_key["reason"]), "API_KEY_INVALID");
}

// Verifies what the SDK sent, as the mock logged it: the key in x-goog-api-key, the model and
// method in the URL, a stream's ?alt=sse, camelCase systemInstruction and contents.
TEST_F(GeminiSdkTest, SdkRequestsAreWhatTheMockReads) {
  std::vector<std::string> lines = read_ndjson_lines(dir_.file("requests.ndjson"));
  ASSERT_FALSE(lines.empty());
  simdjson::dom::parser parser;
  bool saw_generate = false;
  bool saw_stream = false;
  for (const std::string& line : lines) {
    simdjson::dom::element request = parser.parse(line).value_unsafe();
    const std::string target = text(request["target"]);
    if (target == "/v1beta/models/gemini-test-cache:generateContent") {
      saw_generate = true;
      EXPECT_EQ(text(request["headers"]["x-goog-api-key"]), "gm-sdk-key") << line;
      simdjson::dom::parser body_parser;
      simdjson::dom::element body = body_parser.parse(text(request["body"])).value_unsafe();
      EXPECT_EQ(text(body["contents"].at(0)["parts"].at(0)["text"]), "hello there");
      EXPECT_EQ(text(body["systemInstruction"]["parts"].at(0)["text"]), "You are terse.");
    }
    if (target == "/v1beta/models/gemini-test:streamGenerateContent?alt=sse") saw_stream = true;
  }
  EXPECT_TRUE(saw_generate) << lines.size();
  EXPECT_TRUE(saw_stream);
}

}  // namespace
}  // namespace llmtap::test
