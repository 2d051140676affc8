// Cohere's usage as OpenAI's `usage` object, written the one way LiteLLM's CohereV2ChatConfig
// writes it, for both the chat.completion answer (chat_answer.h) and the stream's usage chunk
// (stream_translator.h), so a stream and a whole answer log the same:
//   prompt_tokens = usage.tokens.input_tokens, completion_tokens = usage.tokens.output_tokens,
//   total_tokens = their sum (absent counts 0). usage.billed_units — what Cohere bills, smaller
//   than what it tokenized — is not what LiteLLM reads.
//
// Pure functions; thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>

namespace llmtap::payload {
class JsonWriter;
}  // namespace llmtap::payload

namespace llmtap::providers::cohere {

struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;

  friend bool operator==(const Usage&, const Usage&) = default;
};

// The counts in a Cohere `usage` object (the answer's, or a message-end delta's).
Usage read_usage(simdjson::dom::object usage);

// Writes the usage object (the value only: the caller writes the "usage" key before it).
void write_usage(payload::JsonWriter& w, const Usage& usage);

}  // namespace llmtap::providers::cohere
