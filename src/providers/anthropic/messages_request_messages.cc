// to_messages_request()'s messages (messages_request_translator.h): system blocks, merged turns,
// user, tool and assistant messages and tool_use blocks, as LiteLLM's
// anthropic_messages_pt (litellm_core_utils/prompt_templates/factory.py) builds them.
#include <fmt/format.h>

#include <cstdint>

#include "payload/call_id.h"
#include "providers/anthropic/messages_request_translator.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::anthropic::detail {

// A part's or message's cache_control, copied when it is an object (add_cache_control_to_content).
void copy_cache_control(payload::JsonWriter& w, const dom::object* source) {
  dom::element cache_control;
  if (source == nullptr || (*source)["cache_control"].get(cache_control) != simdjson::SUCCESS ||
      !cache_control.is_object()) {
    return;
  }
  w.key("cache_control");
  copy_element(w, cache_control);
}

namespace {

// {"type":"text","text":…} with the source's cache_control: a system block or a message's.
void write_text_object(payload::JsonWriter& w, std::string_view text,
                       const dom::object* cache_source) {
  w.begin_object();
  w.key("type");
  w.string("text");
  w.key("text");
  w.string(text);
  copy_cache_control(w, cache_source);
  w.end_object();
}

}  // namespace

bool MessagesRequestTranslator::is_system_role(std::string_view role) {
  return role == "system" || role == "developer";  // developer: LiteLLM maps it to system
}

void MessagesRequestTranslator::system_block(std::string_view text, const dom::object* cache_source,
                                             bool& open) {
  if (!open) {
    w_.key("system");
    w_.begin_array();
    open = true;
  }
  write_text_object(w_, text, cache_source);
}

std::optional<RequestProblem> MessagesRequestTranslator::write_system() {
  bool open = false;
  for (dom::element element : messages_) {
    dom::object message;
    if (element.get(message) != simdjson::SUCCESS) {
      return bad_request("Invalid Message passed in: each message must be an object", "messages");
    }
    std::string_view role;
    if (message["role"].get(role) != simdjson::SUCCESS) {
      return bad_request("Invalid Message passed in: a message has no role", "messages");
    }
    if (!is_system_role(role)) {
      ++non_system_count_;
      continue;
    }
    dom::element content;
    if (message["content"].get(content) != simdjson::SUCCESS) continue;
    std::string_view text;
    dom::array parts;
    if (content.get(text) == simdjson::SUCCESS) {
      // Empty system text is skipped (Anthropic rejects empty blocks), and so is Claude Code's
      // billing-header line.
      if (text.empty() || text.starts_with("x-anthropic-billing-header:")) continue;
      system_block(text, &message, open);
    } else if (content.get(parts) == simdjson::SUCCESS) {
      for (dom::element part_element : parts) {
        dom::object part;
        if (part_element.get(part) != simdjson::SUCCESS) continue;
        if (string_member(part, "type") != "text") continue;
        const std::string_view part_text = string_member(part, "text");
        if (part_text.empty() || part_text.starts_with("x-anthropic-billing-header:")) continue;
        system_block(part_text, &part, open);
      }
    }
  }
  if (open) w_.end_array();
  if (non_system_count_ == 0) {
    return bad_request(
        "Anthropic requires at least one non-system message. Either provide one, or set "
        "`litellm.modify_params = True` // `litellm_settings::modify_params: True` to add the "
        "dummy user message - {'role': 'user', 'content': 'Please continue.'}.",
        "messages");
  }
  return std::nullopt;
}

// Opens the current turn's message before its first block; a turn with no block is not sent.
void MessagesRequestTranslator::open_message() {
  if (!message_open_) {
    if (!messages_open_) {
      w_.key("messages");
      w_.begin_array();
      messages_open_ = true;
    }
    w_.begin_object();
    w_.raw_members(turn_ == Turn::user ? R"("role":"user")" : R"("role":"assistant")");
    w_.key("content");
    w_.begin_array();
    message_open_ = true;
  }
}

void MessagesRequestTranslator::block_start() {
  open_message();
  w_.begin_object();
}

// A block that is already in Anthropic's shape (document parts, thinking blocks), copied whole.
void MessagesRequestTranslator::copy_block(dom::element block) {
  open_message();
  copy_element(w_, block);
}

void MessagesRequestTranslator::close_turn() {
  if (message_open_) {
    w_.end_array();
    w_.end_object();
    message_open_ = false;
  }
}

void MessagesRequestTranslator::text_block(std::string_view text, const dom::object* cache_source) {
  open_message();
  write_text_object(w_, text, cache_source);
}

void MessagesRequestTranslator::close_messages() {
  close_turn();
  if (messages_open_) {
    w_.end_array();
  } else {
    // Every turn came out empty: Anthropic still needs the key (and answers its own 400).
    w_.key("messages");
    w_.begin_array();
    w_.end_array();
  }
}

std::optional<RequestProblem> MessagesRequestTranslator::write_messages() {
  // The last run of assistant messages is the final message, whose text Anthropic rejects with
  // trailing whitespace: find where it starts.
  std::size_t index = 0;
  std::size_t final_run_start = SIZE_MAX;
  for (dom::element element : messages_) {
    const std::string_view role = string_member(dom::object(element), "role");
    if (is_system_role(role)) {
      ++index;
      continue;
    }
    if (role == "assistant") {
      if (final_run_start == SIZE_MAX) final_run_start = index;
    } else {
      final_run_start = SIZE_MAX;
    }
    ++index;
  }

  index = 0;
  for (dom::element element : messages_) {
    const dom::object message(element);
    const std::string_view role = string_member(message, "role");
    const std::size_t at = index++;
    if (is_system_role(role)) continue;
    const Turn turn = role == "assistant" ? Turn::assistant : Turn::user;
    if (turn != turn_) {
      close_turn();
      turn_ = turn;
    }
    if (role == "user") {
      if (auto problem = user_message(message)) return problem;
    } else if (role == "tool" || role == "function") {
      if (auto problem = tool_result(message, role)) return problem;
    } else if (role == "assistant") {
      if (auto problem = assistant_message(message, at >= final_run_start)) return problem;
    } else {
      return bad_request(fmt::format("Invalid Message passed in: role '{}' is not supported", role),
                         "messages");
    }
  }
  close_messages();
  return std::nullopt;
}

std::optional<RequestProblem> MessagesRequestTranslator::user_message(dom::object message) {
  dom::element content;
  if (message["content"].get(content) != simdjson::SUCCESS) return std::nullopt;
  std::string_view text;
  dom::array parts;
  if (content.get(text) == simdjson::SUCCESS) {
    text_block(text, &message);
    return std::nullopt;
  }
  if (content.get(parts) != simdjson::SUCCESS) return std::nullopt;
  for (dom::element part_element : parts) {
    dom::object part;
    if (part_element.get(part) != simdjson::SUCCESS) continue;
    const std::string_view type = string_member(part, "type");
    if (type == "text") {
      text_block(string_member(part, "text"), &part);
    } else if (type == "image_url") {
      if (auto problem = image_block(part, &part, false)) return problem;
    } else if (type == "document") {
      copy_block(part_element);
    } else if (type == "file") {
      if (auto problem = file_block(part)) return problem;
    }
    // Other part types (input_audio…) are not sent; LiteLLM drops unknown ones too.
  }
  return std::nullopt;
}

std::optional<RequestProblem> MessagesRequestTranslator::tool_result(dom::object message,
                                                                     std::string_view role) {
  has_tool_calls_ = true;  // a tool result needs tools as much as a tool call does
  std::string_view tool_call_id = string_member(message, "tool_call_id");
  payload::CallId generated;
  if (tool_call_id.empty()) {
    if (role == "tool") {
      return bad_request("Invalid Message passed in: a tool message has no tool_call_id",
                         "messages");
    }
    generated = payload::new_call_id();  // role "function": LiteLLM makes a uuid4
    tool_call_id = generated.view();
  }
  block_start();
  w_.key("type");
  w_.string("tool_result");
  w_.key("tool_use_id");
  w_.string(tool_call_id);
  w_.key("content");
  dom::element content;
  std::string_view text;
  dom::array parts;
  const bool present = message["content"].get(content) == simdjson::SUCCESS;
  if (present && content.get(text) == simdjson::SUCCESS) {
    w_.string(text);
  } else if (present && content.get(parts) == simdjson::SUCCESS) {
    w_.begin_array();
    for (dom::element part_element : parts) {
      dom::object part;
      if (part_element.get(part) != simdjson::SUCCESS) continue;
      const std::string_view type = string_member(part, "type");
      if (type == "text") {
        w_.begin_object();
        w_.key("type");
        w_.string("text");
        w_.key("text");
        w_.string(string_member(part, "text"));
        w_.end_object();
      } else if (type == "image_url") {
        if (auto problem = image_block(part, nullptr, true)) return problem;
      }
    }
    w_.end_array();
  } else {
    w_.string("");
  }
  copy_cache_control(w_, &message);
  w_.end_object();
  return std::nullopt;
}

std::optional<RequestProblem> MessagesRequestTranslator::assistant_message(dom::object message,
                                                                           bool final) {
  dom::array thinking_blocks;
  if (message["thinking_blocks"].get(thinking_blocks) == simdjson::SUCCESS) {
    // Thinking goes first, or Anthropic rejects the turn.
    for (dom::element block : thinking_blocks) copy_block(block);
  }
  dom::element content;
  std::string_view text;
  dom::array parts;
  const bool present = message["content"].get(content) == simdjson::SUCCESS;
  if (present && content.get(parts) == simdjson::SUCCESS) {
    for (dom::element part_element : parts) {
      dom::object part;
      if (part_element.get(part) != simdjson::SUCCESS) continue;
      const std::string_view type = string_member(part, "type");
      if (type == "thinking" && !string_member(part, "thinking").empty()) {
        copy_block(part_element);
      } else if (type == "text") {
        std::string_view part_text = string_member(part, "text");
        if (final) part_text = rstrip(part_text);
        if (!part_text.empty()) text_block(part_text, &part);  // empty blocks are rejected
      }
    }
  } else if (present && content.get(text) == simdjson::SUCCESS) {
    if (final) text = rstrip(text);
    if (!text.empty()) text_block(text, &message);
  }

  dom::array tool_calls;
  if (message["tool_calls"].get(tool_calls) == simdjson::SUCCESS) {
    has_tool_calls_ = true;
    for (dom::element call_element : tool_calls) {
      dom::object call;
      if (call_element.get(call) != simdjson::SUCCESS) continue;
      if (string_member(call, "type") != "function") continue;
      dom::object function;
      if (call["function"].get(function) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: a tool call has no function", "messages");
      }
      if (auto problem = tool_use(string_member(call, "id"), function, &call)) return problem;
    }
  } else if (has_member(message, "tool_calls")) {
    has_tool_calls_ = true;
  }
  dom::object function_call;
  if (message["function_call"].get(function_call) == simdjson::SUCCESS) {
    const payload::CallId id = payload::new_call_id();  // LiteLLM gives it a uuid4
    if (auto problem = tool_use(id.view(), function_call, nullptr, true)) return problem;
  }
  return std::nullopt;
}

// A tool call as a tool_use block; its arguments (a JSON string) become `input` as they are,
// once they parse. `legacy`: a function_call, whose empty arguments mean {}.
std::optional<RequestProblem> MessagesRequestTranslator::tool_use(std::string_view id,
                                                                  dom::object function,
                                                                  const dom::object* cache_source,
                                                                  bool legacy) {
  std::string_view arguments;
  dom::element arguments_element;
  if (function["arguments"].get(arguments_element) == simdjson::SUCCESS) {
    if (arguments_element.get(arguments) != simdjson::SUCCESS && !legacy) {
      return bad_request(
          fmt::format("Invalid Message passed in: the arguments of tool call '{}' are not a "
                      "JSON string",
                      id),
          "messages");
    }
  } else if (!legacy) {
    return bad_request(
        fmt::format("Invalid Message passed in: tool call '{}' has no arguments", id), "messages");
  }
  arguments = payload::trim_json_space(arguments);
  while (!arguments.empty() && is_space(arguments.front())) arguments.remove_prefix(1);
  if (legacy && arguments.empty()) arguments = "{}";
  dom::element parsed;
  if (auto error = parsers_.arguments.parse(arguments, parsed)) {
    // json.loads() fails, and so does LiteLLM's request.
    return bad_request(fmt::format("Invalid Message passed in: the arguments of tool call '{}' "
                                   "are not valid JSON ({}): {}",
                                   id, simdjson::error_message(error), arguments),
                       "messages");
  }
  block_start();
  w_.key("type");
  w_.string("tool_use");
  w_.key("id");
  w_.string(id);
  w_.key("name");
  w_.string(string_member(function, "name"));
  w_.key("input");
  w_.raw(arguments);
  copy_cache_control(w_, cache_source);
  w_.end_object();
  return std::nullopt;
}

}  // namespace llmtap::providers::anthropic::detail
