#include "gateway/openai_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace llmtap::gateway {
namespace {

// Verifies that error bodies have OpenAI's shape and escape the message.
TEST(OpenAiJsonTest, ErrorBodyHasOpenAiShape) {
  EXPECT_EQ(
      error_body("bad \"model\"\n", "invalid_request_error", "model", 400),
      R"({"error":{"message":"bad \"model\"\n","type":"invalid_request_error","param":"model","code":"400"}})");
  EXPECT_EQ(error_body("no key", "auth_error", {}, 401),
            R"({"error":{"message":"no key","type":"auth_error","param":null,"code":"401"}})");
}

// Verifies that a mock chat answer is valid JSON with the content and 10/20 token usage.
TEST(OpenAiJsonTest, MockChatAnswerCarriesContentAndUsage) {
  std::string body = mock_response_body(payload::CallType::completion, "gpt-3.5-turbo",
                                        "Hi \"there\"", "abc", 1700000000);
  simdjson::dom::parser parser;
  auto doc = parser.parse(body);
  ASSERT_FALSE(doc.error()) << body;
  EXPECT_EQ(std::string_view(doc["id"]), "chatcmpl-abc");
  EXPECT_EQ(std::string_view(doc["model"]), "gpt-3.5-turbo");
  EXPECT_EQ(std::string_view(doc["choices"].at(0)["message"]["content"]), "Hi \"there\"");
  EXPECT_EQ(int64_t(doc["usage"]["prompt_tokens"]), 10);
  EXPECT_EQ(int64_t(doc["usage"]["completion_tokens"]), 20);
  EXPECT_EQ(int64_t(doc["usage"]["total_tokens"]), 30);
}

// Verifies that mock text completions and embeddings are valid JSON of their own shapes.
TEST(OpenAiJsonTest, MockTextAndEmbeddingAnswersAreValid) {
  simdjson::dom::parser parser;
  std::string text = mock_response_body(payload::CallType::text_completion, "m", "hello", "id", 1);
  auto t = parser.parse(text);
  ASSERT_FALSE(t.error()) << text;
  EXPECT_EQ(std::string_view(t["choices"].at(0)["text"]), "hello");
  std::string emb = mock_response_body(payload::CallType::embedding, "m", "ignored", "id", 1);
  auto e = parser.parse(emb);
  ASSERT_FALSE(e.error()) << emb;
  EXPECT_EQ(std::string_view(e["data"].at(0)["object"]), "embedding");
  EXPECT_EQ(int64_t(e["usage"]["prompt_tokens"]), 10);
}

// Verifies that a mock stream is a few delta events whose content adds up, a finish event, a
// usage-only event and [DONE], each a complete SSE event with valid JSON.
TEST(OpenAiJsonTest, MockStreamEventsAddUpToTheContent) {
  auto events =
      mock_stream_events(payload::CallType::completion, "m", "Hi \xC3\xA9 there, friend", "abc", 7);
  ASSERT_EQ(events.size(), 6u);
  simdjson::dom::parser parser;
  std::string content;
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(events[i].starts_with("data: ") && events[i].ends_with("\n\n")) << events[i];
    auto doc = parser.parse(events[i].substr(6));
    ASSERT_FALSE(doc.error()) << events[i];
    EXPECT_EQ(std::string_view(doc["id"]), "chatcmpl-abc");
    content += std::string_view(doc["choices"].at(0)["delta"]["content"]);
  }
  EXPECT_EQ(content, "Hi \xC3\xA9 there, friend");
  auto finish = parser.parse(events[3].substr(6));
  ASSERT_FALSE(finish.error()) << events[3];
  EXPECT_EQ(std::string_view(finish["choices"].at(0)["finish_reason"]), "stop");
  auto usage = parser.parse(events[4].substr(6));
  ASSERT_FALSE(usage.error()) << events[4];
  EXPECT_EQ(usage["choices"].get_array().size(), 0u);
  EXPECT_EQ(int64_t(usage["usage"]["completion_tokens"]), 20);
  EXPECT_EQ(events[5], "data: [DONE]\n\n");
}

}  // namespace
}  // namespace llmtap::gateway
