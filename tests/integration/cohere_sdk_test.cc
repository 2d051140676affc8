// The Cohere mock (tests/support/mock_cohere.h) proven by Cohere's own client: the official
// cohere-ai npm package's CohereClientV2 — the v2 API LiteLLM calls for cohere/ models —
// (tests/integration/provider_sdks/cohere.mjs, installed by scripts/install-deps.sh) calls the
// mock upstream directly, whole and streamed, chat and embed, and its own parsing must turn the
// mock's answers, SSE events and error bodies into the fields, events and error classes a real
// Cohere answer gives. Then the mock's own bytes, so trusted, go through llmtap's translators
// (src/providers/cohere/), which must read them as the SDK did.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "integration/node_steps.h"
#include "integration/step_json.h"
#include "providers/cohere/chat_answer.h"
#include "providers/cohere/errors.h"
#include "providers/cohere/stream_translator.h"
#include "support/http_call.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kKey = "co-sdk-key";

class CohereSdkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
  }

  // Runs every step and keeps each step's JSON line by its name.
  void run_sdk() {
    steps_ = run_node_steps("provider_sdks/cohere.mjs",
                            {"http://127.0.0.1:" + std::to_string(mock_.port), std::string(kKey),
                             "chat", "tool", "stream", "stream-tool", "stream-error", "embed",
                             "embed-base64", "rejects-index", "errors"},
                            9);
    for (const auto& [name, line] : steps_) {
      EXPECT_THAT(line, ::testing::Not(HasSubstr("\"unexpected\"")))
          << "the SDK failed a step: " << line;
    }
    ASSERT_EQ(steps_.size(), 9u);
  }

  // The step's line, parsed (valid until the next call).
  simdjson::dom::element step(const std::string& name) {
    return parser_.parse(steps_[name]).value_unsafe();
  }

  // One call to the mock as llmtap makes it (LiteLLM's headers).
  HttpReply post(std::string_view path, std::string_view body) {
    return http_request(mock_.port, "POST", path,
                        {{"Authorization", "Bearer " + std::string(kKey)},
                         {"Content-Type", "application/json"},
                         {"accept", "application/json"},
                         {"Request-Source", "unspecified:litellm"}},
                        body);
  }

  TempDir dir_;
  StartedServer mock_;
  std::map<std::string, std::string> steps_;
  simdjson::dom::parser parser_;
};

// Verifies that the SDK reads whole answers as V2ChatResponse: the text content, COMPLETE, both
// usage counts as numbers, the trace header; a tool call with its plan, id, name and argument
// string, TOOL_CALL.
TEST_F(CohereSdkTest, WholeAnswersAreChatResponses) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element chat = step("chat");
  EXPECT_EQ(text(chat["text"]), "mock answer") << steps_["chat"];
  EXPECT_EQ(text(chat["finish_reason"]), "COMPLETE");
  EXPECT_EQ(text(chat["role"]), "assistant");
  EXPECT_EQ(simdjson::minify(chat["usage"]),
            R"({"billedUnits":{"inputTokens":11,"outputTokens":7},)"
            R"("tokens":{"inputTokens":71,"outputTokens":7}})");
  EXPECT_EQ(text(chat["trace_id"]), text(chat["id"]));

  simdjson::dom::element tool = step("tool");
  EXPECT_EQ(text(tool["finish_reason"]), "TOOL_CALL") << steps_["tool"];
  EXPECT_EQ(text(tool["tool_plan"]), "I will call get_weather.");
  EXPECT_EQ(simdjson::minify(tool["tool_calls"]),
            R"([{"id":"get_weather_mock1","type":"function","name":"get_weather",)"
            R"("arguments":"{\"city\":\"Paris\"}"}])");
}

// Verifies that the SDK's stream reader takes the mock's SSE events in Cohere's order, text
// pieces and tool-call pieces assembling into the whole answer's, message-end with the reason
// and usage, and a midstream error as a message-end with ERROR and its error text.
TEST_F(CohereSdkTest, StreamsAreTheSdksEvents) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element stream = step("stream");
  EXPECT_THAT(strings(stream["events"]),
              ElementsAre("message-start", "content-start", "content-delta", "content-delta",
                          "content-delta", "content-end", "message-end"))
      << steps_["stream"];
  EXPECT_THAT(strings(stream["text_deltas"]), ElementsAre("mock", " ans", "wer"));
  EXPECT_EQ(text(stream["end"]["finish_reason"]), "COMPLETE");
  EXPECT_EQ(int64_t(stream["end"]["usage"]["tokens"]["inputTokens"]), 71);

  simdjson::dom::element tool = step("stream-tool");
  EXPECT_THAT(strings(tool["events"]),
              ElementsAre("message-start", "tool-plan-delta", "tool-call-start", "tool-call-delta",
                          "tool-call-delta", "tool-call-delta", "tool-call-end", "message-end"))
      << steps_["stream-tool"];
  EXPECT_EQ(simdjson::minify(tool["calls"]),
            R"([{"id":"get_weather_mock1","name":"get_weather"}])");
  EXPECT_EQ(text(tool["arguments"]), R"({"city":"Paris"})");
  EXPECT_EQ(text(tool["end"]["finish_reason"]), "TOOL_CALL");

  simdjson::dom::element broken = step("stream-error");
  EXPECT_THAT(strings(broken["text_deltas"]), ElementsAre("mock")) << steps_["stream-error"];
  EXPECT_EQ(text(broken["end"]["finish_reason"]), "ERROR");
  EXPECT_EQ(text(broken["end"]["error"]), "internal error");
}

// Verifies that the SDK reads embed answers: float vectors per input, billed units, and a base64
// vector that decodes to the float32 values asked for (output_dimension 2).
TEST_F(CohereSdkTest, EmbedAnswersAreEmbedByTypeResponses) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  simdjson::dom::element embed = step("embed");
  EXPECT_EQ(simdjson::minify(embed["embeddings"]),
            R"({"float":[[0.5,0.25,0.125,0.0625],[1,0.5,0.25,0.125]]})")
      << steps_["embed"];
  EXPECT_THAT(strings(embed["texts"]), ElementsAre("one", "two"));
  EXPECT_EQ(int64_t(embed["meta"]["billedUnits"]["inputTokens"]), 6);
  EXPECT_EQ(simdjson::minify(step("embed-base64")["floats"]), "[0.5,0.25]");
}

// Verifies that the SDK raises the mock's errors as Cohere's: each status its class with the
// body's message, a wrong key UnauthorizedError "invalid api token", and a tool call carrying
// OpenAI's stream `index` refused (what LiteLLM strips, and llmtap with it).
TEST_F(CohereSdkTest, ErrorsAreTheSdksErrors) {
  ASSERT_NO_FATAL_FAILURE(run_sdk());
  const std::map<std::string, std::pair<int, std::string>> expected = {
      {"400", {400, "BadRequestError"}},
      {"401", {401, "UnauthorizedError"}},
      {"429", {429, "TooManyRequestsError"}},
      {"500", {500, "InternalServerError"}},
      {"bad-key", {401, "UnauthorizedError"}}};
  simdjson::dom::element errors = step("errors")["errors"];
  for (const auto& [name, want] : expected) {
    simdjson::dom::element error = errors[name];
    SCOPED_TRACE(simdjson::minify(error));
    EXPECT_TRUE(bool(error["threw"]));
    EXPECT_TRUE(bool(error["is_cohere_error"]));
    EXPECT_EQ(int64_t(error["status"]), want.first);
    EXPECT_EQ(text(error["name"]), want.second);
  }
  EXPECT_TRUE(bool(errors["400"]["is_bad_request"]));
  EXPECT_TRUE(bool(errors["429"]["is_too_many_requests"]));
  EXPECT_TRUE(bool(errors["500"]["is_internal_server_error"]));
  EXPECT_EQ(text(errors["429"]["body_message"]), "upstream error for: hello there");
  EXPECT_EQ(text(errors["bad-key"]["body_message"]), "invalid api token");
  EXPECT_TRUE(bool(errors["bad-key"]["is_unauthorized"]));

  simdjson::dom::element refused = step("rejects-index");
  EXPECT_TRUE(bool(refused["threw"])) << steps_["rejects-index"];
  EXPECT_EQ(int64_t(refused["status"]), 400);
  EXPECT_THAT(text(refused["body_message"]), HasSubstr("index is not a known field"));
}

// Verifies that llmtap's translators read the mock's bytes as the SDK did: the whole answer and
// the stream (text and tool call) as OpenAI's, and the mock's 401 as LiteLLM's
// AuthenticationError.
TEST_F(CohereSdkTest, TranslatorsReadTheMocksBytes) {
  const std::string chat =
      R"({"model":"command-test","messages":[{"role":"user","content":"hi"}]})";
  HttpReply whole = post("/v2/chat", chat);
  ASSERT_EQ(whole.status, 200) << whole.error << whole.body;
  auto answer =
      providers::cohere::to_chat_completion(whole.body, {"chatcmpl-1", 1, "command-test"});
  ASSERT_TRUE(answer);
  EXPECT_THAT(*answer, HasSubstr(R"("content":"mock answer"},"finish_reason":"stop")"));
  EXPECT_THAT(*answer,
              HasSubstr(R"("usage":{"prompt_tokens":71,"completion_tokens":7,"total_tokens":78})"));

  HttpReply streamed =
      post("/v2/chat", R"({"model":"command-test-tool","stream":true,"messages":[{"role":)"
                       R"("user","content":"hi"}],"tools":[{"type":"function","function":)"
                       R"({"name":"get_weather","parameters":{"type":"object"}}}]})");
  ASSERT_EQ(streamed.status, 200) << streamed.error << streamed.body;
  auto translator = providers::cohere::make_stream_translator({"chatcmpl-2", 1, "command-test"});
  std::string out;
  for (const std::string& piece : streamed.chunks) translator->feed(piece, out);
  translator->finish(out);
  EXPECT_THAT(out, HasSubstr(R"("id":"get_weather_mock1","type":"function")"));
  EXPECT_THAT(out, HasSubstr(R"({"arguments":"\"Par"})"));
  EXPECT_THAT(out, HasSubstr(R"("finish_reason":"tool_calls")"));
  EXPECT_THAT(out, HasSubstr(R"("usage":{"prompt_tokens":71,"completion_tokens":7,)"));
  EXPECT_TRUE(out.ends_with("data: [DONE]\n\n")) << out;

  HttpReply refused =
      http_request(mock_.port, "POST", "/v2/chat", {{"Authorization", "Bearer bad-key"}}, chat);
  ASSERT_EQ(refused.status, 401);
  const providers::UpstreamError error = providers::cohere::map_error(401, refused.body);
  EXPECT_EQ(error.error_class, "AuthenticationError");
  EXPECT_EQ(error.message, "CohereException - " + refused.body);
}

}  // namespace
}  // namespace llmtap::test
