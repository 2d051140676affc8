#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "providers/gemini/generate_answer.h"
#include "providers/gemini/usage.h"

namespace llmtap::providers::gemini {
namespace {

constexpr AnswerIdentity kIdentity{"chatcmpl-42", 1764700000, "gemini-2.5-flash"};

std::string translate(std::string_view body) {
  auto out = to_chat_completion(body, kIdentity);
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? *out : std::string();
}

constexpr std::string_view kHead =
    R"({"id":"chatcmpl-42","object":"chat.completion","created":1764700000,)"
    R"("model":"gemini-2.5-flash","choices":)";

// Verifies a text answer, golden: parts joined, STOP → stop, usage mapped, the gateway's id and
// model (not responseId or modelVersion).
TEST(GeminiAnswerTest, TextAnswerGolden) {
  const std::string out = translate(R"({"candidates":[{"content":{"parts":[{"text":"Hello"},
      {"text":" world"}],"role":"model"},"finishReason":"STOP","index":0,"safetyRatings":[]}],
      "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},
      "modelVersion":"gemini-2.5-flash-001","responseId":"abc"})");
  EXPECT_EQ(out, std::string(kHead) +
                     R"([{"index":0,"message":{"role":"assistant","content":"Hello world"},)"
                     R"("finish_reason":"stop"}],"usage":{"prompt_tokens":5,)"
                     R"("completion_tokens":2,"total_tokens":7,)"
                     R"("prompt_tokens_details":{"cached_tokens":0},)"
                     R"("completion_tokens_details":{"reasoning_tokens":0}}})");
}

// Verifies thought parts as reasoning_content and thinking tokens counted into completion_tokens
// (prompt + candidates < total), with cached tokens reported.
TEST(GeminiAnswerTest, ThoughtsAndThinkingTokens) {
  const std::string out = translate(R"({"candidates":[{"content":{"parts":[
      {"text":"Let me think.","thought":true},{"text":"42"}],"role":"model"},
      "finishReason":"STOP"}],
      "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":1,"totalTokenCount":31,
                       "thoughtsTokenCount":20,"cachedContentTokenCount":4}})");
  EXPECT_EQ(out, std::string(kHead) +
                     R"([{"index":0,"message":{"role":"assistant","content":"42",)"
                     R"("reasoning_content":"Let me think."},"finish_reason":"stop"}],)"
                     R"("usage":{"prompt_tokens":10,"completion_tokens":21,"total_tokens":31,)"
                     R"("prompt_tokens_details":{"cached_tokens":4},)"
                     R"("completion_tokens_details":{"reasoning_tokens":20}}})");
}

// Verifies functionCall parts as tool_calls: compact JSON arguments, deterministic call_ ids,
// counted indexes, null content, and finish_reason tool_calls although Gemini said STOP.
TEST(GeminiAnswerTest, FunctionCallsGolden) {
  const std::string out = translate(R"({"candidates":[{"content":{"parts":[
      {"functionCall":{"name":"get_weather","args":{"city": "Paris", "days": 2}}},
      {"functionCall":{"name":"ping"}}],"role":"model"},"finishReason":"STOP"}]})");
  const std::string id0 = tool_call_id("chatcmpl-42", 0);
  const std::string id1 = tool_call_id("chatcmpl-42", 1);
  EXPECT_EQ(out, std::string(kHead) +
                     R"([{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[)"
                     R"({"id":")" +
                     id0 +
                     R"(","type":"function","function":{"name":"get_weather",)"
                     R"("arguments":"{\"city\":\"Paris\",\"days\":2}"},"index":0},)"
                     R"({"id":")" +
                     id1 +
                     R"(","type":"function","function":{"name":"ping","arguments":"{}"},)"
                     R"("index":1}]},"finish_reason":"tool_calls"}]})");
}

// Verifies the ids look like LiteLLM's ("call_" + 28 hex digits) and differ per index and answer.
TEST(GeminiAnswerTest, ToolCallIdShape) {
  const std::string id = tool_call_id("chatcmpl-42", 0);
  ASSERT_EQ(id.size(), 33U);
  EXPECT_TRUE(id.starts_with("call_"));
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 5), std::string::npos);
  EXPECT_NE(id, tool_call_id("chatcmpl-42", 1));
  EXPECT_NE(id, tool_call_id("chatcmpl-43", 0));
}

// Verifies the finishReason mapping: MAX_TOKENS → length, the safety family → content_filter,
// an unknown or malformed-call reason → stop.
TEST(GeminiAnswerTest, FinishReasons) {
  for (const auto& [reason, expected] : std::initializer_list<std::pair<const char*, const char*>>{
           {"MAX_TOKENS", "length"},
           {"SAFETY", "content_filter"},
           {"RECITATION", "content_filter"},
           {"BLOCKLIST", "content_filter"},
           {"PROHIBITED_CONTENT", "content_filter"},
           {"SPII", "content_filter"},
           {"MALFORMED_FUNCTION_CALL", "stop"},
           {"SOMETHING_NEW", "stop"}}) {
    const std::string out = translate(std::string(R"({"candidates":[{"content":{"parts":[)"
                                                  R"({"text":"x"}]},"finishReason":")") +
                                      reason + R"("}]})");
    EXPECT_NE(out.find(std::string(R"("finish_reason":")") + expected + "\""), std::string::npos)
        << reason << ": " << out;
  }
}

// Verifies a blocked prompt (promptFeedback.blockReason, no candidates): one choice with null
// content and content_filter, usage still written.
TEST(GeminiAnswerTest, BlockedPrompt) {
  const std::string out = translate(R"({"promptFeedback":{"blockReason":"SAFETY",
      "safetyRatings":[]},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}})");
  EXPECT_EQ(out, std::string(kHead) +
                     R"([{"index":0,"message":{"role":"assistant","content":null},)"
                     R"("finish_reason":"content_filter"}],"usage":{"prompt_tokens":8,)"
                     R"("completion_tokens":0,"total_tokens":8,)"
                     R"("prompt_tokens_details":{"cached_tokens":0},)"
                     R"("completion_tokens_details":{"reasoning_tokens":0}}})");
}

// Verifies one choice per candidate, each under its own index.
TEST(GeminiAnswerTest, SeveralCandidates) {
  const std::string out = translate(R"({"candidates":[
      {"content":{"parts":[{"text":"a"}]},"finishReason":"STOP","index":0},
      {"content":{"parts":[{"text":"b"}]},"finishReason":"MAX_TOKENS","index":1}]})");
  EXPECT_EQ(out, std::string(kHead) +
                     R"([{"index":0,"message":{"role":"assistant","content":"a"},)"
                     R"("finish_reason":"stop"},{"index":1,"message":{"role":"assistant",)"
                     R"("content":"b"},"finish_reason":"length"}]})");
}

// Verifies that text with escapes and non-ASCII survives the translation.
TEST(GeminiAnswerTest, EscapesKept) {
  const std::string out =
      translate(R"({"candidates":[{"content":{"parts":[{"text":"line\n\"q\" é \u00e9"}]}}]})");
  EXPECT_NE(out.find(R"("content":"line\n\"q\" é é")"), std::string::npos) << out;
}

// Verifies that a body that is not JSON, an error object and an answer with neither candidates
// nor a blocked prompt are problems.
TEST(GeminiAnswerTest, Problems) {
  EXPECT_FALSE(to_chat_completion("not json", kIdentity));
  EXPECT_FALSE(to_chat_completion(R"({"error":{"code":400,"message":"bad"}})", kIdentity));
  EXPECT_FALSE(to_chat_completion(R"({"usageMetadata":{}})", kIdentity));
}

}  // namespace
}  // namespace llmtap::providers::gemini
