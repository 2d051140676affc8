// Gemini deployments end to end: the official `openai` SDK talks to llmtap, llmtap talks
// generateContent to the Gemini mock (tests/support/mock_gemini.h, itself checked by the official
// @google/genai in gemini_sdk_test.cc), and the records at the sink are the ones LiteLLM logs for
// these calls: provider gemini, the full model URL as api_base, OpenAI-shaped response, usage
// with thinking tokens, cost from the price map, failures with LiteLLM's classes.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

std::string config() {
  constexpr std::string_view kGemini =
      "api_base: {UPSTREAM}\n"
      "api_key: gm-upstream\n";
  return ConfigBuilder()
      .deployment("flash", std::string("model: gemini/gemini-2.5-flash\n").append(kGemini))
      .deployment("flash-tool", std::string("model: gemini/gemini-tool\n").append(kGemini))
      .deployment("flash-think", std::string("model: gemini/gemini-think\n").append(kGemini))
      .deployment("flash-blocked", std::string("model: gemini/gemini-blocked\n").append(kGemini))
      .deployment("flash-busy", std::string("model: gemini/status-429\n").append(kGemini))
      .deployment("flash-broken", std::string("model: gemini/midstream-error\n").append(kGemini))
      .deployment("flash-badkey", std::string("model: gemini/gemini-2.5-flash\n"
                                              "api_base: {UPSTREAM}\n"
                                              "api_key: bad-key\n"))
      .yaml();
}

class GeminiE2eTest : public E2eFixture {
 protected:
  // The one upstream request's JSON line and its body, parsed.
  simdjson::dom::element only_request_body(simdjson::dom::element& request) {
    auto seen = upstream_requests();
    EXPECT_EQ(seen.size(), 1u);
    if (seen.empty()) return {};
    request_line_ = seen[0];
    request = parser_.parse(request_line_).value_unsafe();
    body_ = std::string(std::string_view(request["body"]));
    return body_parser_.parse(body_).value_unsafe();
  }

  simdjson::dom::parser step_parser_;
  simdjson::dom::parser body_parser_;
  std::string request_line_;
  std::string body_;
};

// Verifies a chat call: the SDK gets an OpenAI chat.completion with the mock's answer and usage,
// Gemini got a generateContent request at the model's URL (x-goog-api-key, system_instruction,
// user turn, generationConfig), and the record says gemini, the full URL, the usage and the
// price map's cost.
TEST_F(GeminiE2eTest, ChatIsTranslatedBothWaysAndLoggedAsLiteLlmLogsIt) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"chat=flash"});
  auto chat = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(std::string_view(chat["finish"]), "stop");
  EXPECT_EQ(std::string_view(chat["object"]), "chat.completion");
  EXPECT_EQ(int64_t(chat["usage"]["prompt_tokens"]), 11);
  EXPECT_EQ(int64_t(chat["usage"]["completion_tokens"]), 7);
  EXPECT_EQ(int64_t(chat["usage"]["total_tokens"]), 18);
  const std::string answer_id{std::string_view(chat["id"])};
  const std::string call_id{std::string_view(chat["call_id"])};

  simdjson::dom::element request;
  auto sent = only_request_body(request);
  ASSERT_FALSE(HasFailure()) << request_line_;
  EXPECT_EQ(std::string_view(request["target"]), "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(std::string_view(request["headers"]["x-goog-api-key"]), "gm-upstream");
  EXPECT_TRUE(request["headers"]["authorization"].error()) << "no bearer key to Gemini";
  EXPECT_TRUE(sent["model"].error()) << "the model is in the URL: " << body_;
  EXPECT_EQ(std::string_view(sent["system_instruction"]["parts"].at(0)["text"]), "You are terse.")
      << body_;
  EXPECT_EQ(std::string_view(sent["contents"].at(0)["role"]), "user");
  EXPECT_EQ(int64_t(sent["generationConfig"]["max_output_tokens"]), 100) << body_;

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "success");
  EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "gemini");
  EXPECT_EQ(std::string_view(record["model"]), "gemini-2.5-flash");
  EXPECT_EQ(std::string_view(record["model_group"]), "flash");
  EXPECT_EQ(std::string_view(record["api_base"]),
            upstream_url() + "/v1beta/models/gemini-2.5-flash:generateContent");
  EXPECT_EQ(int64_t(record["prompt_tokens"]), 11);
  EXPECT_EQ(int64_t(record["completion_tokens"]), 7);
  EXPECT_DOUBLE_EQ(double(record["response_cost"]), 11 * 3e-07 + 7 * 2.5e-06);
  EXPECT_EQ(std::string_view(record["response"]["object"]), "chat.completion");
  EXPECT_EQ(std::string_view(record["response"]["model"]), "gemini-2.5-flash");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
            "mock answer");
  EXPECT_EQ(answer_id, "chatcmpl-" + call_id);
  EXPECT_EQ(std::string_view(record["response"]["id"]), answer_id);
}

// Verifies a stream: Gemini was asked at :streamGenerateContent?alt=sse, the SDK reads OpenAI
// chunks (role, the text, finish_reason, the usage), and the record holds the assembled answer,
// its usage and the stream URL as api_base.
TEST_F(GeminiE2eTest, StreamIsTranslatedChunkByChunk) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"stream=flash"});
  auto stream = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_EQ(std::string_view(stream["role"]), "assistant");
  EXPECT_EQ(std::string_view(stream["finish"]), "stop");
  EXPECT_EQ(int64_t(stream["usage"]["total_tokens"]), 18) << steps["stream"];

  simdjson::dom::element request;
  only_request_body(request);
  ASSERT_FALSE(HasFailure()) << request_line_;
  EXPECT_EQ(std::string_view(request["target"]),
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");

  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "success") << lines_[0];
  EXPECT_TRUE(bool(record["stream"]));
  EXPECT_EQ(std::string_view(record["api_base"]),
            upstream_url() + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  EXPECT_EQ(int64_t(record["total_tokens"]), 18);
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
            "mock answer");
}

// Verifies tool calls both ways and thinking: a functionCall answer is an OpenAI tool call with
// its args as a JSON string, whole and streamed; the functions went to Gemini as
// function_declarations; thought parts come back as reasoning_content with the thinking tokens
// counted into completion_tokens.
TEST_F(GeminiE2eTest, ToolCallsAndThinking) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps =
      run_providers_client({"tools=flash-tool", "tools-stream=flash-tool", "chat=flash-think"});
  expect_weather_tool_call(steps);

  auto think = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(think.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(think["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(int64_t(think["usage"]["completion_tokens"]), 10) << steps["chat"];

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 3u);
  auto request = parser_.parse(seen[0]);
  ASSERT_FALSE(request.error());
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_EQ(std::string_view(sent["tools"].at(0)["function_declarations"].at(0)["name"]),
            "get_weather")
      << body;

  auto lines = records(3);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    if (std::string_view(record["model_group"]) == "flash-think") {
      EXPECT_EQ(
          std::string_view(record["response"]["choices"].at(0)["message"]["reasoning_content"]),
          "mock thought")
          << line;
      EXPECT_EQ(int64_t(record["completion_tokens"]), 10) << line;
    }
  }
}

// Verifies embeddings: Gemini got batchEmbedContents at the model's URL, one request per input
// naming "models/<model>" with outputDimensionality from `dimensions`; the SDK's default base64
// and an explicit float both come back as the mock's vectors; the record is an embedding call
// with Gemini's URL and the 0 tokens LiteLLM's tokenizer count stands in for.
TEST_F(GeminiE2eTest, EmbeddingsAreBatchEmbedContents) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"embeddings=flash", "embeddings-float=flash"});
  auto one = step_parser_.parse(steps["embeddings"]);
  ASSERT_FALSE(one.error()) << steps["embeddings"];
  EXPECT_EQ(std::string_view(one["object"]), "list") << steps["embeddings"];
  EXPECT_EQ(std::string_view(one["model"]), "gemini-2.5-flash");
  EXPECT_EQ(simdjson::minify(one["vectors"]), "[[0.5,0.25,0.125]]") << steps["embeddings"];
  auto two = step_parser_.parse(steps["embeddings-float"]);
  ASSERT_FALSE(two.error()) << steps["embeddings-float"];
  EXPECT_EQ(simdjson::minify(two["vectors"]), "[[0.5,0.25,0.125,0.0625],[1,0.5,0.25,0.125]]")
      << steps["embeddings-float"];
  EXPECT_EQ(simdjson::minify(two["indexes"]), "[0,1]");

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 2u);
  auto request = parser_.parse(seen[1]);
  ASSERT_FALSE(request.error());
  EXPECT_EQ(std::string_view(request["target"]),
            "/v1beta/models/gemini-2.5-flash:batchEmbedContents");
  EXPECT_EQ(std::string_view(request["headers"]["x-goog-api-key"]), "gm-upstream");
  const std::string body{std::string_view(request["body"])};
  auto sent = step_parser_.parse(body);
  ASSERT_FALSE(sent.error()) << body;
  EXPECT_EQ(simdjson::minify(sent),
            R"({"requests":[{"model":"models/gemini-2.5-flash","content":{"parts":[{"text":)"
            R"("first text"}]},"outputDimensionality":4},{"model":"models/gemini-2.5-flash",)"
            R"("content":{"parts":[{"text":"second text"}]},"outputDimensionality":4}]})");

  auto lines = records(2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    EXPECT_EQ(std::string_view(record["call_type"]), "aembedding") << line;
    EXPECT_EQ(std::string_view(record["api_base"]),
              upstream_url() + "/v1beta/models/gemini-2.5-flash:batchEmbedContents");
    EXPECT_EQ(int64_t(record["prompt_tokens"]), 0) << line;
  }
}

// Verifies errors: Google's 429 RESOURCE_EXHAUSTED reaches the SDK as a 429 with LiteLLM's
// "VertexAIException - " message and a RateLimitError record; an invalid key (Google's 400 "API
// key not valid.") is LiteLLM's AuthenticationError, 401; an error event mid-stream ends the
// SDK's stream with an error and is a failure record; a safety block is content_filter;
// text completions are a 400 saying why.
TEST_F(GeminiE2eTest, ErrorsAreMappedAndLoggedAsFailures) {
  start(config(), {}, /*with_upstream=*/true);
  auto steps = run_providers_client({"error=flash-busy", "stream-error=flash-broken"});
  auto busy = step_parser_.parse(steps["error"]);
  ASSERT_FALSE(busy.error()) << steps["error"];
  EXPECT_EQ(int64_t(busy["status"]), 429) << steps["error"];
  EXPECT_NE(std::string_view(busy["error"]).find("VertexAIException"), std::string::npos)
      << steps["error"];

  auto broken = step_parser_.parse(steps["stream-error"]);
  ASSERT_FALSE(broken.error()) << steps["stream-error"];
  EXPECT_NE(std::string_view(broken["error"]).find("overloaded"), std::string::npos)
      << steps["stream-error"];

  HttpReply bad_key =
      post("/v1/chat/completions",
           R"({"model":"flash-badkey","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(bad_key.status, 401) << bad_key.body;
  EXPECT_NE(bad_key.body.find("API key not valid"), std::string::npos) << bad_key.body;
  HttpReply blocked =
      post("/v1/chat/completions",
           R"({"model":"flash-blocked","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(blocked.status, 200) << blocked.body;
  EXPECT_NE(blocked.body.find(R"("finish_reason":"content_filter")"), std::string::npos)
      << blocked.body;
  HttpReply text = post("/v1/completions", R"({"model":"flash","prompt":"x"})");
  EXPECT_EQ(text.status, 400) << text.body;
  EXPECT_NE(text.body.find("does not serve"), std::string::npos) << text.body;

  // The blocked prompt is a success record; the other four are failures.
  std::map<std::string, std::string> classes = failure_classes(5, "gemini");
  EXPECT_EQ(classes.size(), 4u);
  EXPECT_EQ(classes.count("flash-blocked"), 0u);
  EXPECT_EQ(classes["flash-busy"], "RateLimitError");
  // "The model is overloaded." is LiteLLM's InternalServerError whatever the status.
  EXPECT_EQ(classes["flash-broken"], "InternalServerError");
  EXPECT_EQ(classes["flash-badkey"], "AuthenticationError");
  EXPECT_EQ(classes["flash"], "BadRequestError");
}

}  // namespace
}  // namespace llmtap::test
