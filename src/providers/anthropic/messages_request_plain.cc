// to_messages_request()'s fast path (messages_request_translator.h): messages that are all
// {role, content: string}, read by PlainMessages (providers/json/plain_messages.h) without a DOM,
// each text written as the client's JSON token, neither unescaped nor escaped again. The body is
// the one messages_request_messages.cc writes for the same messages: system blocks, turns merged
// by role, empty assistant texts left out.
//
// Anything else — a shape PlainMessages does not take, a final assistant text with trailing
// whitespace (rstripped there), no message but system ones — makes read_plain_messages() return
// false before anything is written, and the general path decides.
#include "providers/anthropic/messages_request_translator.h"

namespace llmtap::providers::anthropic::detail {
namespace {

using Role = PlainMessage::Role;

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
  if (!parsers_.plain.read(summary_.input_raw)) return false;
  const std::vector<PlainMessage>& messages = parsers_.plain.messages();

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
  for (const PlainMessage& message : parsers_.plain.messages()) {
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

  for (const PlainMessage& message : parsers_.plain.messages()) {
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
