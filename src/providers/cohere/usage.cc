#include "providers/cohere/usage.h"

#include "payload/json_writer.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::cohere {

Usage read_usage(simdjson::dom::object usage) {
  Usage counts;
  simdjson::dom::object tokens;
  if (usage["tokens"].get(tokens) == simdjson::SUCCESS) {
    counts.input_tokens = count_member(tokens, "input_tokens");
    counts.output_tokens = count_member(tokens, "output_tokens");
  }
  return counts;
}

void write_usage(payload::JsonWriter& w, const Usage& usage) {
  w.begin_object();
  w.key("prompt_tokens");
  w.integer(usage.input_tokens);
  w.key("completion_tokens");
  w.integer(usage.output_tokens);
  w.key("total_tokens");
  w.integer(usage.input_tokens + usage.output_tokens);
  w.end_object();
}

}  // namespace llmtap::providers::cohere
