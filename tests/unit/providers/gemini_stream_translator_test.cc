#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "providers/gemini/stream_translator.h"
#include "providers/gemini/usage.h"
#include "stream_feeding.h"

namespace llmtap::providers::gemini {
namespace {

StreamIdentity identity() { return {"chatcmpl-9f2e", 1764700000, "gemini-2.5-flash"}; }

test_support::TranslatorFactory factory() {
  return [] { return make_stream_translator(identity()); };
}

std::string translate(std::string_view stream) {
  return test_support::translate_whole(factory(), stream);
}

void expect_same_at_every_cut(std::string_view stream) {
  test_support::expect_same_at_every_cut(factory(), stream);
}

constexpr std::string_view kPrefix =
    R"(data: {"id":"chatcmpl-9f2e","object":"chat.completion.chunk","created":1764700000,)"
    R"("model":"gemini-2.5-flash","choices":)";

std::string chunk(std::string_view delta) {
  return std::string(kPrefix) + R"([{"index":0,"delta":{)" + std::string(delta) +
         R"(},"finish_reason":null}]})" + "\n\n";
}

std::string ending(std::string_view reason, std::string_view usage) {
  return std::string(kPrefix) + R"([{"index":0,"delta":{},"finish_reason":")" +
         std::string(reason) + "\"}]}\n\n" + std::string(kPrefix) + R"([],"usage":)" +
         std::string(usage) + "}\n\ndata: [DONE]\n\n";
}

// Gemini's streamGenerateContent?alt=sse as it is sent: CRLF line ends, spaces after colons,
// usage on every event, the finishReason with the last text.
constexpr std::string_view kTextStream =
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello\"}],\"role\": "
    "\"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 5,"
    "\"candidatesTokenCount\": 1,\"totalTokenCount\": 6},\"modelVersion\": \"gemini-2.5-flash\","
    "\"responseId\": \"r1\"}\r\n\r\n"
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" w\\u00f6rld\\n\"}],"
    "\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": "
    "{\"promptTokenCount\": 5,\"candidatesTokenCount\": 3,\"totalTokenCount\": 8},"
    "\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"r1\"}\r\n\r\n";

constexpr std::string_view kUsage8 =
    R"({"prompt_tokens":5,"completion_tokens":3,"total_tokens":8,)"
    R"("prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":)"
    R"({"reasoning_tokens":0}})";

// Verifies a text stream, golden: role on the first chunk, text tokens copied with their escapes,
// finish_reason null until the end, then at the end of the bytes the finish chunk, the last
// usage and [DONE].
TEST(GeminiStreamTranslatorTest, TextStreamGolden) {
  EXPECT_EQ(translate(kTextStream), chunk(R"("role":"assistant","content":"Hello")") +
                                        chunk(R"("content":" w\u00f6rld\n")") +
                                        ending("stop", kUsage8));
}

// Verifies that the output is the same at every cut of the input.
TEST(GeminiStreamTranslatorTest, SameOutputAtEveryByteBoundary) {
  expect_same_at_every_cut(kTextStream);
}

// A thinking model's stream: thoughts, then a function call, then a content-less STOP event.
constexpr std::string_view kToolStream =
    "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Plan\",\"thought\":true}],"
    "\"role\":\"model\"}}],\"usageMetadata\":{\"promptTokenCount\":4,\"totalTokenCount\":4}}\n\n"
    "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
    "\"args\":{\"city\": \"Paris\"}},\"thoughtSignature\":\"c2ln\"},{\"functionCall\":{\"name\":"
    "\"ping\"}}],\"role\":\"model\"}}]}\n\n"
    "data: {\"candidates\":[{\"content\":{\"role\":\"model\"},\"finishReason\":\"STOP\"}],"
    "\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":6,\"totalTokenCount\":"
    "30,\"thoughtsTokenCount\":20,\"cachedContentTokenCount\":2}}\n\n";

// Verifies thoughts as reasoning_content, whole functionCall parts as one tool_calls delta with
// index, id (the answer's), name and full compact arguments, and the final STOP as tool_calls
// with thinking tokens counted into completion_tokens.
TEST(GeminiStreamTranslatorTest, ThoughtsAndToolCallsGolden) {
  const std::string id0 = tool_call_id("chatcmpl-9f2e", 0);
  const std::string id1 = tool_call_id("chatcmpl-9f2e", 1);
  EXPECT_EQ(
      translate(kToolStream),
      chunk(R"("role":"assistant","reasoning_content":"Plan")") +
          chunk(R"("tool_calls":[{"index":0,"id":")" + id0 +
                R"(","type":"function","function":{"name":"get_weather",)"
                R"("arguments":"{\"city\":\"Paris\"}"}},{"index":1,"id":")" +
                id1 + R"(","type":"function","function":{"name":"ping","arguments":"{}"}}])") +
          ending("tool_calls", R"({"prompt_tokens":4,"completion_tokens":26,"total_tokens":30,)"
                               R"("prompt_tokens_details":{"cached_tokens":2},)"
                               R"("completion_tokens_details":{"reasoning_tokens":20}})"));
  expect_same_at_every_cut(kToolStream);
}

// Verifies that a stream cut before any finishReason gets no finish chunk and no [DONE].
TEST(GeminiStreamTranslatorTest, CutStreamHasNoDone) {
  const std::string_view first = kTextStream.substr(0, kTextStream.find("\r\n\r\n") + 4);
  EXPECT_EQ(translate(first), chunk(R"("role":"assistant","content":"Hello")"));
}

// Verifies that a last event without its blank line is still translated at finish().
TEST(GeminiStreamTranslatorTest, UnterminatedLastEvent) {
  std::string stream(kTextStream);
  stream.resize(stream.size() - 4);
  EXPECT_EQ(translate(stream), translate(kTextStream));
}

// Verifies a mid-stream error event: LiteLLM's message and the event's code, then nothing more.
TEST(GeminiStreamTranslatorTest, ErrorEventEndsStream) {
  const std::string stream =
      std::string(kTextStream.substr(0, kTextStream.find("\r\n\r\n") + 4)) +
      "data: {\"error\": {\"code\": 429, \"message\": \"Resource \\\"exhausted\\\"\", \"status\": "
      "\"RESOURCE_EXHAUSTED\"}}\r\n\r\n" +
      std::string(kTextStream);
  EXPECT_EQ(translate(stream),
            chunk(R"("role":"assistant","content":"Hello")") +
                R"(data: {"error":{"message":"VertexAIException - RESOURCE_EXHAUSTED - Resource )"
                R"(\"exhausted\"","type":"rate_limit_error","param":null,"code":"429"}})"
                "\n\n");
  // What the record says of it: LiteLLM's RateLimitError for the event's 429.
  auto translator = make_stream_translator(identity());
  std::string out;
  translator->feed(kTextStream.substr(0, kTextStream.find("\r\n\r\n") + 4), out);
  EXPECT_EQ(translator->stream_error(), nullptr) << "set only by an error event";
  translator->feed("data: {\"error\": {\"code\": 429, \"message\": \"x\"}}\r\n\r\n", out);
  ASSERT_NE(translator->stream_error(), nullptr);
  EXPECT_EQ(translator->stream_error()->status, 429);
  EXPECT_EQ(translator->stream_error()->error_class, "RateLimitError");
}

// Verifies a blocked prompt: no content chunk, finish content_filter, usage kept.
TEST(GeminiStreamTranslatorTest, BlockedPrompt) {
  EXPECT_EQ(translate("data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},"
                      "\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7}}\n\n"),
            ending("content_filter", R"({"prompt_tokens":7,"completion_tokens":0,"total_tokens":7,)"
                                     R"("prompt_tokens_details":{"cached_tokens":0},)"
                                     R"("completion_tokens_details":{"reasoning_tokens":0}})"));
}

// Verifies MAX_TOKENS as length, and that an event with an empty text sends no chunk.
TEST(GeminiStreamTranslatorTest, MaxTokensAndEmptyText) {
  EXPECT_EQ(translate("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}]},"
                      "\"finishReason\":\"MAX_TOKENS\"}]}\n\n"),
            ending("length", R"({"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,)"
                             R"("prompt_tokens_details":{"cached_tokens":0},)"
                             R"("completion_tokens_details":{"reasoning_tokens":0}})"));
}

// Verifies that a JSON body answering the stream request (not SSE) is passed through unchanged,
// and that malformed events are skipped without ending the stream.
TEST(GeminiStreamTranslatorTest, NonSseAndMalformedEvents) {
  const std::string body = "{\"error\": {\"code\": 400, \"message\": \"bad\"}}";
  EXPECT_EQ(translate(body), body);
  const std::string stream =
      "data: {not json\n\n" + std::string("data: [1,2]\n\n") +
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":5}]}}]}\n\n" +
      std::string(kTextStream);
  EXPECT_EQ(translate(stream), translate(kTextStream));
}

// Verifies that stray bytes after the events of a finished stream are dropped: nothing follows
// [DONE].
TEST(GeminiStreamTranslatorTest, NothingAfterDone) {
  EXPECT_EQ(translate(std::string(kTextStream) + "garbage"), translate(kTextStream));
}

// Verifies that several text parts in one event join into one content chunk, and candidates
// after the first are not translated.
TEST(GeminiStreamTranslatorTest, JoinsPartsAndSkipsLaterCandidates) {
  EXPECT_EQ(translate("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\\\"\"},"
                      "{\"text\":\"b\"}]}},{\"content\":{\"parts\":[{\"text\":\"zzz\"}]}}]}\n\n"),
            chunk(R"("role":"assistant","content":"a\"b")"));
}

}  // namespace
}  // namespace llmtap::providers::gemini
