#include "providers/json/plain_messages.h"

#include <simdjson.h>

#include "providers/json/ondemand_read.h"

namespace llmtap::providers {
namespace {

namespace od = simdjson::ondemand;
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
      // Without a backslash the token's inside is the text; with one, get_string() checks the
      // escapes and unescapes.
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

}  // namespace

bool PlainMessages::read(std::string_view messages_raw) {
  messages_.clear();
  od::document document;
  od::array array;
  if (parser_.iterate(messages_raw, document) != simdjson::SUCCESS ||
      document.get_array().get(array) != simdjson::SUCCESS) {
    return false;
  }
  // Nothing can follow the array: the raw JSON is the one value parse_request() scanned.
  const bool read = for_each_element(
      array, [&](od::value value) { return read_message(value, messages_.emplace_back()); });
  if (!read) messages_.clear();
  return read;
}

}  // namespace llmtap::providers
