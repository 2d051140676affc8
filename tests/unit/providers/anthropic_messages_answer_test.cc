#include <gtest/gtest.h>
#include <simdjson.h>

#include "providers/anthropic/messages_answer.h"

namespace llmtap::providers::anthropic {
namespace {

constexpr AnswerIdentity kIdentity{"chatcmpl-7d1c", 1764700000};

std::string translate(std::string_view body) {
  auto out = to_chat_completion(body, kIdentity);
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? *out : std::string();
}

// Verifies a text answer's whole translation, golden: LiteLLM's id and created, Anthropic's model,
// the joined text, end_turn as "stop", and usage with both cache counts in prompt_tokens.
TEST(AnthropicMessagesAnswerTest, TextAnswerGolden) {
  const std::string body = R"({"id":"msg_01","type":"message","role":"assistant",
    "model":"claude-3-5-sonnet-20241022",
    "content":[{"type":"text","text":"Hello"},{"type":"text","text":", world"}],
    "stop_reason":"end_turn","stop_sequence":null,
    "usage":{"input_tokens":10,"output_tokens":5,"cache_creation_input_tokens":20,
             "cache_read_input_tokens":30}})";
  EXPECT_EQ(
      translate(body),
      R"({"id":"chatcmpl-7d1c","object":"chat.completion","created":1764700000,)"
      R"("model":"claude-3-5-sonnet-20241022","choices":[{"index":0,"message":{"role":"assistant",)"
      R"("content":"Hello, world"},"finish_reason":"stop"}],"usage":{"prompt_tokens":60,)"
      R"("completion_tokens":5,"total_tokens":65,"prompt_tokens_details":{"cached_tokens":30,)"
      R"("cache_creation_tokens":20,"text_tokens":10},"cache_creation_input_tokens":20,)"
      R"("cache_read_input_tokens":30}})");
}

// Verifies that tool_use blocks become tool_calls with compact JSON arguments and their index,
// content is null without text, and tool_use is "tool_calls".
TEST(AnthropicMessagesAnswerTest, ToolUseBecomesToolCalls) {
  const std::string body = R"({"model":"claude-sonnet-4","content":[
    {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city": "Paris", "days": 2}},
    {"type":"tool_use","id":"toolu_2","name":"now"}],
    "stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":4}})";
  const std::string out = translate(body);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(out);
  simdjson::dom::element choice = doc["choices"].at(0);
  EXPECT_TRUE(choice["message"]["content"].is_null());
  EXPECT_EQ(std::string_view(choice["finish_reason"]), "tool_calls");
  simdjson::dom::array calls = choice["message"]["tool_calls"];
  ASSERT_EQ(calls.size(), 2U);
  EXPECT_EQ(std::string_view(calls.at(0)["id"]), "toolu_1");
  EXPECT_EQ(std::string_view(calls.at(0)["type"]), "function");
  EXPECT_EQ(std::string_view(calls.at(0)["function"]["name"]), "get_weather");
  EXPECT_EQ(std::string_view(calls.at(0)["function"]["arguments"]), R"({"city":"Paris","days":2})");
  EXPECT_EQ(int64_t(calls.at(0)["index"]), 0);
  // No input at all is an empty object, never "", which a client's next turn could not parse.
  EXPECT_EQ(std::string_view(calls.at(1)["function"]["arguments"]), "{}");
  EXPECT_EQ(int64_t(calls.at(1)["index"]), 1);
  // Without cache fields, prompt_tokens is input_tokens alone.
  EXPECT_EQ(int64_t(doc["usage"]["prompt_tokens"]), 3);
  EXPECT_EQ(int64_t(doc["usage"]["total_tokens"]), 7);
}

// Verifies LiteLLM's json mode: the json_tool_call tool's input is the content and the finish
// "stop"; another tool call stays a call; without json mode json_tool_call is an ordinary call.
TEST(AnthropicMessagesAnswerTest, JsonModeToolInputBecomesContent) {
  const std::string body = R"({"model":"claude-sonnet-4","content":[
    {"type":"tool_use","id":"toolu_1","name":"json_tool_call","input":{"n": 3}}],
    "stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":4}})";
  AnswerIdentity json{kIdentity.id, kIdentity.created, true};
  auto out = to_chat_completion(body, json);
  ASSERT_TRUE(out);
  simdjson::dom::parser parser;
  simdjson::dom::element choice = parser.parse(*out)["choices"].at(0);
  EXPECT_EQ(std::string_view(choice["message"]["content"]), R"({"n":3})");
  EXPECT_TRUE(choice["message"]["tool_calls"].error());
  EXPECT_EQ(std::string_view(choice["finish_reason"]), "stop");

  const std::string mixed = R"({"model":"m","content":[
    {"type":"tool_use","id":"toolu_1","name":"json_tool_call","input":{"n":3}},
    {"type":"tool_use","id":"toolu_2","name":"now","input":{}}],"stop_reason":"tool_use"})";
  auto both = to_chat_completion(mixed, json);
  ASSERT_TRUE(both);
  simdjson::dom::element mixed_choice = parser.parse(*both)["choices"].at(0);
  EXPECT_EQ(std::string_view(mixed_choice["message"]["content"]), R"({"n":3})");
  EXPECT_EQ(simdjson::dom::array(mixed_choice["message"]["tool_calls"]).size(), 1U);
  EXPECT_EQ(std::string_view(mixed_choice["finish_reason"]), "tool_calls");

  simdjson::dom::element plain = parser.parse(translate(body))["choices"].at(0);
  EXPECT_EQ(std::string_view(plain["message"]["tool_calls"].at(0)["function"]["name"]),
            "json_tool_call");
}

// Verifies that thinking becomes reasoning_content, max_tokens "length", and text is escaped.
TEST(AnthropicMessagesAnswerTest, ThinkingAndLengthAndEscaping) {
  const std::string body = R"({"model":"m","content":[
    {"type":"thinking","thinking":"let me see","signature":"sig"},
    {"type":"text","text":"a \"quoted\"\nline"}],
    "stop_reason":"max_tokens","usage":{"input_tokens":1,"output_tokens":2,
    "cache_creation_input_tokens":null}})";
  simdjson::dom::parser parser;
  const std::string out = translate(body);
  simdjson::dom::element message = parser.parse(out)["choices"].at(0)["message"];
  EXPECT_EQ(std::string_view(message["content"]), "a \"quoted\"\nline");
  EXPECT_EQ(std::string_view(message["reasoning_content"]), "let me see");
  EXPECT_EQ(std::string_view(parser.parse(out)["choices"].at(0)["finish_reason"]), "length");
}

// Verifies that what is not a message is a problem the gateway can answer with, not a crash:
// not JSON, no content, an error object in a 2xx body, a malformed block.
TEST(AnthropicMessagesAnswerTest, NonMessagesAreProblems) {
  EXPECT_FALSE(to_chat_completion("<html>", kIdentity));
  EXPECT_FALSE(to_chat_completion(R"({"model":"m"})", kIdentity));
  auto error = to_chat_completion(
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})", kIdentity);
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("Overloaded"), std::string::npos);
  EXPECT_FALSE(to_chat_completion(R"({"content":[42]})", kIdentity));
}

}  // namespace
}  // namespace llmtap::providers::anthropic
