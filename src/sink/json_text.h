// append_json_string(): appends `text` as a quoted JSON string, for the few small JSON documents
// the sink and the mock upstream write themselves (answers, request logs); json_response() wraps
// such a document in an http::Response. Escaped by base/json_escape.h, so the text is valid JSON
// whatever bytes it is given (invalid UTF-8 becomes U+FFFD). Records themselves are never
// re-serialized.
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
