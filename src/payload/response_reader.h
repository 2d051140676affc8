// read_response: what a record needs from an upstream's JSON answer (id, usage, the object's own
// bytes, or a copy without vectors / message content), read in one validating walk.
//
// The gateway reads the facts before it answers the client — a 2xx whose body is not a JSON object
// becomes a 502 — and hands them to the record builder through CallInfo, so a successful answer is
// walked once. Without them the builder reads the body itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace llmtap::payload {

// How the facts are read; the builder uses precomputed facts only when these match its own.
struct ResponseReadOptions {
  bool drop_vectors = false;  // embeddings: data[] without each "embedding"
  bool redact = false;        // choices[] with message / text replaced by LiteLLM's marker
  bool operator==(const ResponseReadOptions&) const = default;
};

struct ResponseFacts {
  ResponseReadOptions options;
  bool valid = false;          // a JSON object, fully validated
  std::string_view problem;    // why not (static text), when !valid
  bool repaired = false;       // the body held invalid UTF-8; the facts describe a repaired copy
  std::string_view id_raw;     // "id" as a raw JSON string token
  std::string_view usage_raw;  // "usage" as raw JSON
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = -1;  // -1: not given, use prompt + completion
  // Prompt tokens read from / written to the provider's prompt cache, counted in prompt_tokens
  // too: usage.prompt_tokens_details.cached_tokens / cache_creation_tokens (OpenAI's and
  // LiteLLM's shape), else usage.cache_read_input_tokens / cache_creation_input_tokens.
  std::int64_t cache_read_tokens = 0;
  std::int64_t cache_creation_tokens = 0;
  std::string_view json;  // the object's bytes, when emitted unchanged
  std::string rewritten;  // the object without vectors / content, when that was asked for
  // Owns the bytes the views point into when the body needed repair (a stable address: the
  // facts may be moved).
  std::unique_ptr<std::string> repaired_body;
};

// The views in the result point into `body` (or into repaired_body), never into a parser's buffer:
// they stay valid as long as `body`'s bytes do.
ResponseFacts read_response(std::string_view body, ResponseReadOptions options);

}  // namespace llmtap::payload
