#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "providers/bedrock/eventstream.h"
#include "providers/bedrock/stream_translator.h"
#include "stream_feeding.h"

namespace llmtap::providers::bedrock {
namespace {

StreamIdentity identity(bool json_mode = false) {
  return StreamIdentity{
      "chatcmpl-b2", 1764700000, "bedrock/claude", json_mode, {{"get_weather", "get-weather"}}};
}

std::unique_ptr<StreamTranslator> make() { return make_stream_translator(identity()); }
std::unique_ptr<StreamTranslator> make_json() { return make_stream_translator(identity(true)); }

std::string translate(std::string_view stream) {
  return test_support::translate_whole(make, stream);
}

constexpr std::string_view kPrefix =
    R"(data: {"id":"chatcmpl-b2","object":"chat.completion.chunk","created":1764700000,)"
    R"("model":"bedrock/claude","choices":)";

std::string chunk(std::string_view delta) { return test_support::delta_chunk(kPrefix, delta); }

std::string ending(std::string_view reason, std::string_view usage) {
  return test_support::stream_ending(kPrefix, reason, usage);
}

constexpr std::string_view kUsage =
    R"({"prompt_tokens":30,"completion_tokens":4,"total_tokens":34,"prompt_tokens_details":)"
    R"({"cached_tokens":10,"cache_creation_tokens":0,"text_tokens":20},)"
    R"("cache_creation_input_tokens":0,"cache_read_input_tokens":10})";

std::string metadata() {
  return encode_event("metadata", R"({"usage":{"inputTokens":20,"outputTokens":4,"totalTokens":34,)"
                                  R"("cacheReadInputTokens":10},"metrics":{"latencyMs":420}})");
}

// A text answer as ConverseStream sends it, reasoning first.
std::string text_stream() {
  return encode_event("messageStart", R"({"role":"assistant"})") +
         encode_event("contentBlockDelta",
                      R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Hm"}}})") +
         encode_event("contentBlockDelta",
                      R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"s"}}})") +
         encode_event("contentBlockStop", R"({"contentBlockIndex":0})") +
         encode_event("contentBlockDelta",
                      R"({"contentBlockIndex":1,"delta":{"text":"Hel\"lo"},"p":"abc"})") +
         encode_event("contentBlockDelta",
                      R"({"contentBlockIndex":1,"delta":{"text":" w\u00f6rld"}})") +
         encode_event("contentBlockStop", R"({"contentBlockIndex":1})") +
         encode_event("messageStop", R"({"stopReason":"end_turn"})") + metadata();
}

// Verifies a text stream: reasoning and text deltas, role on the first chunk only, then the
// finish chunk, the usage chunk (cache reads in prompt_tokens) and [DONE] once metadata came.
TEST(BedrockStreamTranslatorTest, TextStreamEndsAfterMetadata) {
  EXPECT_EQ(translate(text_stream()), chunk(R"("role":"assistant","reasoning_content":"Hm")") +
                                          chunk(R"("content":"Hel\"lo")") +
                                          chunk(R"("content":" wörld")") + ending("stop", kUsage));
}

// Verifies that every split of the bytes gives the same output.
TEST(BedrockStreamTranslatorTest, SameOutputAtEveryCut) {
  test_support::expect_same_at_every_cut(make, text_stream());
}

// Verifies tool calls: the start with id and the client's name, argument fragments with the
// call's index, "{}" for a call without input, tool_calls as the finish reason.
TEST(BedrockStreamTranslatorTest, ToolUseBecomesToolCallDeltas) {
  const std::string stream =
      encode_event("messageStart", R"({"role":"assistant"})") +
      encode_event("contentBlockStart",
                   R"({"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"tu_1",)"
                   R"("name":"get_weather"}}})") +
      encode_event("contentBlockDelta",
                   R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"city\":"}}})") +
      encode_event("contentBlockDelta",
                   R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":"\"Paris\"}"}}})") +
      encode_event("contentBlockStop", R"({"contentBlockIndex":0})") +
      encode_event("contentBlockStart",
                   R"({"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tu_2",)"
                   R"("name":"now"}}})") +
      encode_event("contentBlockStop", R"({"contentBlockIndex":1})") +
      encode_event("messageStop", R"({"stopReason":"tool_use"})") + metadata();
  EXPECT_EQ(translate(stream),
            chunk(R"("role":"assistant","tool_calls":[{"index":0,"id":"tu_1","type":"function",)"
                  R"("function":{"name":"get-weather","arguments":""}}])") +
                chunk(R"("tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}])") +
                chunk(R"("tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}])") +
                chunk(R"("tool_calls":[{"index":1,"id":"tu_2","type":"function",)"
                      R"("function":{"name":"now","arguments":""}}])") +
                chunk(R"("tool_calls":[{"index":1,"function":{"arguments":"{}"}}])") +
                ending("tool_calls", kUsage));
  test_support::expect_same_at_every_cut(make, stream);
}

// Verifies JSON mode: the json tool's start is left out and its input streamed as content.
TEST(BedrockStreamTranslatorTest, JsonModeStreamsTheJsonToolAsContent) {
  const std::string stream =
      encode_event("contentBlockStart",
                   R"({"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t",)"
                   R"("name":"json_tool_call"}}})") +
      encode_event("contentBlockDelta",
                   R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"a\":1}"}}})") +
      encode_event("contentBlockStop", R"({"contentBlockIndex":0})") +
      encode_event("messageStop", R"({"stopReason":"tool_use"})") + metadata();
  EXPECT_EQ(test_support::translate_whole(make_json, stream),
            chunk(R"("role":"assistant","content":"{\"a\":1}")") + ending("tool_calls", kUsage));
}

// Verifies that a messageStop without metadata ends at finish() with zero usage, and that a
// stream cut before messageStop gets no ending.
TEST(BedrockStreamTranslatorTest, EndingAtFinishOrNone) {
  const std::string text =
      encode_event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hi"}})");
  EXPECT_EQ(translate(text + encode_event("messageStop", R"({"stopReason":"max_tokens"})")),
            chunk(R"("role":"assistant","content":"Hi")") +
                ending("length",
                       R"({"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,)"
                       R"("prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0,)"
                       R"("text_tokens":0},"cache_creation_input_tokens":0,)"
                       R"("cache_read_input_tokens":0})"));
  EXPECT_EQ(translate(text), chunk(R"("role":"assistant","content":"Hi")"));
}

// Verifies an exception message: the error event with LiteLLM's class, stream_error() set, and
// nothing read after it.
TEST(BedrockStreamTranslatorTest, ExceptionBecomesErrorEvent) {
  const std::string stream =
      encode_event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hi"}})") +
      encode_exception("throttlingException", R"({"message":"Too many requests"})") +
      encode_event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"more"}})");
  auto translator = make();
  std::string out;
  translator->feed(stream, out);
  translator->finish(out);
  EXPECT_EQ(out, chunk(R"("role":"assistant","content":"Hi")") +
                     R"(data: {"error":{"message":"BedrockException: Rate Limit Error - )"
                     R"(throttlingException {\"message\":\"Too many requests\"}",)"
                     R"("type":"rate_limit_error","param":null,"code":"429"}})" +
                     "\n\n");
  ASSERT_NE(translator->stream_error(), nullptr);
  EXPECT_EQ(translator->stream_error()->status, 429);
  EXPECT_EQ(translator->stream_error()->error_class, "RateLimitError");
  EXPECT_FALSE(translator->overflow());
  test_support::expect_same_at_every_cut(make, stream);
}

// Verifies an error message (:message-type error) is classed from its :error-code.
TEST(BedrockStreamTranslatorTest, ErrorMessageBecomesErrorEvent) {
  const std::array<StringHeader, 3> headers = {
      {{":message-type", "error"}, {":error-code", "InternalFailure"}, {":error-message", "boom"}}};
  auto translator = make();
  std::string out;
  translator->feed(encode_message(headers, ""), out);
  ASSERT_NE(translator->stream_error(), nullptr);
  EXPECT_EQ(translator->stream_error()->message, "BedrockException - InternalFailure boom");
  EXPECT_EQ(test_support::data_events(out).size(), 1U);
}

// Verifies a frame error: one error event naming it, stream_error() set, nothing more read.
TEST(BedrockStreamTranslatorTest, CorruptFrameBecomesErrorEvent) {
  std::string bad =
      encode_event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hi"}})");
  bad[bad.size() - 6] ^= 0x20;  // a payload byte: the message CRC no longer matches
  auto translator = make();
  std::string out;
  translator->feed(bad + metadata(), out);
  translator->finish(out);
  ASSERT_NE(translator->stream_error(), nullptr);
  EXPECT_EQ(translator->stream_error()->error_class, "APIConnectionError");
  EXPECT_EQ(translator->stream_error()->status, 500);
  EXPECT_TRUE(out.starts_with(R"(data: {"error":{"message":"BedrockException - )")) << out;
  EXPECT_EQ(test_support::data_events(out).size(), 1U);
  EXPECT_FALSE(translator->overflow());
}

// Verifies that bytes that cannot be an event stream (a JSON error body) pass through unchanged.
TEST(BedrockStreamTranslatorTest, NonEventStreamBytesPassThrough) {
  constexpr std::string_view kBody = R"({"message":"The security token is invalid"})";
  EXPECT_EQ(translate(kBody), kBody);
  test_support::expect_same_at_every_cut(make, kBody);
  auto translator = make();
  std::string out;
  translator->feed(kBody, out);
  EXPECT_EQ(translator->stream_error(), nullptr);
}

// CRC-32 as zlib computes it (the prelude's check), bit by bit: the test's own reference.
std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
  }
  return ~crc;
}

// Verifies that a message announced past the decoder's limit is overflow, with no output.
TEST(BedrockStreamTranslatorTest, OversizedMessageIsOverflow) {
  // total_length 0x01ffffff (past 16 MiB + 128 KiB), headers_length 0, and the prelude's CRC.
  std::string prelude("\x01\xff\xff\xff\x00\x00\x00\x00", 8);
  const std::uint32_t crc = crc32(prelude);
  for (int shift = 24; shift >= 0; shift -= 8) {
    prelude.push_back(static_cast<char>((crc >> shift) & 0xFFU));
  }
  auto translator = make();
  std::string out;
  translator->feed(prelude, out);
  translator->feed(std::string(64, 'x'), out);
  translator->finish(out);
  EXPECT_TRUE(translator->overflow());
  EXPECT_TRUE(out.empty()) << out;
  EXPECT_EQ(translator->stream_error(), nullptr);
}

}  // namespace
}  // namespace llmtap::providers::bedrock
