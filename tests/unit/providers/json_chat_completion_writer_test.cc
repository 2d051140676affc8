#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "payload/json_writer.h"
#include "providers/json/chat_completion_writer.h"

namespace llmtap::providers {
namespace {

// Verifies the whole shape, golden: the head, a choice with content, tool calls (indexes from
// first_tool_call_index, arguments as a JSON string) and reasoning, a second choice with null
// content and no optional keys.
TEST(ChatCompletionWriterTest, HeadAndChoicesGolden) {
  const std::vector<ToolCall> calls = {{"call_1", "get_weather", R"({"city":"Paris"})"},
                                       {"call_2", "ping", "{}"}};
  AssistantMessage full;
  full.has_content = true;
  full.content = "Hi \"there\"";
  full.has_reasoning = true;
  full.reasoning = "thought";
  full.tool_calls = calls;
  full.first_tool_call_index = 3;

  std::string out;
  payload::JsonWriter w(out);
  begin_chat_completion(w, "chatcmpl-1", 1764700000, "model-x");
  write_choice(w, 0, full, "tool_calls");
  write_choice(w, 1, AssistantMessage{}, "stop");
  end_choices(w);
  w.end_object();
  w.finish();
  EXPECT_EQ(
      out, R"({"id":"chatcmpl-1","object":"chat.completion","created":1764700000,)"
           R"("model":"model-x","choices":[{"index":0,"message":{"role":"assistant",)"
           R"("content":"Hi \"there\"","tool_calls":[{"id":"call_1","type":"function",)"
           R"("function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"},"index":3},)"
           R"({"id":"call_2","type":"function","function":{"name":"ping","arguments":"{}"},)"
           R"("index":4}],"reasoning_content":"thought"},"finish_reason":"tool_calls"},)"
           R"({"index":1,"message":{"role":"assistant","content":null},"finish_reason":"stop"}]})");
}

// Verifies that empty content that is present is "" (not null), and empty reasoning that is
// present is written too.
TEST(ChatCompletionWriterTest, PresentButEmptyTextIsKept) {
  AssistantMessage message;
  message.has_content = true;
  message.has_reasoning = true;
  std::string out;
  payload::JsonWriter w(out);
  write_choice(w, 0, message, "length");
  w.finish();
  EXPECT_EQ(out, R"({"index":0,"message":{"role":"assistant","content":"",)"
                 R"("reasoning_content":""},"finish_reason":"length"})");
}

}  // namespace
}  // namespace llmtap::providers
