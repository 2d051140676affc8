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

#include "base/result.h"
#include "payload/call_type.h"

namespace llmtap::payload {

struct RequestSummary {
  std::string model;           // unescaped "model"
  std::string_view model_raw;  // the "model" string token as it stands in the body, quotes included
  bool stream = false;         // "stream": true
  bool include_usage = false;  // "stream_options": {"include_usage": true}
  std::string_view
      input_raw;  // raw JSON of "messages" (chat), "prompt" (text), "input" (embeddings)
  std::string_view metadata_raw;  // raw JSON of "metadata" (object), empty when absent
  std::string_view user_raw;      // raw JSON of "user" (a string), empty when absent or null
  // Raw JSON of "metadata"."tags" when an array of strings, else empty. The gateway points it at
  // the full request_tags (request_tags_json()) before the record is built.
  std::string_view tags_raw;
  // Every other top-level key with its raw JSON value, in body order (model_parameters). Keys are
  // the raw bytes between the key's quotes (still JSON-escaped, identical for plain keys).
  // "stream", "stream_options" and a string "user" are parameters too; model, the input key and
  // metadata are not.
  std::vector<std::pair<std::string_view, std::string_view>> parameters;
  // The top-level keys that are LiteLLM's own per-request switches rather than OpenAI parameters
  // (is_litellm_parameter()), same form as `parameters`: LiteLLM leaves them out of
  // model_parameters.
  std::vector<std::pair<std::string_view, std::string_view>> litellm_parameters;
};

// Whether a top-level body key is one of LiteLLM's request switches (turn_off_message_logging,
// litellm_metadata, mock_response, tags, fallbacks, num_retries, any litellm_* key…), which
// LiteLLM consumes itself and never records among model_parameters.
bool is_litellm_parameter(std::string_view key);

// request_tags as LiteLLM's proxy records them, as a JSON array: the body's metadata.tags
// (`metadata_tags_raw`, a JSON array of strings or empty); then the request's own tags — the body's
// top-level "tags" array (`body_tags_raw`) when given, else the comma-separated `x-litellm-tags`
// header, each trimmed, empty ones skipped — those not already present; then, for a non-blank
// User-Agent, "User-Agent: <part before the first '/'>" (only when it has a '/') and
// "User-Agent: <whole value>".
std::string request_tags_json(std::string_view metadata_tags_raw, std::string_view body_tags_raw,
                              std::string_view tags_header, std::string_view user_agent);

struct RequestParseError {
  std::string message;  // for the client's 400, e.g. "'messages' must be an array"
  std::string param;    // the offending key, or empty
};

// Parses `body` for a call of `type`. Returns the summary or why the request is invalid:
// not JSON / not an object, invalid UTF-8, missing or non-string model, wrong type for
// messages/prompt/input/stream.
Result<RequestSummary, RequestParseError> parse_request(std::string_view body, CallType type);

}  // namespace llmtap::payload
