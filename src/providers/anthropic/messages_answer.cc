#include "providers/anthropic/messages_answer.h"

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "payload/json_writer.h"
#include "providers/anthropic/usage.h"
#include "providers/finish_reason.h"
#include "providers/json/answer_object.h"
#include "providers/json/chat_completion_writer.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::anthropic {
namespace {

Usage read_usage(simdjson::dom::object usage) {
  Usage counts;
  counts.input_tokens = count_member(usage, "input_tokens");
  counts.output_tokens = count_member(usage, "output_tokens");
  counts.cache_creation_input_tokens = count_member(usage, "cache_creation_input_tokens");
  counts.cache_read_input_tokens = count_member(usage, "cache_read_input_tokens");
  if (simdjson::dom::object details; !usage["cache_creation"].get(details)) {
    counts.has_cache_creation_details = true;
    counts.ephemeral_5m_input_tokens = count_member(details, "ephemeral_5m_input_tokens");
    counts.ephemeral_1h_input_tokens = count_member(details, "ephemeral_1h_input_tokens");
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

// The tool_use blocks as calls, viewing `arguments`: each call's input as compact JSON.
std::vector<ToolCall> tool_calls_of(const std::vector<simdjson::dom::object>& tool_uses,
                                    std::vector<std::string>& arguments) {
  for (simdjson::dom::object tool : tool_uses) {
    simdjson::dom::element input;
    // An absent input is an empty object (chat_completion_writer.h).
    arguments.push_back(tool["input"].get(input) ? std::string("{}") : simdjson::minify(input));
  }
  std::vector<ToolCall> calls;
  calls.reserve(tool_uses.size());
  for (std::size_t i = 0; i < tool_uses.size(); ++i) {
    calls.push_back(
        {string_member(tool_uses[i], "id"), string_member(tool_uses[i], "name"), arguments[i]});
  }
  return calls;
}

}  // namespace

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity) {
  auto parsed = parse_answer_object(body);
  if (!parsed) return AnswerProblem{parsed.error()};
  const simdjson::dom::object message = *parsed;
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

  std::vector<std::string> arguments;
  const std::vector<ToolCall> tool_calls = tool_calls_of(blocks->tool_uses, arguments);
  AssistantMessage answer;
  answer.has_content = blocks->has_text;
  answer.content = blocks->text;
  answer.has_reasoning = blocks->has_reasoning;
  answer.reasoning = blocks->reasoning;
  answer.tool_calls = tool_calls;

  std::string out;
  out.reserve(body.size() + 256);
  payload::JsonWriter w(out);
  begin_chat_completion(w, identity.id, identity.created, model);
  write_choice(w, 0, answer,
               json_answered && blocks->tool_uses.empty() ? std::string_view("stop")
                                                          : map_finish_reason(stop_reason));
  end_choices(w);
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
