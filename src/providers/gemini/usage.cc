#include "providers/gemini/usage.h"

#include "payload/json_writer.h"

namespace llmtap::providers::gemini {

void write_usage(payload::JsonWriter& w, const Usage& usage) {
  std::int64_t completion = usage.candidates_token_count;
  if (usage.thoughts_token_count > 0 &&
      usage.prompt_token_count + usage.candidates_token_count != usage.total_token_count) {
    completion += usage.thoughts_token_count;
  }
  w.begin_object();
  w.key("prompt_tokens");
  w.integer(usage.prompt_token_count);
  w.key("completion_tokens");
  w.integer(completion);
  w.key("total_tokens");
  w.integer(usage.total_token_count);
  w.key("prompt_tokens_details");
  w.begin_object();
  w.key("cached_tokens");
  w.integer(usage.cached_content_token_count);
  w.end_object();
  w.key("completion_tokens_details");
  w.begin_object();
  w.key("reasoning_tokens");
  w.integer(usage.thoughts_token_count);
  w.end_object();
  w.end_object();
}

std::string tool_call_id(std::string_view answer_id, std::int64_t index) {
  // Two FNV-1a hashes (different offsets) of the id and the index: 32 hex digits, 28 kept.
  auto fnv = [&](std::uint64_t hash) {
    for (char c : answer_id) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
    for (int i = 0; i < 8; ++i) {
      hash ^= static_cast<std::uint64_t>(index) >> (8 * i) & 0xffU;
      hash *= 0x100000001b3ULL;
    }
    return hash;
  };
  const std::uint64_t halves[2] = {fnv(0xcbf29ce484222325ULL), fnv(0x84222325cbf29ce4ULL)};
  constexpr char kHex[] = "0123456789abcdef";
  std::string id = "call_";
  for (std::uint64_t half : halves) {
    for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(half >> shift) & 0xfU];
  }
  id.resize(5 + 28);
  return id;
}

}  // namespace llmtap::providers::gemini
