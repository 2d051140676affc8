// to_messages_request()'s fast path (messages_request_translator.h): messages that are all
// {role, content: string} with role system, developer, user or assistant — what most chat
// requests are. They are read in one on-demand pass, without the DOM, and each text goes out as
// the client's JSON token (escapes kept; simdjson has checked the document's UTF-8 and
// get_string() the escapes), so it is neither unescaped nor escaped again. The body is the one
// messages_request_messages.cc writes for the same messages: system blocks, turns merged by role,
// empty assistant texts left out.
//
// Anything else — another key or role, a content that is not a string, a final assistant text
// with trailing whitespace (rstripped there), no message but system ones, bad JSON — makes
// read_plain_messages() return false before anything is written, and the general path decides.
#include "providers/anthropic/messages_request_translator.h"
#include "providers/json/ondemand_read.h"

namespace llmtap::providers::anthropic::detail {
namespace {

using Role = PlainMessage::Role;

bool read_role(std::string_view role, Role& out) {
  if (role == "system" || role == "developer") {  // developer: LiteLLM maps it to system
    out = Role::system;
  } else if (role == "user") {
    out = Role::user;
  } else if (role == "assistant") {
    out = Role::assistant;
  } else {
    return false;
  }
  return true;
}

// {"role", "content"} once each, in either order, the content a string; false for anything else.
bool read_message(od::value value, PlainMessage& message) {
  od::object object;
  bool present = false;
  if (!read_object(value, object, present) || !present) return false;
  bool has_role = false;
  bool has_content = false;
  const bool read = for_each_member(object, [&](std::string_view key, od::value member) {
    if (key == "role" && !has_role) {
      has_role = true;
      std::string_view role;
      return read_string(member, role, present) && present && read_role(role, message.role);
    }
    if (key == "content" && !has_content) {
      has_content = true;
      // The token runs up to the next one: drop the whitespace after the closing quote.
      const std::string_view raw = member.raw_json_token();
      message.token = raw.substr(0, raw.rfind('"') + 1);
      if (message.token.size() < 2 || message.token.front() != '"') return false;
      // Without a backslash the token's inside is the text (its UTF-8 and the absence of control
      // characters checked by the parse); with one, get_string() checks the escapes and unescapes.
      if (message.token.find('\\') == std::string_view::npos) {
        message.text = message.token.substr(1, message.token.size() - 2);
        return true;
      }
      return member.get_string().get(message.text) == simdjson::SUCCESS;
    }
    return false;
  });
  return read && has_role && has_content;
}

// {"type":"text","text":<token>}
void write_text_token(payload::JsonWriter& w, std::string_view token) {
  w.begin_object();
  w.raw_members(R"("type":"text")");
  w.key("text");
  w.raw(token);
  w.end_object();
}

}  // namespace

bool MessagesRequestTranslator::read_plain_messages() {
  std::vector<PlainMessage>& messages = parsers_.plain_messages;
  messages.clear();
  od::document document;
  od::array array;
  if (parsers_.plain.iterate(summary_.input_raw, document) != simdjson::SUCCESS ||
      document.get_array().get(array) != simdjson::SUCCESS) {
    return false;
  }
  const bool read = for_each_element(
      array, [&](od::value value) { return read_message(value, messages.emplace_back()); });
  // Nothing can follow the array: input_raw is the one value parse_request() scanned.
  if (!read) return false;

  // The last run of assistant messages is the final message, whose text the general path
  // rstrips: a text with trailing whitespace is left to it.
  bool any_turn = false;
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->role == Role::system) continue;
    if (it->role != Role::assistant) break;
    if (rstrip(it->text).size() != it->text.size()) return false;
  }
  for (const PlainMessage& message : messages) any_turn = any_turn || message.role != Role::system;
  return any_turn;  // none: the general path answers Anthropic's 400
}

void MessagesRequestTranslator::write_plain_messages() {
  bool open = false;
  for (const PlainMessage& message : parsers_.plain_messages) {
    // Empty system text is skipped (Anthropic rejects empty blocks), and so is Claude Code's
    // billing-header line.
    if (message.role != Role::system || message.text.empty() ||
        message.text.starts_with("x-anthropic-billing-header:")) {
      continue;
    }
    if (!open) {
      w_.key("system");
      w_.begin_array();
      open = true;
    }
    write_text_token(w_, message.token);
  }
  if (open) w_.end_array();

  for (const PlainMessage& message : parsers_.plain_messages) {
    if (message.role == Role::system) continue;
    const Turn turn = message.role == Role::assistant ? Turn::assistant : Turn::user;
    if (turn != turn_) {
      close_turn();
      turn_ = turn;
    }
    // A user text goes out even when empty (Anthropic answers its own 400); an empty assistant
    // text is left out.
    if (turn == Turn::assistant && message.text.empty()) continue;
    open_message();
    write_text_token(w_, message.token);
  }
  close_messages();
}

}  // namespace llmtap::providers::anthropic::detail
