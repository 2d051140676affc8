// append_json_string(): appends `text` as a quoted JSON string, for the few small JSON documents
// the sink and the mock upstream write themselves (answers, request logs); json_response() wraps
// such a document in an http::Response. Bytes >= 0x80 are
// copied as they are (header values and bodies seen in tests are UTF-8); control characters are
// escaped as \u00XX. Records themselves are never re-serialized.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace llmtap::sink {

void append_json_string(std::string& out, std::string_view text);
std::string json_string(std::string_view text);

// A response with `Content-Type: application/json` and `body`.
http::Response json_response(int status, std::string body);

}  // namespace llmtap::sink
