// The pieces of OpenAI `chat.completion.chunk` events every stream translator appends the same
// way, as LiteLLM's CustomStreamWrapper sends them: the chunk prefix (`data: {"id":…,"object":
// "chat.completion.chunk","created":…,"model":…,"choices":`, built once per stream and copied
// before each chunk) and the normal ending — the finish chunk (empty delta and finish_reason),
// the usage-only chunk (`"choices":[]`, always: the relay drops it when the client did not ask
// for usage), then `data: [DONE]` — and the error event a native error becomes
// (`data: {"error":{"message","type","param":null,"code":"<status>"}}`, as LiteLLM's proxy writes
// a mid-stream exception).
//
// Appends to caller-owned strings; pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "payload/json_writer.h"
#include "providers/upstream_error.h"

namespace llmtap::providers {

// An integer's decimal digits.
void append_integer(std::string& out, std::int64_t value);

// `data: {"id":<id>,"object":"chat.completion.chunk","created":<created>,"model":` — the prefix
// up to the model, which a translator may learn later (Anthropic's message_start names it).
void append_chunk_head(std::string& prefix, std::string_view id, std::int64_t created);

// `,"choices":`: the prefix's end, after the model's JSON string.
void append_chunk_choices_key(std::string& prefix);

// `<prefix>[{"index":0,"delta":{` and, on a stream's first delta (`role_sent` false, then set),
// `"role":"assistant",`: the opening of a content chunk, whose delta members the caller appends.
void append_delta_head(std::string& out, std::string_view prefix, bool& role_sent);

// `},"finish_reason":null}]}` and the blank line: the end of a chunk append_delta_head() opened.
void append_delta_end(std::string& out);

// `<prefix>[{"index":0,"delta":{},"finish_reason":"<reason>"}]}` and the blank line.
void append_finish_chunk(std::string& out, std::string_view prefix, std::string_view reason);

// `data: {"error":{"message":<message>,"type":<type>,"param":null,"code":"<status>"}}` and the
// blank line.
void append_error_event(std::string& out, const UpstreamError& error);

// The finish chunk, then `<prefix>[],"usage":<usage>}`, then `data: [DONE]`. `write_usage(w)`
// writes the usage object's value (the provider's usage.h).
template <typename WriteUsage>
void append_stream_end(std::string& out, std::string_view prefix, std::string_view reason,
                       WriteUsage write_usage) {
  append_finish_chunk(out, prefix, reason);
  out.append(prefix);
  out.append(R"([],"usage":)");
  {
    payload::JsonWriter w(out);
    write_usage(w);
  }
  out.append("}\n\ndata: [DONE]\n\n");
}

}  // namespace llmtap::providers
