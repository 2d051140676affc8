#include "providers/bedrock/converse_answer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <vector>

#include "payload/json_writer.h"
#include "providers/anthropic/usage.h"
#include "providers/bedrock/usage.h"
#include "providers/finish_reason.h"
#include "providers/json/answer_object.h"
#include "providers/json/chat_completion_writer.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::bedrock {
namespace {

namespace dom = simdjson::dom;

constexpr std::string_view kJsonToolName = "json_tool_call";

// The json tool's input as content: a sole {"properties": …} wrapper unwrapped.
std::string json_mode_content(dom::element input) {
  dom::object object;
  if (input.get(object) == simdjson::SUCCESS && object.size() == 1) {
    dom::element inner;
    if (object["properties"].get(inner) == simdjson::SUCCESS) return simdjson::minify(inner);
  }
  return simdjson::minify(input);
}

}  // namespace

std::string_view client_tool_name(std::string_view bedrock_name,
                                  std::span<const RenamedTool> renamed_tools) {
  for (const RenamedTool& tool : renamed_tools) {
    if (tool.bedrock_name == bedrock_name) return tool.name;
  }
  return bedrock_name;
}

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity) {
  auto parsed = parse_answer_object(body);
  if (!parsed) return AnswerProblem{parsed.error()};
  const dom::object answer = *parsed;
  dom::object output;
  if (answer["output"].get(output) != simdjson::SUCCESS) {
    return AnswerProblem{
        fmt::format("Received={}, Error converting to valid response block=no output object",
                    body.substr(0, 200))};
  }
  std::string text;
  std::string reasoning;
  bool has_reasoning = false;
  std::vector<dom::object> tool_uses;
  std::int64_t first_tool_index = 0;
  dom::object message;
  dom::array content;
  if (output["message"].get(message) == simdjson::SUCCESS &&
      message["content"].get(content) == simdjson::SUCCESS) {
    std::int64_t index = 0;
    for (dom::element element : content) {
      dom::object block;
      dom::object inner;
      if (element.get(block) != simdjson::SUCCESS) {
        ++index;
        continue;
      }
      text.append(string_member(block, "text"));
      if (block["toolUse"].get(inner) == simdjson::SUCCESS) {
        if (tool_uses.empty()) first_tool_index = index;
        tool_uses.push_back(inner);
      }
      if (block["reasoningContent"].get(inner) == simdjson::SUCCESS) {
        has_reasoning = true;
        dom::object reasoning_text;
        if (inner["reasoningText"].get(reasoning_text) == simdjson::SUCCESS) {
          reasoning.append(string_member(reasoning_text, "text"));
        }
      }
      ++index;
    }
  }

  // Each call's input as compact JSON; the views into `arguments` are taken once it is full.
  std::vector<std::string> arguments;
  arguments.reserve(tool_uses.size());
  for (dom::object tool : tool_uses) {
    dom::element input;
    arguments.push_back(tool["input"].get(input) == simdjson::SUCCESS ? simdjson::minify(input)
                                                                      : std::string("{}"));
  }
  std::vector<ToolCall> calls;
  std::string json_content;
  const bool json_answered = identity.json_mode && tool_uses.size() == 1 &&
                             string_member(tool_uses.front(), "name") == kJsonToolName;
  if (json_answered) {
    dom::element input;
    json_content = tool_uses.front()["input"].get(input) == simdjson::SUCCESS
                       ? json_mode_content(input)
                       : std::string("{}");
  } else {
    for (std::size_t i = 0; i < tool_uses.size(); ++i) {
      calls.push_back(
          {string_member(tool_uses[i], "toolUseId"),
           client_tool_name(string_member(tool_uses[i], "name"), identity.renamed_tools),
           arguments[i]});
    }
  }

  AssistantMessage assistant;
  assistant.has_content = true;
  assistant.content = json_answered ? std::string_view(json_content) : std::string_view(text);
  assistant.has_reasoning = has_reasoning;
  assistant.reasoning = reasoning;
  assistant.tool_calls = calls;
  assistant.first_tool_call_index = first_tool_index;

  std::string out;
  out.reserve(body.size() + 256);
  payload::JsonWriter w(out);
  begin_chat_completion(w, identity.id, identity.created, identity.model);
  write_choice(w, 0, assistant, map_finish_reason(string_member(answer, "stopReason")));
  end_choices(w);
  dom::object usage;
  w.key("usage");
  anthropic::write_usage(
      w, answer["usage"].get(usage) == simdjson::SUCCESS ? read_usage(usage) : anthropic::Usage{});
  w.end_object();
  w.finish();
  return Result<std::string, AnswerProblem>(boost::system::in_place_value, std::move(out));
}

}  // namespace llmtap::providers::bedrock
