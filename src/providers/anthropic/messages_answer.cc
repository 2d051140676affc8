#include "providers/anthropic/messages_answer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <vector>

#include "payload/json_writer.h"
#include "providers/anthropic/usage.h"
#include "providers/finish_reason.h"

namespace llmtap::providers::anthropic {
namespace {

// A string member's value; empty when absent, null or not a string.
std::string_view string_member(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return value;
}

std::int64_t token_count(simdjson::dom::object usage, std::string_view key) {
  std::int64_t n = 0;
  if (usage[key].get(n) != simdjson::SUCCESS || n < 0) return 0;  // absent or null: LiteLLM's 0
  return n;
}

Usage read_usage(simdjson::dom::object usage) {
  Usage counts;
  counts.input_tokens = token_count(usage, "input_tokens");
  counts.output_tokens = token_count(usage, "output_tokens");
  counts.cache_creation_input_tokens = token_count(usage, "cache_creation_input_tokens");
  counts.cache_read_input_tokens = token_count(usage, "cache_read_input_tokens");
  if (simdjson::dom::object details; !usage["cache_creation"].get(details)) {
    counts.has_cache_creation_details = true;
    counts.ephemeral_5m_input_tokens = token_count(details, "ephemeral_5m_input_tokens");
    counts.ephemeral_1h_input_tokens = token_count(details, "ephemeral_1h_input_tokens");
  }
  return counts;
}

// The answer's content blocks, gathered for the message: texts and thinking joined, tool_use
// blocks kept in order.
struct Blocks {
  std::string text;
  std::string json;  // json mode: the json_tool_call input
  std::string reasoning;
  bool has_text = false;
  bool has_reasoning = false;
  std::vector<simdjson::dom::object> tool_uses;
};

Result<Blocks, AnswerProblem> gather_blocks(simdjson::dom::array content, bool json_mode,
                                            bool& json_answered) {
  Blocks blocks;
  for (simdjson::dom::element element : content) {
    simdjson::dom::object block;
    std::string_view type;
    if (element.get(block) || block["type"].get(type)) {
      return AnswerProblem{"a content block is not an object with a type"};
    }
    std::string_view text;
    if (type == "text" && !block["text"].get(text)) {
      blocks.text.append(text);
      blocks.has_text = true;
    } else if (type == "thinking" && !block["thinking"].get(text)) {
      blocks.reasoning.append(text);
      blocks.has_reasoning = true;
    } else if (simdjson::dom::element input; json_mode && type == "tool_use" &&
                                             string_member(block, "name") == "json_tool_call" &&
                                             !block["input"].get(input)) {
      blocks.json.append(simdjson::minify(input));
      json_answered = true;
    } else if (type == "tool_use" || type == "server_tool_use") {
      blocks.tool_uses.push_back(block);
    }
  }
  return blocks;
}

void write_tool_calls(payload::JsonWriter& w, const std::vector<simdjson::dom::object>& tool_uses) {
  w.key("tool_calls");
  w.begin_array();
  std::int64_t index = 0;
  for (simdjson::dom::object tool : tool_uses) {
    const std::string_view id = string_member(tool, "id");
    const std::string_view name = string_member(tool, "name");
    simdjson::dom::element input;
    // OpenAI's arguments are a JSON string; an absent input is an empty object, never "" (a
    // client's next turn would fail to parse it).
    std::string arguments = tool["input"].get(input) ? std::string("{}") : simdjson::minify(input);
    w.begin_object();
    w.key("id");
    w.string(id);
    w.key("type");
    w.string("function");
    w.key("function");
    w.begin_object();
    w.key("name");
    w.string(name);
    w.key("arguments");
    w.string(arguments);
    w.end_object();
    w.key("index");
    w.integer(index++);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  simdjson::dom::object message;
  if (auto error = parser.parse(padded).get(message)) {
    return AnswerProblem{
        fmt::format("the answer is not a JSON object ({})", simdjson::error_message(error))};
  }
  if (simdjson::dom::element error_value; !message["error"].get(error_value)) {
    std::string_view text;
    if (error_value["message"].get(text)) text = "no message";
    return AnswerProblem{fmt::format("the answer is an error: {}", text)};
  }
  simdjson::dom::array content;
  if (message["content"].get(content)) {
    return AnswerProblem{"the answer has no content array"};
  }
  bool json_answered = false;
  auto blocks = gather_blocks(content, identity.json_mode, json_answered);
  if (!blocks) return blocks.error();
  if (json_answered) {
    // LiteLLM: the JSON alone is the content; beside other tool calls, it follows the text.
    if (blocks->tool_uses.empty()) blocks->text.clear();
    blocks->text.append(blocks->json);
    blocks->has_text = true;
  }

  const std::string_view model = string_member(message, "model");
  // null while paused (pause_turn comes as a reason): LiteLLM's "stop".
  const std::string_view stop_reason = string_member(message, "stop_reason");

  std::string out;
  out.reserve(body.size() + 256);
  payload::JsonWriter w(out);
  w.begin_object();
  w.key("id");
  w.string(identity.id);
  w.key("object");
  w.string("chat.completion");
  w.key("created");
  w.integer(identity.created);
  w.key("model");
  w.string(model);
  w.key("choices");
  w.begin_array();
  w.begin_object();
  w.key("index");
  w.integer(0);
  w.key("message");
  w.begin_object();
  w.key("role");
  w.string("assistant");
  w.key("content");
  if (blocks->has_text) {
    w.string(blocks->text);
  } else {
    w.null();
  }
  if (!blocks->tool_uses.empty()) write_tool_calls(w, blocks->tool_uses);
  if (blocks->has_reasoning) {
    w.key("reasoning_content");
    w.string(blocks->reasoning);
  }
  w.end_object();
  w.key("finish_reason");
  w.string(json_answered && blocks->tool_uses.empty() ? std::string_view("stop")
                                                      : map_finish_reason(stop_reason));
  w.end_object();
  w.end_array();
  simdjson::dom::object usage;
  if (!message["usage"].get(usage)) {
    w.key("usage");
    write_usage(w, read_usage(usage));
  }
  w.end_object();
  w.finish();
  return Result<std::string, AnswerProblem>(boost::system::in_place_value, std::move(out));
}

}  // namespace llmtap::providers::anthropic
