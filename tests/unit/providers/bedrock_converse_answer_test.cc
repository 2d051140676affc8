#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "providers/bedrock/converse_answer.h"
#include "request_golden.h"

namespace llmtap::providers::bedrock {
namespace {

using test_support::canonical_json;

AnswerIdentity identity(bool json_mode = false, std::span<const RenamedTool> renamed = {}) {
  return AnswerIdentity{"chatcmpl-b1", 1764700000, "bedrock/claude", json_mode, renamed};
}

std::string translate(std::string_view body, const AnswerIdentity& id = identity()) {
  auto out = to_chat_completion(body, id);
  if (!out) return "problem: " + out.error().message;
  return canonical_json(*out);
}

// `{"id":…,"choices":[{"index":0,"message":<message>,"finish_reason":<reason>}],"usage":<usage>}`.
std::string completion(std::string_view message, std::string_view reason, std::string_view usage) {
  return canonical_json(
      std::string(R"({"id":"chatcmpl-b1","object":"chat.completion","created":1764700000,)"
                  R"("model":"bedrock/claude","choices":[{"index":0,"message":)") +
      std::string(message) + R"(,"finish_reason":")" + std::string(reason) + R"("}],"usage":)" +
      std::string(usage) + "}");
}

constexpr std::string_view kUsage =
    R"({"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":)"
    R"({"cached_tokens":0,"cache_creation_tokens":0,"text_tokens":12},)"
    R"("cache_creation_input_tokens":0,"cache_read_input_tokens":0})";

// Verifies a text answer: the text blocks joined, end_turn as stop, usage from Bedrock's counts.
TEST(BedrockConverseAnswerTest, TextBlocksAreJoined) {
  EXPECT_EQ(translate(R"({"output":{"message":{"role":"assistant","content":[{"text":"Hel"},)"
                      R"({"text":"lo"}]}},"stopReason":"end_turn","usage":{"inputTokens":12,)"
                      R"("outputTokens":5,"totalTokens":17},"metrics":{"latencyMs":300}})"),
            completion(R"({"role":"assistant","content":"Hello"})", "stop", kUsage));
}

// Verifies toolUse blocks as tool_calls (arguments as compact JSON, index the block position,
// the client's name restored), content "" as LiteLLM leaves it, tool_use as tool_calls.
TEST(BedrockConverseAnswerTest, ToolUseBecomesToolCalls) {
  const std::array<RenamedTool, 1> renamed = {{{"get_weather", "get-weather"}}};
  EXPECT_EQ(translate(R"({"output":{"message":{"role":"assistant","content":[)"
                      R"({"toolUse":{"toolUseId":"tooluse_1","name":"get_weather",)"
                      R"("input":{"city": "Paris"}}},)"
                      R"({"toolUse":{"toolUseId":"tooluse_2","name":"now","input":{}}}]}},)"
                      R"("stopReason":"tool_use","usage":{"inputTokens":12,"outputTokens":5,)"
                      R"("totalTokens":17}})",
                      identity(false, renamed)),
            completion(R"({"role":"assistant","content":"","tool_calls":[)"
                       R"({"id":"tooluse_1","type":"function","function":{"name":"get-weather",)"
                       R"("arguments":"{\"city\":\"Paris\"}"},"index":0},)"
                       R"({"id":"tooluse_2","type":"function","function":{"name":"now",)"
                       R"("arguments":"{}"},"index":1}]})",
                       "tool_calls", kUsage));
}

// Verifies reasoningContent as reasoning_content, and Bedrock's stop reasons.
TEST(BedrockConverseAnswerTest, ReasoningAndStopReasons) {
  EXPECT_EQ(translate(R"({"output":{"message":{"role":"assistant","content":[)"
                      R"({"reasoningContent":{"reasoningText":{"text":"Think","signature":"s"}}},)"
                      R"({"reasoningContent":{"redactedContent":"eA=="}},{"text":"Done"}]}},)"
                      R"("stopReason":"max_tokens","usage":{"inputTokens":12,"outputTokens":5,)"
                      R"("totalTokens":17}})"),
            completion(R"({"role":"assistant","content":"Done","reasoning_content":"Think"})",
                       "length", kUsage));
  for (const auto& [reason, mapped] :
       {std::pair{"guardrail_intervened", "content_filter"},
        std::pair{"content_filtered", "content_filter"}, std::pair{"stop_sequence", "stop"}}) {
    const std::string out = translate(std::string(R"({"output":{"message":{"content":[]}},)") +
                                      R"("stopReason":")" + reason + R"("})");
    EXPECT_NE(out.find(std::string(R"("finish_reason":")") + mapped + "\""), std::string::npos)
        << reason << ": " << out;
  }
}

// Verifies usage with cache tokens: prompt_tokens counts reads and writes, totalTokens as given.
TEST(BedrockConverseAnswerTest, CacheTokensCountInPromptTokens) {
  EXPECT_EQ(translate(R"({"output":{"message":{"content":[{"text":"x"}]}},"stopReason":"end_turn",)"
                      R"("usage":{"inputTokens":10,"outputTokens":2,"totalTokens":42,)"
                      R"("cacheReadInputTokens":20,"cacheWriteInputTokens":10}})"),
            completion(R"({"role":"assistant","content":"x"})", "stop",
                       R"({"prompt_tokens":40,"completion_tokens":2,"total_tokens":42,)"
                       R"("prompt_tokens_details":{"cached_tokens":20,"cache_creation_tokens":10,)"
                       R"("text_tokens":10},"cache_creation_input_tokens":10,)"
                       R"("cache_read_input_tokens":20})"));
}

// Verifies JSON mode: the json tool's input is the content, its {"properties": …} wrapper
// unwrapped, with no tool_calls; without json_mode the same answer is a tool call.
TEST(BedrockConverseAnswerTest, JsonModeUnwrapsTheJsonTool) {
  constexpr std::string_view kAnswer =
      R"({"output":{"message":{"content":[{"toolUse":{"toolUseId":"t","name":"json_tool_call",)"
      R"("input":{"properties":{"a":1}}}}]}},"stopReason":"tool_use","usage":{"inputTokens":12,)"
      R"("outputTokens":5,"totalTokens":17}})";
  EXPECT_EQ(translate(kAnswer, identity(true)),
            completion(R"({"role":"assistant","content":"{\"a\":1}"})", "tool_calls", kUsage));
  EXPECT_NE(translate(kAnswer).find("tool_calls\":[{"), std::string::npos);
}

// Verifies that a body that is no Converse answer is a problem, not a guess.
TEST(BedrockConverseAnswerTest, NonAnswersAreProblems) {
  EXPECT_TRUE(translate("not json").starts_with("problem: the answer is not a JSON object"));
  EXPECT_TRUE(translate(R"({"stopReason":"end_turn"})").starts_with("problem: Received="));
}

}  // namespace
}  // namespace llmtap::providers::bedrock
