#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "providers/cohere/stream_translator.h"
#include "stream_feeding.h"

namespace llmtap::providers::cohere {
namespace {

std::unique_ptr<StreamTranslator> make() {
  return make_stream_translator({"chatcmpl-5a1", 1764700000, "command-r-08-2024"});
}

std::string translate(std::string_view stream) {
  return test_support::translate_whole(make, stream);
}

void expect_same_at_every_cut(std::string_view stream) {
  test_support::expect_same_at_every_cut(make, stream);
}

constexpr std::string_view kPrefix =
    R"(data: {"id":"chatcmpl-5a1","object":"chat.completion.chunk","created":1764700000,)"
    R"("model":"command-r-08-2024","choices":)";

std::string chunk(std::string_view delta) {
  return std::string(kPrefix) + R"([{"index":0,"delta":{)" + std::string(delta) +
         R"(},"finish_reason":null}]})" + "\n\n";
}

std::string ending(std::string_view reason, std::string_view usage) {
  return std::string(kPrefix) + R"([{"index":0,"delta":{},"finish_reason":")" +
         std::string(reason) + "\"}]}\n\n" + std::string(kPrefix) + R"([],"usage":)" +
         std::string(usage) + "}\n\ndata: [DONE]\n\n";
}

// A text answer as Cohere v2 streams it: event: lines, message-start, content-start with empty
// text, deltas, content-end, message-end with both usage counts, then its own [DONE].
constexpr std::string_view kTextStream =
    "event: message-start\n"
    "data: {\"id\":\"29f14a5a\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":"
    "\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n"
    "event: content-start\n"
    "data: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":"
    "{\"type\":\"text\",\"text\":\"\"}}}}\n\n"
    "event: content-delta\n"
    "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
    "{\"text\":\"Hel\\\"lo\"}}}}\n\n"
    "event: content-delta\n"
    "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
    "{\"text\":\" w\\u00f6rld\"}}}}\n\n"
    "event: content-end\n"
    "data: {\"type\":\"content-end\",\"index\":0}\n\n"
    "event: message-end\n"
    "data: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":"
    "{\"billed_units\":{\"input_tokens\":3,\"output_tokens\":2},\"tokens\":{\"input_tokens\":"
    "69,\"output_tokens\":2}}}}\n\n"
    "data: [DONE]\n\n";

// Verifies the text stream's chunks: role on the first, text re-escaped, COMPLETE as "stop",
// usage from usage.tokens, one [DONE] — whatever the cuts.
TEST(CohereStreamTranslatorTest, TextStreamBecomesChunks) {
  EXPECT_EQ(translate(kTextStream),
            chunk(R"("role":"assistant","content":"Hel\"lo")") +
                chunk("\"content\":\" w\xc3\xb6rld\"") +
                ending("stop", R"({"prompt_tokens":69,"completion_tokens":2,"total_tokens":71})"));
  expect_same_at_every_cut(kTextStream);
}

// Verifies a tool-call stream: tool-plan deltas say nothing, tool-call-start gives the call's id
// and name, each tool-call-delta a piece of its arguments under the same index, the second call
// the next index, and the ending "tool_calls".
TEST(CohereStreamTranslatorTest, ToolCallStreamBecomesToolCallDeltas) {
  constexpr std::string_view kStream =
      "event: message-start\n"
      "data: {\"id\":\"a\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":"
      "\"assistant\"}}}\n\n"
      "event: tool-plan-delta\n"
      "data: {\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":\"I will\"}}}\n\n"
      "event: tool-call-start\n"
      "data: {\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":"
      "{\"id\":\"get_weather_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      "\"arguments\":\"\"}}}}}\n\n"
      "event: tool-call-delta\n"
      "data: {\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":"
      "{\"function\":{\"arguments\":\"{\\\"city\\\":\"}}}}}\n\n"
      "event: tool-call-delta\n"
      "data: {\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":"
      "{\"function\":{\"arguments\":\" \\\"Paris\\\"}\"}}}}}\n\n"
      "event: tool-call-end\n"
      "data: {\"type\":\"tool-call-end\",\"index\":0}\n\n"
      "event: tool-call-start\n"
      "data: {\"type\":\"tool-call-start\",\"index\":1,\"delta\":{\"message\":{\"tool_calls\":"
      "{\"id\":\"now_2\",\"type\":\"function\",\"function\":{\"name\":\"now\",\"arguments\":"
      "\"{}\"}}}}}\n\n"
      "event: tool-call-end\n"
      "data: {\"type\":\"tool-call-end\",\"index\":1}\n\n"
      "event: message-end\n"
      "data: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"TOOL_CALL\",\"usage\":"
      "{\"tokens\":{\"input_tokens\":20,\"output_tokens\":9}}}}\n\n"
      "data: [DONE]\n\n";
  EXPECT_EQ(
      translate(kStream),
      chunk(R"("role":"assistant","tool_calls":[{"index":0,"id":"get_weather_1","type":"function",)"
            R"("function":{"name":"get_weather","arguments":""}}])") +
          chunk(R"("tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}])") +
          chunk(R"("tool_calls":[{"index":0,"function":{"arguments":" \"Paris\"}"}}])") +
          chunk(R"("tool_calls":[{"index":1,"id":"now_2","type":"function",)"
                R"("function":{"name":"now","arguments":"{}"}}])") +
          ending("tool_calls", R"({"prompt_tokens":20,"completion_tokens":9,"total_tokens":29})"));
  expect_same_at_every_cut(kStream);
}

// Verifies that a message-end carrying an error ends the stream with an OpenAI error event and
// nothing after it.
TEST(CohereStreamTranslatorTest, MessageEndErrorIsAnErrorEvent) {
  constexpr std::string_view kStream =
      "event: content-delta\n"
      "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
      "{\"text\":\"Hi\"}}}}\n\n"
      "event: message-end\n"
      "data: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\",\"error\":"
      "\"internal error\"}}\n\n"
      "event: content-delta\n"
      "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
      "{\"text\":\"late\"}}}}\n\n";
  EXPECT_EQ(translate(kStream),
            chunk(R"("role":"assistant","content":"Hi")") +
                R"(data: {"error":{"message":"CohereException - internal error",)"
                R"("type":"api_error","param":null,"code":"500"}})" +
                "\n\n");
  expect_same_at_every_cut(kStream);
  // What the record says of it: LiteLLM's catch-all, APIConnectionError.
  auto translator = make_stream_translator({"chatcmpl-1", 1, "command-r"});
  std::string out;
  translator->feed(kStream, out);
  ASSERT_NE(translator->stream_error(), nullptr);
  EXPECT_EQ(translator->stream_error()->error_class, "APIConnectionError");
}

// Verifies that a stream cut before message-end gets no ending, that bad events are skipped, and
// that a JSON error body answering the request passes through unchanged.
TEST(CohereStreamTranslatorTest, CutStreamsBadEventsAndForeignBodies) {
  constexpr std::string_view kCut =
      ": keep-alive\n\n"
      "data: not json\n\n"
      "data: {\"no\":\"type\"}\n\n"
      "event: content-delta\n"
      "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
      "{\"text\":\"Hi\"}}}}\n\n"
      "event: content-delta\n"
      "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"mess";
  EXPECT_EQ(translate(kCut), chunk(R"("role":"assistant","content":"Hi")"));
  expect_same_at_every_cut(kCut);
  constexpr std::string_view kBody = R"({"id":"e1","message":"invalid api token"})";
  EXPECT_EQ(translate(kBody), kBody);
  expect_same_at_every_cut(kBody);
}

// Verifies that a message-end without usage or reason still ends the stream, with zero counts.
TEST(CohereStreamTranslatorTest, BareMessageEndEndsWithZeros) {
  constexpr std::string_view kStream = "data: {\"type\":\"message-end\"}\n\n";
  EXPECT_EQ(translate(kStream),
            ending("stop", R"({"prompt_tokens":0,"completion_tokens":0,"total_tokens":0})"));
  expect_same_at_every_cut(kStream);
}

}  // namespace
}  // namespace llmtap::providers::cohere
