#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "providers/cohere/chat_answer.h"

namespace llmtap::providers::cohere {
namespace {

constexpr AnswerIdentity kIdentity{"chatcmpl-7c1", 1764700000, "command-r-08-2024"};

std::string translate(std::string_view body) {
  auto answer = to_chat_completion(body, kIdentity);
  if (!answer) return "problem: " + answer.error().message;
  return *answer;
}

constexpr std::string_view kHead =
    R"({"id":"chatcmpl-7c1","object":"chat.completion","created":1764700000,)"
    R"("model":"command-r-08-2024","choices":[{"index":0,"message":{"role":"assistant",)";

// Verifies a text answer: the text items joined, COMPLETE as "stop", usage from usage.tokens
// (not billed_units), the gateway's id and model rather than Cohere's.
TEST(CohereAnswerTest, TextAnswerJoinsTextAndReadsTokens) {
  EXPECT_EQ(
      translate(R"({"id":"c0ffee","finish_reason":"COMPLETE","message":{"role":"assistant",)"
                R"("content":[{"type":"text","text":"Hello"},{"type":"text","text":" there"}]},)"
                R"("usage":{"billed_units":{"input_tokens":5,"output_tokens":2},)"
                R"("tokens":{"input_tokens":71,"output_tokens":2},"cached_tokens":0}})"),
      std::string(kHead) +
          R"("content":"Hello there"},"finish_reason":"stop"}],)"
          R"("usage":{"prompt_tokens":71,"completion_tokens":2,"total_tokens":73}})");
}

// Verifies that a thinking item adds nothing (LiteLLM reads only `text`), MAX_TOKENS is
// "length", and an answer without usage counts zeros.
TEST(CohereAnswerTest, ThinkingIsDroppedAndMaxTokensIsLength) {
  EXPECT_EQ(
      translate(R"({"id":"x","finish_reason":"MAX_TOKENS","message":{"role":"assistant",)"
                R"("content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"A"}]}})"),
      std::string(kHead) +
          R"("content":"A"},"finish_reason":"length"}],)"
          R"("usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}})");
  // No content at all: null; an empty list: "".
  EXPECT_EQ(translate(R"({"finish_reason":"COMPLETE","message":{"role":"assistant"}})")
                .substr(kHead.size(), 15),
            R"("content":null})");
  EXPECT_EQ(translate(R"({"finish_reason":"COMPLETE","message":{"role":"assistant","content":[]}})")
                .substr(kHead.size(), 13),
            R"("content":""})");
}

// Verifies a tool-call answer: Cohere's calls as OpenAI's with their ids and argument strings and
// an index, content null even beside a tool plan, finish_reason "tool_calls".
TEST(CohereAnswerTest, ToolCallsKeepIdsAndFinishAsToolCalls) {
  EXPECT_EQ(
      translate(
          R"({"id":"x","finish_reason":"TOOL_CALL","message":{"role":"assistant",)"
          R"("tool_plan":"I will look it up.","tool_calls":[{"id":"get_weather_x1",)"
          R"("type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},)"
          R"({"id":"t2","type":"function","function":{"name":"now","arguments":"{}"}}]},)"
          R"("usage":{"tokens":{"input_tokens":9,"output_tokens":4}}})"),
      std::string(kHead) +
          R"("content":null,"tool_calls":[{"id":"get_weather_x1","type":"function",)"
          R"("function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"},"index":0},)"
          R"({"id":"t2","type":"function","function":{"name":"now","arguments":"{}"},"index":1}]},)"
          R"("finish_reason":"tool_calls"}],)"
          R"("usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}})");
}

// Verifies that document citations become url_citation annotations, one per document source,
// with LiteLLM's fallbacks for a missing title and url; tool sources make none.
TEST(CohereAnswerTest, DocumentCitationsBecomeAnnotations) {
  EXPECT_EQ(
      translate(R"({"finish_reason":"COMPLETE","message":{"role":"assistant",)"
                R"("content":[{"type":"text","text":"Paris is sunny."}],"citations":[)"
                R"({"start":0,"end":5,"text":"Paris","sources":[)"
                R"({"type":"document","id":"doc_0","document":{"title":"Weather","snippet":"s"}},)"
                R"({"type":"document","url":"https://w.example/1","document":{}},)"
                R"({"type":"tool","id":"t","tool_output":{}}]}]}})"),
      std::string(kHead) +
          R"("content":"Paris is sunny.","annotations":[)"
          R"({"type":"url_citation","url_citation":{"start_index":0,"end_index":5,)"
          R"("title":"Weather","url":"source:doc_0"}},)"
          R"({"type":"url_citation","url_citation":{"start_index":0,"end_index":5,)"
          R"("title":"","url":"https://w.example/1"}}]},"finish_reason":"stop"}],)"
          R"("usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}})");
}

// Verifies that a body that is no answer is a problem, not an empty completion.
TEST(CohereAnswerTest, NonAnswersAreProblems) {
  EXPECT_EQ(translate("not json").substr(0, 36), "problem: the answer is not a JSON ob");
  EXPECT_EQ(translate("[1]").substr(0, 36), "problem: the answer is not a JSON ob");
  EXPECT_EQ(translate(R"({"id":"x","message":"invalid api token"})").substr(0, 40),
            "problem: the answer has no message objec");
}

}  // namespace
}  // namespace llmtap::providers::cohere
