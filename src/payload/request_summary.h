// RequestSummary: one pass over an OpenAI-style request body (chat, text completion, embedding)
// that checks it and keeps views of the parts the gateway and the record need. The gateway parses
// once, routes on `model`, and hands the same summary to RecordBuilder — the body is never parsed
// twice.
//
// Views point into the body passed to parse_request() (`model` is an owned, unescaped copy), so a
// summary lives no longer than that body. Every byte of the body is validated (JSON syntax and
// UTF-8), so each raw view is a complete, valid JSON value. Thread-safe: parse_request() uses a
// per-thread parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payload/call_type.h"

namespace llmtap::payload {

struct RequestSummary {
  std::string model;              // unescaped "model"
  std::string_view model_raw;     // the "model" string token as it stands in the body, quotes included
  bool stream = false;            // "stream": true
  bool include_usage = false;     // "stream_options": {"include_usage": true}
  std::string_view input_raw;     // raw JSON of "messages" (chat), "prompt" (text), "input" (embeddings)
  std::string_view metadata_raw;  // raw JSON of "metadata" (object), empty when absent
  std::string_view user_raw;      // raw JSON of "user" (a string), empty when absent or null
  std::string_view tags_raw;      // raw JSON of "metadata"."tags" when an array of strings, else empty
  // Every other top-level key with its raw JSON value, in body order (model_parameters). Keys are
  // the raw bytes between the key's quotes (still JSON-escaped, identical for plain keys).
  // "stream" and "stream_options" are parameters too; model, the input key, metadata and user are not.
  std::vector<std::pair<std::string_view, std::string_view>> parameters;
};

struct RequestParseError {
  std::string message;  // for the client's 400, e.g. "'messages' must be an array"
  std::string param;    // the offending key, or empty
};

// Parses `body` for a call of `type`. Returns the summary or why the request is invalid:
// not JSON / not an object, invalid UTF-8, missing or non-string model, wrong type for
// messages/prompt/input/stream.
std::optional<RequestSummary> parse_request(std::string_view body, CallType type,
                                            RequestParseError* error);

}  // namespace llmtap::payload
