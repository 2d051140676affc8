// The parts of an OpenAI `chat.completion` body every answer translator writes the same way, in
// the key order LiteLLM's ModelResponse serialises: the head (`id`, `object`, `created`, `model`,
// `choices`) and each choice (`index`, `message` {role "assistant", content — null when the
// answer has no text —, tool_calls, reasoning_content}, `finish_reason`). A provider's translator
// gathers its answer into AssistantMessage values and writes `usage` itself.
//
//   begin_chat_completion(w, id, created, model);  // {"id":…,…,"choices":[
//   write_choice(w, 0, message, "stop");            // one per choice
//   end_choices(w);                                 // ]
//   w.key("usage"); write_usage(w, …);              // the provider's usage.h
//   w.end_object();
//
// Pure functions over the caller's writer; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace llmtap::payload {
class JsonWriter;
}  // namespace llmtap::payload

namespace llmtap::providers {

// One entry of message.tool_calls. `arguments` is the call's arguments as compact JSON text,
// written as a JSON string ("{}" for a call without arguments, never "": a client's next turn
// would fail to parse it).
struct ToolCall {
  std::string_view id;
  std::string_view name;
  std::string_view arguments;
};

struct AssistantMessage {
  bool has_content = false;  // false: "content": null
  std::string_view content;
  bool has_reasoning = false;  // false: no reasoning_content key
  std::string_view reasoning;
  std::span<const ToolCall> tool_calls;  // empty: no tool_calls key
  // The first call's `index`: calls are numbered across the whole answer.
  std::int64_t first_tool_call_index = 0;
};

// `{"id":<id>,"object":"chat.completion","created":<created>,"model":<model>,"choices":[`.
void begin_chat_completion(payload::JsonWriter& w, std::string_view id, std::int64_t created,
                           std::string_view model);

// `{"index":<index>,"message":{…},"finish_reason":<finish_reason>}`.
void write_choice(payload::JsonWriter& w, std::int64_t index, const AssistantMessage& message,
                  std::string_view finish_reason);

// `]`: the choices' end; the caller goes on with usage and the closing brace.
void end_choices(payload::JsonWriter& w);

}  // namespace llmtap::providers
