// StreamAssembler: builds, chunk by chunk, the non-streamed completion a stream adds up to — the
// `response` of a stream's record (README "The record"), shaped like OpenAI's non-streamed answer
// so that RecordBuilder reads its id and usage unchanged.
//
// add() takes the JSON of one SSE data event as it passes through the gateway (never the whole
// stream at the end): id, model, created, system_fingerprint are kept from the first chunk that
// has them; per choice, chat `delta.content` / text-completion `text` is concatenated, the last
// non-null finish_reason kept and tool-call deltas merged by index; a `usage` object is kept.
// Strings are concatenated still JSON-escaped (each chunk validated first), so nothing is
// unescaped and re-escaped.
//
// Bounded: at most kMaxChoices choices and kMaxToolCalls tool calls per choice; the content is
// bounded by the stream itself (the upstream client's response limit). Not thread-safe: one per
// stream, used from one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "payload/call_type.h"

namespace llmtap::gateway {

// What one chunk turned out to be.
struct ChunkFacts {
  bool parsed = false;       // a JSON object we could read
  bool has_choices = false;  // a non-empty "choices" array (a token chunk)
  bool usage_only = false;   // no choices but a "usage" object: the include_usage chunk
  bool error = false;        // an "error" object (an upstream error sent mid-stream)
};

class StreamAssembler {
 public:
  static constexpr std::size_t kMaxChoices = 16;
  static constexpr std::size_t kMaxToolCalls = 64;

  explicit StreamAssembler(payload::CallType type) : type_(type) {}

  // Reads one chunk (the data of one SSE event, "[DONE]" excluded).
  ChunkFacts add(std::string_view json);

  // The completion so far as OpenAI's non-streamed JSON object.
  std::string response_json() const;

  std::size_t chunks() const { return chunks_; }
  bool has_usage() const { return !usage_.empty(); }
  std::string_view usage_raw() const { return usage_; }
  // Raw JSON of the last "error" object an upstream sent inside the stream, if any.
  std::string_view error_raw() const { return error_; }
  // Bytes of (escaped) content received over all choices.
  std::size_t content_bytes() const;
  // The start of choice 0's content, still JSON-escaped, at most `max` bytes (for error texts).
  std::string_view content_excerpt(std::size_t max) const;

 private:
  struct ToolCall {
    std::string id_raw;  // JSON string token, quotes included
    std::string type_raw;
    std::string name_raw;
    std::string arguments;  // escaped string content, no quotes
  };
  struct Choice {
    bool seen = false;
    std::string content;  // escaped string content, no quotes
    bool has_content = false;
    std::string finish_raw;  // JSON token of the last non-null finish_reason
    std::vector<ToolCall> tool_calls;
  };

  payload::CallType type_;
  std::size_t chunks_ = 0;
  std::string id_raw_;
  std::string model_raw_;
  std::string created_raw_;
  std::string fingerprint_raw_;
  std::string usage_;
  std::string error_;
  std::vector<Choice> choices_;
};

}  // namespace llmtap::gateway
