#include "providers/json/chat_completion_writer.h"

#include "payload/json_writer.h"

namespace llmtap::providers {

void begin_chat_completion(payload::JsonWriter& w, std::string_view id, std::int64_t created,
                           std::string_view model) {
  w.begin_object();
  w.key("id");
  w.string(id);
  w.key("object");
  w.string("chat.completion");
  w.key("created");
  w.integer(created);
  w.key("model");
  w.string(model);
  w.key("choices");
  w.begin_array();
}

namespace {

void write_tool_calls(payload::JsonWriter& w, const AssistantMessage& message) {
  w.key("tool_calls");
  w.begin_array();
  std::int64_t index = message.first_tool_call_index;
  for (const ToolCall& call : message.tool_calls) {
    w.begin_object();
    w.key("id");
    w.string(call.id);
    w.key("type");
    w.string("function");
    w.key("function");
    w.begin_object();
    w.key("name");
    w.string(call.name);
    w.key("arguments");
    w.string(call.arguments);
    w.end_object();
    w.key("index");
    w.integer(index++);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write_choice(payload::JsonWriter& w, std::int64_t index, const AssistantMessage& message,
                  std::string_view finish_reason) {
  w.begin_object();
  w.key("index");
  w.integer(index);
  w.key("message");
  w.begin_object();
  w.key("role");
  w.string("assistant");
  w.key("content");
  if (message.has_content) {
    w.string(message.content);
  } else {
    w.null();
  }
  if (!message.tool_calls.empty()) write_tool_calls(w, message);
  if (message.has_reasoning) {
    w.key("reasoning_content");
    w.string(message.reasoning);
  }
  w.end_object();
  w.key("finish_reason");
  w.string(finish_reason);
  w.end_object();
}

void end_choices(payload::JsonWriter& w) { w.end_array(); }

}  // namespace llmtap::providers
