// PlainMessages: the fast path of the request translators for a chat request whose messages are
// all {role, content: string} with role system, developer, user or assistant — what most chat
// requests are. read() takes them in one on-demand pass, without a DOM, and keeps each text as
// the client's JSON token (escapes kept; simdjson has checked the document's UTF-8 and its
// control characters, and get_string() the escapes of a token that has a backslash), so a
// translator writes it as it came instead of unescaping it and escaping it again.
//
// Any other shape — another key or role, a content that is not a string, a duplicate key, bad
// JSON — makes read() return false: the translator's general path then decides, and names any
// problem. The messages (views into this object's copy of the input) are valid until the next
// read(). Not thread-safe: translators keep one thread_local.
#pragma once

#include <string_view>
#include <vector>

#include "providers/json/padded_ondemand_parser.h"

namespace llmtap::providers {

struct PlainMessage {
  enum class Role { system, user, assistant } role = Role::user;  // developer is system
  std::string_view token;  // the content's JSON token, quotes included, escapes kept
  std::string_view text;   // the same, unescaped
};

class PlainMessages {
 public:
  // Reads the raw JSON of "messages"; false (and no messages) when they are not all plain.
  bool read(std::string_view messages_raw);
  const std::vector<PlainMessage>& messages() const { return messages_; }

 private:
  PaddedOndemandParser parser_;
  std::vector<PlainMessage> messages_;
};

}  // namespace llmtap::providers
