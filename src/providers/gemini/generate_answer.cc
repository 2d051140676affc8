#include "providers/gemini/generate_answer.h"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "payload/json_writer.h"
#include "providers/finish_reason.h"
#include "providers/gemini/usage.h"
#include "providers/json/answer_object.h"
#include "providers/json/chat_completion_writer.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::gemini {
namespace {

namespace dom = simdjson::dom;

Usage read_usage(dom::object usage) {
  Usage counts;
  counts.prompt_token_count = count_member(usage, "promptTokenCount");
  counts.candidates_token_count = count_member(usage, "candidatesTokenCount");
  counts.total_token_count = count_member(usage, "totalTokenCount");
  counts.cached_content_token_count = count_member(usage, "cachedContentTokenCount");
  counts.thoughts_token_count = count_member(usage, "thoughtsTokenCount");
  return counts;
}

struct FunctionCall {
  std::string_view name;
  std::string arguments;
};

struct Message {
  std::string text;
  std::string reasoning;
  bool has_text = false;
  bool has_reasoning = false;
  std::vector<FunctionCall> calls;
};

Message gather(dom::object candidate) {
  Message message;
  dom::object content;
  dom::array parts;
  if (candidate["content"].get(content) != simdjson::SUCCESS ||
      content["parts"].get(parts) != simdjson::SUCCESS) {
    return message;
  }
  for (dom::element element : parts) {
    dom::object part;
    if (element.get(part) != simdjson::SUCCESS) continue;
    std::string_view text;
    dom::object call;
    if (part["text"].get(text) == simdjson::SUCCESS) {
      bool thought = false;
      if (part["thought"].get(thought) == simdjson::SUCCESS && thought) {
        message.reasoning.append(text);
        message.has_reasoning = true;
      } else {
        message.text.append(text);
        message.has_text = true;
      }
    } else if (part["functionCall"].get(call) == simdjson::SUCCESS) {
      dom::element args;
      FunctionCall entry;
      entry.name = string_member(call, "name");
      // json.dumps(args): an absent args is an empty object, never "".
      entry.arguments =
          call["args"].get(args) == simdjson::SUCCESS ? simdjson::minify(args) : std::string("{}");
      message.calls.push_back(std::move(entry));
    }
    // inlineData, executableCode, codeExecutionResult…: no OpenAI field here.
  }
  return message;
}

// One candidate's choice; its calls' ids come from the answer's id and their index across the
// answer (usage.h), which `call_index` counts.
void write_candidate(payload::JsonWriter& w, std::int64_t index, const Message& message,
                     std::string_view finish_reason, std::string_view answer_id,
                     std::int64_t& call_index) {
  std::vector<std::string> ids;
  ids.reserve(message.calls.size());
  for (std::size_t i = 0; i < message.calls.size(); ++i) {
    ids.push_back(tool_call_id(answer_id, call_index + static_cast<std::int64_t>(i)));
  }
  std::vector<ToolCall> calls;
  calls.reserve(message.calls.size());
  for (std::size_t i = 0; i < message.calls.size(); ++i) {
    calls.push_back({ids[i], message.calls[i].name, message.calls[i].arguments});
  }
  AssistantMessage choice;
  choice.has_content = message.has_text;
  choice.content = message.text;
  choice.has_reasoning = message.has_reasoning;
  choice.reasoning = message.reasoning;
  choice.tool_calls = calls;
  choice.first_tool_call_index = call_index;
  write_choice(w, index, choice, finish_reason);
  call_index += static_cast<std::int64_t>(calls.size());
}

}  // namespace

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity) {
  auto parsed = parse_answer_object(body);
  if (!parsed) return AnswerProblem{parsed.error()};
  const dom::object answer = *parsed;
  dom::array candidates;
  const bool has_candidates = answer["candidates"].get(candidates) == simdjson::SUCCESS;
  dom::object feedback;
  const bool blocked = answer["promptFeedback"].get(feedback) == simdjson::SUCCESS &&
                       !string_member(feedback, "blockReason").empty();
  if (!has_candidates && !blocked) {
    return AnswerProblem{"the answer has neither candidates nor a blocked prompt"};
  }

  std::string out;
  out.reserve(body.size() + 256);
  payload::JsonWriter w(out);
  begin_chat_completion(w, identity.id, identity.created, identity.model);
  std::int64_t position = 0;
  std::int64_t call_index = 0;
  if (has_candidates) {
    for (dom::element element : candidates) {
      dom::object candidate;
      if (element.get(candidate) != simdjson::SUCCESS) {
        return AnswerProblem{"a candidate is not an object"};
      }
      std::int64_t index = position++;
      if (std::int64_t given = 0; candidate["index"].get(given) == simdjson::SUCCESS) {
        index = given;
      }
      const Message message = gather(candidate);
      const std::string_view reason =
          message.calls.empty() ? map_finish_reason(string_member(candidate, "finishReason"))
                                : std::string_view("tool_calls");
      write_candidate(w, index, message, reason, identity.id, call_index);
    }
  }
  if (position == 0) {
    // A blocked prompt (or an empty candidate list): LiteLLM's content_filter with no content.
    write_candidate(w, 0, Message{}, blocked ? "content_filter" : "stop", identity.id, call_index);
  }
  end_choices(w);
  if (dom::object usage; answer["usageMetadata"].get(usage) == simdjson::SUCCESS) {
    w.key("usage");
    write_usage(w, read_usage(usage));
  }
  w.end_object();
  w.finish();
  return Result<std::string, AnswerProblem>(boost::system::in_place_value, std::move(out));
}

}  // namespace llmtap::providers::gemini
