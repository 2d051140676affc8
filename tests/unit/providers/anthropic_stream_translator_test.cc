#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "http/sse_splitter.h"
#include "providers/anthropic/stream_translator.h"
#include "stream_feeding.h"

namespace llmtap::providers::anthropic {
namespace {

StreamIdentity identity() { return {"chatcmpl-7d1c", 1764700000, "claude-opus"}; }

// The whole stream in one piece, then the end of the upstream's bytes.
std::string translate(std::string_view stream) {
  return test_support::translate_whole([] { return make_stream_translator(identity()); }, stream);
}

std::vector<std::string> events_of(std::string_view out) { return test_support::data_events(out); }

// Anthropic's "Streaming Messages" docs, basic streaming request: the exact event sequence, with
// its `event:` lines, spaces after the colons and a ping.
constexpr std::string_view kDocsStream =
    "event: message_start\n"
    R"(data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-opus-4-6", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}})"
    "\n\n"
    "event: content_block_start\n"
    R"(data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})"
    "\n\n"
    "event: ping\n"
    R"(data: {"type": "ping"})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}})"
    "\n\n"
    "event: content_block_stop\n"
    R"(data: {"type": "content_block_stop", "index": 0})"
    "\n\n"
    "event: message_delta\n"
    R"(data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}})"
    "\n\n"
    "event: message_stop\n"
    R"(data: {"type": "message_stop"})"
    "\n\n";

constexpr std::string_view kDocsPrefix =
    R"(data: {"id":"chatcmpl-7d1c","object":"chat.completion.chunk","created":1764700000,)"
    R"("model":"claude-opus-4-6","choices":)";

std::string docs_expected() {
  std::string expected;
  expected.append(kDocsPrefix)
      .append(R"([{"index":0,"delta":{"role":"assistant","content":"Hello"},)")
      .append(R"("finish_reason":null}]})"
              "\n\n");
  expected.append(kDocsPrefix)
      .append(R"([{"index":0,"delta":{"content":"!"},"finish_reason":null}]})"
              "\n\n");
  expected.append(kDocsPrefix)
      .append(R"([{"index":0,"delta":{},"finish_reason":"stop"}]})"
              "\n\n");
  expected.append(kDocsPrefix)
      .append(R"([],"usage":{"prompt_tokens":25,"completion_tokens":15,"total_tokens":40,)")
      .append(R"("prompt_tokens_details":{"cached_tokens":0,"cache_creation_tokens":0,)")
      .append(R"("text_tokens":25},"cache_creation_input_tokens":0,"cache_read_input_tokens":0}})"
              "\n\n");
  expected.append("data: [DONE]\n\n");
  return expected;
}

// Anthropic's docs, streaming request with tool use: text, then a tool_use block whose input
// arrives in input_json_delta pieces (the first one empty).
constexpr std::string_view kToolStream =
    "event: message_start\n"
    R"(data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-opus-4-6","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}})"
    "\n\n"
    "event: content_block_start\n"
    R"(data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let's check the weather."}})"
    "\n\n"
    "event: content_block_stop\n"
    R"(data: {"type":"content_block_stop","index":0})"
    "\n\n"
    "event: content_block_start\n"
    R"(data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"San"}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" Francisc"}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"o, CA\", "}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"unit\": \"fah"}})"
    "\n\n"
    "event: content_block_delta\n"
    R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"renheit\"}"}})"
    "\n\n"
    "event: content_block_stop\n"
    R"(data: {"type":"content_block_stop","index":1})"
    "\n\n"
    "event: message_delta\n"
    R"(data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}})"
    "\n\n"
    "event: message_stop\n"
    R"(data: {"type":"message_stop"})"
    "\n\n";

// Verifies the docs' basic stream, golden: the model message_start names, role on the first text
// chunk only, ping and event: lines dropped, end_turn as "stop", the usage chunk, [DONE].
TEST(AnthropicStreamTranslatorTest, DocsStreamGolden) {
  EXPECT_EQ(translate(kDocsStream), docs_expected());
}

// Verifies a tool_use block: one call with id, name and "" arguments at its start, then the
// partial_json pieces under the same index, which concatenate to the tool's input JSON.
TEST(AnthropicStreamTranslatorTest, ToolUseArgumentsAssemble) {
  const std::vector<std::string> events = events_of(translate(kToolStream));
  simdjson::dom::parser parser;
  std::string arguments;
  int calls_started = 0;
  int roles = 0;
  std::string finish_reason;  // a copy: the parser's next parse frees what a view would see
  for (const std::string& event : events) {
    if (event == "[DONE]") continue;
    simdjson::dom::element chunk = parser.parse(event);
    simdjson::dom::array choices = chunk["choices"];
    if (choices.size() == 0) continue;  // the usage chunk
    simdjson::dom::element choice = choices.at(0);
    EXPECT_EQ(int64_t(choice["index"]), 0);
    if (!choice["finish_reason"].is_null())
      finish_reason = std::string_view(choice["finish_reason"]);
    simdjson::dom::element delta = choice["delta"];
    if (!delta["role"].error()) ++roles;
    simdjson::dom::array calls;
    if (delta["tool_calls"].get(calls)) continue;
    ASSERT_EQ(calls.size(), 1U);
    simdjson::dom::element call = calls.at(0);
    EXPECT_EQ(int64_t(call["index"]), 0);
    if (!call["id"].error()) {
      ++calls_started;
      EXPECT_EQ(std::string_view(call["id"]), "toolu_01T1x1fJ34qAmk2tNTrN7Up6");
      EXPECT_EQ(std::string_view(call["type"]), "function");
      EXPECT_EQ(std::string_view(call["function"]["name"]), "get_weather");
      EXPECT_EQ(std::string_view(call["function"]["arguments"]), "");
    }
    arguments.append(std::string_view(call["function"]["arguments"]));
  }
  EXPECT_EQ(calls_started, 1);
  EXPECT_EQ(roles, 1);
  EXPECT_EQ(finish_reason, "tool_calls");
  EXPECT_EQ(arguments, R"({"location": "San Francisco, CA", "unit": "fahrenheit"})");
  simdjson::dom::element input = parser.parse(arguments);
  EXPECT_EQ(std::string_view(input["location"]), "San Francisco, CA");
}

// Verifies LiteLLM's json mode on a stream: the json_tool_call block's input deltas are content,
// no tool call is started, and the stream finishes "stop".
TEST(AnthropicStreamTranslatorTest, JsonModeStreamsToolInputAsContent) {
  std::string stream(kToolStream);
  for (std::size_t at = stream.find("get_weather"); at != std::string::npos;
       at = stream.find("get_weather", at)) {
    stream.replace(at, 11, "json_tool_call");
  }
  StreamIdentity json = identity();
  json.json_mode = true;
  auto translator = make_stream_translator(json);
  std::string out;
  translator->feed(stream, out);
  translator->finish(out);
  simdjson::dom::parser parser;
  std::string content;
  std::string finish_reason;  // a copy: the parser's next parse frees what a view would see
  for (const std::string& event : events_of(out)) {
    if (event == "[DONE]") continue;
    simdjson::dom::element chunk = parser.parse(event);
    simdjson::dom::array choices = chunk["choices"];
    if (choices.size() == 0) continue;
    simdjson::dom::element choice = choices.at(0);
    EXPECT_TRUE(choice["delta"]["tool_calls"].error()) << event;
    if (!choice["finish_reason"].is_null())
      finish_reason = std::string_view(choice["finish_reason"]);
    std::string_view piece;
    if (!choice["delta"]["content"].get(piece)) content.append(piece);
  }
  EXPECT_EQ(finish_reason, "stop");
  EXPECT_NE(content.find(R"({"location": "San Francisco, CA", "unit": "fahrenheit"})"),
            std::string::npos)
      << content;
}

// Verifies that a tool block that got no input_json_delta closes with arguments "{}" (never "",
// which a client's next turn cannot parse), and that a second tool block takes index 1.
TEST(AnthropicStreamTranslatorTest, ToolWithoutInputGetsEmptyObject) {
  const std::string stream =
      R"(data: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":1}}})"
      "\n\n"
      R"(data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t0","name":"a","input":{}}})"
      "\n\n"
      R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}})"
      "\n\n"
      R"(data: {"type":"content_block_stop","index":0})"
      "\n\n"
      R"(data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t1","name":"now","input":{}}})"
      "\n\n"
      R"(data: {"type":"content_block_stop","index":1})"
      "\n\n";
  const std::string prefix =
      R"(data: {"id":"chatcmpl-7d1c","object":"chat.completion.chunk","created":1764700000,)"
      R"("model":"m","choices":[{"index":0,"delta":)";
  const std::string suffix = R"(,"finish_reason":null}]})"
                             "\n\n";
  EXPECT_EQ(
      translate(stream),
      prefix +
          R"({"role":"assistant","tool_calls":[{"index":0,"id":"t0","type":"function","function":{"name":"a","arguments":""}}]})" +
          suffix + prefix + R"({"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]})" +
          suffix + prefix +
          R"({"tool_calls":[{"index":1,"id":"t1","type":"function","function":{"name":"now","arguments":""}}]})" +
          suffix + prefix + R"({"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]})" +
          suffix);
}

// Verifies that thinking deltas become reasoning_content (the role on the first of them), that
// signature deltas add nothing, and that escapes in a delta's text arrive as Anthropic sent them.
TEST(AnthropicStreamTranslatorTest, ThinkingBecomesReasoningContent) {
  const std::string stream =
      R"(data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})"
      "\n\n"
      R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me \"think\"\n"}})"
      "\n\n"
      R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}})"
      "\n\n"
      R"(data: {"type":"content_block_stop","index":0})"
      "\n\n"
      R"(data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"caf\u00e9 \u2603"}})"
      "\n\n";
  const std::string prefix =
      R"(data: {"id":"chatcmpl-7d1c","object":"chat.completion.chunk","created":1764700000,)"
      R"("model":"claude-opus","choices":[{"index":0,"delta":)";
  const std::string suffix = R"(,"finish_reason":null}]})"
                             "\n\n";
  const std::string out = translate(stream);
  EXPECT_EQ(out, prefix + R"({"role":"assistant","reasoning_content":"Let me \"think\"\n"})" +
                     suffix + prefix + R"({"content":"caf\u00e9 \u2603"})" + suffix);
  simdjson::dom::parser parser;
  const std::vector<std::string> events = events_of(out);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(
      std::string_view(parser.parse(events[0])["choices"].at(0)["delta"]["reasoning_content"]),
      "Let me \"think\"\n");
  EXPECT_EQ(std::string_view(parser.parse(events[1])["choices"].at(0)["delta"]["content"]),
            "caf\xc3\xa9 \xe2\x98\x83");
}

// Verifies the usage chunk with cache tokens from message_start: the same shape as the
// non-stream answer (cache counted into prompt_tokens, the 5m/1h split kept), input not erased by
// message_delta's 0, output taken from message_delta.
TEST(AnthropicStreamTranslatorTest, CacheTokensReachUsage) {
  const std::string stream =
      R"(data: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":5,"cache_creation_input_tokens":200,"cache_read_input_tokens":100,"cache_creation":{"ephemeral_5m_input_tokens":50,"ephemeral_1h_input_tokens":150},"output_tokens":1}}})"
      "\n\n"
      R"(data: {"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":0,"output_tokens":21,"cache_read_input_tokens":null}})"
      "\n\n"
      R"(data: {"type":"message_stop"})"
      "\n\n";
  const std::string prefix =
      R"(data: {"id":"chatcmpl-7d1c","object":"chat.completion.chunk","created":1764700000,)"
      R"("model":"m","choices":)";
  EXPECT_EQ(translate(stream),
            prefix + R"([{"index":0,"delta":{},"finish_reason":"length"}]})" + "\n\n" + prefix +
                R"([],"usage":{"prompt_tokens":305,"completion_tokens":21,"total_tokens":326,)"
                R"("prompt_tokens_details":{"cached_tokens":100,"cache_creation_tokens":200,)"
                R"("cache_creation_token_details":{"ephemeral_5m_input_tokens":50,)"
                R"("ephemeral_1h_input_tokens":150},"text_tokens":5},)"
                R"("cache_creation_input_tokens":200,"cache_read_input_tokens":100}})"
                "\n\ndata: [DONE]\n\n");
}

// Verifies that newer Anthropic's non-zero input_tokens in message_delta is taken.
TEST(AnthropicStreamTranslatorTest, NonZeroDeltaInputTokensAreTaken) {
  const std::string stream =
      R"(data: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":5,"output_tokens":1}}})"
      "\n\n"
      R"(data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":7,"output_tokens":3}})"
      "\n\n"
      R"(data: {"type":"message_stop"})"
      "\n\n";
  const std::vector<std::string> events = events_of(translate(stream));
  ASSERT_EQ(events.size(), 3U);
  simdjson::dom::parser parser;
  simdjson::dom::element usage = parser.parse(events[1])["usage"];
  EXPECT_EQ(int64_t(usage["prompt_tokens"]), 7);
  EXPECT_EQ(int64_t(usage["completion_tokens"]), 3);
}

// Verifies that an error event mid-stream becomes LiteLLM's error event (status 500, message
// prefixed) and that nothing after it is translated, not even at finish().
TEST(AnthropicStreamTranslatorTest, ErrorEventEndsTheStream) {
  const std::string stream =
      R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})"
      "\n\n"
      "event: error\n"
      R"(data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})"
      "\n\n"
      R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"more"}})"
      "\n\n"
      "<html>not an event</html>\n\n"
      R"(data: {"type":"message_stop"})";
  auto translator = make_stream_translator(identity());
  std::string out;
  translator->feed(stream.substr(0, stream.size() / 2), out);
  translator->feed(stream.substr(stream.size() / 2), out);
  translator->finish(out);
  const std::vector<std::string> events = events_of(out);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1],
            R"({"error":{"message":"AnthropicException - Overloaded","type":"overloaded_error",)"
            R"("param":null,"code":"500"}})");
  // What the record says of it: LiteLLM's 500 InternalServerError.
  ASSERT_NE(translator->stream_error(), nullptr);
  EXPECT_EQ(translator->stream_error()->status, 500);
  EXPECT_EQ(translator->stream_error()->error_class, "InternalServerError");
}

// Verifies that bytes which are not server-sent events (an error body answering the stream
// request, an HTML page) pass through unchanged, at feed() when a blank line ends them and at
// finish() otherwise.
TEST(AnthropicStreamTranslatorTest, NonSseBytesPassThrough) {
  const std::string body =
      R"({"type":"error","error":{"type":"invalid_request_error","message":"bad"}})";
  EXPECT_EQ(translate(body), body);
  EXPECT_EQ(translate(body + "\n"), body + "\n");

  const std::string html = "<html>\r\n\r\n<p>Bad gateway</p>\n</html>";
  auto translator = make_stream_translator(identity());
  std::string out;
  translator->feed(html, out);
  EXPECT_EQ(out, "<html>\r\n\r\n");
  translator->finish(out);
  EXPECT_EQ(out, html);
}

// Verifies that an event growing past the splitter's limit stops the translator: overflow(), and
// nothing more is translated.
TEST(AnthropicStreamTranslatorTest, OversizedEventOverflows) {
  auto translator = make_stream_translator(identity());
  std::string out;
  translator->feed(R"(data: {"type":"content_block_delta","delta":{"type":"text_delta","text":")",
                   out);
  EXPECT_FALSE(translator->overflow());
  const std::string filler(http::SseSplitter::kDefaultMaxEventBytes, 'x');
  translator->feed(filler, out);
  EXPECT_TRUE(translator->overflow());
  translator->feed("\"}}\n\n", out);
  translator->feed(kDocsStream, out);
  translator->finish(out);
  EXPECT_EQ(out, "");
}

// Verifies that finish() translates a last event the upstream ended without its blank line (or
// without even its line break).
TEST(AnthropicStreamTranslatorTest, FinishTranslatesTailWithoutBlankLine) {
  const std::string_view full = kDocsStream;
  EXPECT_EQ(translate(full.substr(0, full.size() - 1)), docs_expected());
  EXPECT_EQ(translate(full.substr(0, full.size() - 2)), docs_expected());
  std::string crlf(full.substr(0, full.size() - 2));
  crlf.append("\r");
  EXPECT_EQ(translate(crlf), docs_expected());
}

// Verifies that data which is not JSON, or JSON not shaped as its type says, is skipped without
// disturbing the events around it.
TEST(AnthropicStreamTranslatorTest, MalformedEventsAreSkipped) {
  std::string stream(kDocsStream);
  const std::string junk =
      "data: {not json\n\n"
      "data: [1,2]\n\n"
      R"(data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"bad \q escape"}})"
      "\n\n"
      R"(data: {"type":"content_block_delta","delta":{"type":"text_delta","text":7}})"
      "\n\n"
      R"(data: {"type":"content_block_start","content_block":{"type":"tool_use"}})"
      "\n\n"
      "data: "
      "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"\xff\"}}"
      "\n\n"
      ": keep-alive\n\n"
      "data:\n\n";
  stream.insert(stream.find("event: content_block_stop"), junk);
  EXPECT_EQ(translate(stream), docs_expected());
}

// Verifies that members may come in any order (type last, text before the delta's type), as JSON
// allows.
TEST(AnthropicStreamTranslatorTest, MemberOrderDoesNotMatter) {
  const std::string stream =
      R"(data: {"message":{"usage":{"output_tokens":1,"input_tokens":4},"model":"m"},"type":"message_start"})"
      "\n\n"
      R"(data: {"delta":{"text":"Hi","type":"text_delta"},"index":0,"type":"content_block_delta"})"
      "\n\n"
      R"(data: {"usage":{"output_tokens":2},"delta":{"stop_sequence":null,"stop_reason":"end_turn"},"type":"message_delta"})"
      "\n\n"
      R"(data: {"type":"message_stop"})"
      "\n\n";
  const std::vector<std::string> events = events_of(translate(stream));
  ASSERT_EQ(events.size(), 4U);
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string_view(parser.parse(events[0])["choices"].at(0)["delta"]["content"]), "Hi");
  EXPECT_EQ(std::string_view(parser.parse(events[0])["model"]), "m");
  EXPECT_EQ(int64_t(parser.parse(events[2])["usage"]["total_tokens"]), 6);
}

// Verifies that a model name longer than the bound keeps the identity's model, so per-stream
// state stays bounded.
TEST(AnthropicStreamTranslatorTest, OverlongModelKeepsIdentityModel) {
  const std::string stream =
      R"(data: {"type":"message_start","message":{"model":")" + std::string(300, 'm') +
      R"(","usage":{"input_tokens":1}}})"
      "\n\n"
      R"(data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}})"
      "\n\n";
  const std::vector<std::string> events = events_of(translate(stream));
  ASSERT_EQ(events.size(), 1U);
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string_view(parser.parse(events[0])["model"]), "claude-opus");
}

// Verifies that the docs' stream and the tool stream translate the same however the bytes are
// cut: in two pieces at every byte boundary, and one byte at a time.
TEST(AnthropicStreamTranslatorTest, EveryByteBoundaryGivesTheSameOutput) {
  for (const std::string_view stream : {kDocsStream, kToolStream}) {
    test_support::expect_same_at_every_cut([] { return make_stream_translator(identity()); },
                                           stream);
  }
  EXPECT_EQ(translate(kDocsStream), docs_expected());
}

}  // namespace
}  // namespace llmtap::providers::anthropic
