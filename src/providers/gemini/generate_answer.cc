#include "providers/gemini/generate_answer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <vector>

#include "payload/json_writer.h"
#include "providers/finish_reason.h"
#include "providers/gemini/usage.h"

namespace llmtap::providers::gemini {
namespace {

namespace dom = simdjson::dom;

std::string_view string_member(dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return value;
}

std::int64_t token_count(dom::object usage, std::string_view key) {
  std::int64_t n = 0;
  if (usage[key].get(n) != simdjson::SUCCESS || n < 0) return 0;
  return n;
}

Usage read_usage(dom::object usage) {
  Usage counts;
  counts.prompt_token_count = token_count(usage, "promptTokenCount");
  counts.candidates_token_count = token_count(usage, "candidatesTokenCount");
  counts.total_token_count = token_count(usage, "totalTokenCount");
  counts.cached_content_token_count = token_count(usage, "cachedContentTokenCount");
  counts.thoughts_token_count = token_count(usage, "thoughtsTokenCount");
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

void write_choice(payload::JsonWriter& w, std::int64_t index, const Message& message,
                  std::string_view finish_reason, std::string_view answer_id,
                  std::int64_t& call_index) {
  w.begin_object();
  w.key("index");
  w.integer(index);
  w.key("message");
  w.begin_object();
  w.key("role");
  w.string("assistant");
  w.key("content");
  if (message.has_text) {
    w.string(message.text);
  } else {
    w.null();
  }
  if (!message.calls.empty()) {
    w.key("tool_calls");
    w.begin_array();
    for (const FunctionCall& call : message.calls) {
      w.begin_object();
      w.key("id");
      w.string(tool_call_id(answer_id, call_index));
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
      w.integer(call_index++);
      w.end_object();
    }
    w.end_array();
  }
  if (message.has_reasoning) {
    w.key("reasoning_content");
    w.string(message.reasoning);
  }
  w.end_object();
  w.key("finish_reason");
  w.string(finish_reason);
  w.end_object();
}

}  // namespace

Result<std::string, AnswerProblem> to_chat_completion(std::string_view body,
                                                      const AnswerIdentity& identity) {
  thread_local dom::parser parser;
  simdjson::padded_string padded(body);
  dom::object answer;
  if (auto error = parser.parse(padded).get(answer)) {
    return AnswerProblem{
        fmt::format("the answer is not a JSON object ({})", simdjson::error_message(error))};
  }
  if (dom::element error_value; answer["error"].get(error_value) == simdjson::SUCCESS) {
    std::string_view text;
    if (error_value["message"].get(text) != simdjson::SUCCESS) text = "no message";
    return AnswerProblem{fmt::format("the answer is an error: {}", text)};
  }
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
  w.begin_object();
  w.key("id");
  w.string(identity.id);
  w.key("object");
  w.string("chat.completion");
  w.key("created");
  w.integer(identity.created);
  w.key("model");
  w.string(identity.model);
  w.key("choices");
  w.begin_array();
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
      write_choice(w, index, message, reason, identity.id, call_index);
    }
  }
  if (position == 0) {
    // A blocked prompt (or an empty candidate list): LiteLLM's content_filter with no content.
    write_choice(w, 0, Message{}, blocked ? "content_filter" : "stop", identity.id, call_index);
  }
  w.end_array();
  if (dom::object usage; answer["usageMetadata"].get(usage) == simdjson::SUCCESS) {
    w.key("usage");
    write_usage(w, read_usage(usage));
  }
  w.end_object();
  w.finish();
  return Result<std::string, AnswerProblem>(boost::system::in_place_value, std::move(out));
}

}  // namespace llmtap::providers::gemini
