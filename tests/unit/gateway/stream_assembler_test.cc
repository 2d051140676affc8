#include "gateway/stream_assembler.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace llmtap::gateway {
namespace {

using payload::CallType;

// Verifies that chat deltas add up to a non-streamed chat.completion with id, model, created,
// finish_reason and usage, and that the usage-only chunk is recognised.
TEST(StreamAssemblerTest, AssemblesChatCompletion) {
  StreamAssembler assembler(CallType::completion);
  const std::string head =
      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o")";
  auto first = assembler.add(
      head +
      R"(,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]})");
  EXPECT_TRUE(first.parsed);
  EXPECT_TRUE(first.has_choices);
  EXPECT_FALSE(first.usage_only);
  assembler.add(
      head + R"(,"choices":[{"index":0,"delta":{"content":"lo \"w\"\n"},"finish_reason":null}]})");
  assembler.add(head + R"(,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})");
  auto usage = assembler.add(
      head +
      R"(,"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}})");
  EXPECT_TRUE(usage.usage_only);
  EXPECT_FALSE(usage.has_choices);
  EXPECT_EQ(assembler.chunks(), 4u);

  const std::string json = assembler.response_json();
  simdjson::dom::parser parser;
  auto doc = parser.parse(json);
  ASSERT_FALSE(doc.error()) << json;
  EXPECT_EQ(std::string_view(doc["id"]), "chatcmpl-1");
  EXPECT_EQ(std::string_view(doc["object"]), "chat.completion");
  EXPECT_EQ(int64_t(doc["created"]), 1700000000);
  EXPECT_EQ(std::string_view(doc["model"]), "gpt-4o");
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["message"]["role"]), "assistant");
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["message"]["content"]), "Hello \"w\"\n");
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["finish_reason"]), "stop");
  EXPECT_EQ(int64_t(doc["usage"]["completion_tokens"]), 7);
  EXPECT_EQ(int64_t(doc["usage"]["total_tokens"]), 18);
}

// Verifies that text-completion chunks concatenate choices[].text.
TEST(StreamAssemblerTest, AssemblesTextCompletion) {
  StreamAssembler assembler(CallType::text_completion);
  assembler.add(
      R"({"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":"ab","finish_reason":null}]})");
  assembler.add(
      R"({"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":"cd","finish_reason":"length"}]})");
  simdjson::dom::parser parser;
  const std::string json = assembler.response_json();
  auto doc = parser.parse(json);
  ASSERT_FALSE(doc.error()) << json;
  EXPECT_EQ(std::string_view(doc["object"]), "text_completion");
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["text"]), "abcd");
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["finish_reason"]), "length");
  EXPECT_TRUE(doc["usage"].error() == simdjson::NO_SUCH_FIELD);
}

// Verifies that escaped and raw UTF-8 content from different chunks concatenates into the
// characters the client saw.
TEST(StreamAssemblerTest, JoinsEscapedAndRawContent) {
  StreamAssembler assembler(CallType::completion);
  assembler.add(R"({"choices":[{"index":0,"delta":{"content":"\ud83d\ude00 \u00e9"}}]})");
  assembler.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xC3\xA9\\t!\"}}]}");
  simdjson::dom::parser parser;
  const std::string json = assembler.response_json();
  auto doc = parser.parse(json);
  ASSERT_FALSE(doc.error()) << json;
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["message"]["content"]),
            "\xF0\x9F\x98\x80 \xC3\xA9\xC3\xA9\t!");
}

// Verifies that tool-call deltas merge by index: id, name once, arguments concatenated.
TEST(StreamAssemblerTest, MergesToolCallDeltas) {
  StreamAssembler assembler(CallType::completion);
  assembler.add(
      R"({"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]})");
  assembler.add(
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]})");
  assembler.add(
      R"({"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"\"Paris\"}"},"index":0}]},"index":0,"finish_reason":"tool_calls"}]})");
  simdjson::dom::parser parser;
  const std::string json = assembler.response_json();
  auto doc = parser.parse(json);
  ASSERT_FALSE(doc.error()) << json;
  auto message = doc["choices"].at(0)["message"];
  EXPECT_TRUE(message["content"].is_null());
  EXPECT_EQ(std::string_view(message["tool_calls"].at(0)["id"]), "call_1");
  EXPECT_EQ(std::string_view(message["tool_calls"].at(0)["function"]["name"]), "get_weather");
  EXPECT_EQ(std::string_view(message["tool_calls"].at(0)["function"]["arguments"]),
            R"({"city":"Paris"})");
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["finish_reason"]), "tool_calls");
}

// Verifies that several choices are kept apart by index.
TEST(StreamAssemblerTest, KeepsChoicesApart) {
  StreamAssembler assembler(CallType::completion);
  assembler.add(
      R"({"choices":[{"index":1,"delta":{"content":"B"}},{"index":0,"delta":{"content":"A"}}]})");
  assembler.add(R"({"choices":[{"index":0,"delta":{"content":"a"}}]})");
  simdjson::dom::parser parser;
  const std::string json = assembler.response_json();
  auto doc = parser.parse(json);
  ASSERT_FALSE(doc.error()) << json;
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["message"]["content"]), "Aa");
  EXPECT_EQ(std::string_view(doc["choices"].at(1)["message"]["content"]), "B");
  EXPECT_EQ(assembler.content_bytes(), 3u);
}

// Verifies that a malformed chunk is reported and leaves the assembled completion unchanged, and
// that an upstream error object is kept.
TEST(StreamAssemblerTest, IgnoresMalformedChunksAndKeepsErrors) {
  StreamAssembler assembler(CallType::completion);
  assembler.add(R"({"choices":[{"index":0,"delta":{"content":"ok"}}]})");
  EXPECT_FALSE(assembler.add(R"({"choices":[{"index":0,"delta":{"content":"bad"}}],)").parsed);
  EXPECT_FALSE(assembler.add("not json").parsed);
  EXPECT_EQ(assembler.chunks(), 1u);
  EXPECT_EQ(assembler.content_excerpt(100), "ok");
  auto error = assembler.add(R"({"error":{"message":"overloaded","type":"server_error"}})");
  EXPECT_TRUE(error.error);
  EXPECT_EQ(assembler.error_raw(), R"({"message":"overloaded","type":"server_error"})");
}

}  // namespace
}  // namespace llmtap::gateway
