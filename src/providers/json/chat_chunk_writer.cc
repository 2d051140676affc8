#include "providers/json/chat_chunk_writer.h"

#include <charconv>

#include "base/json_escape.h"

namespace llmtap::providers {

void append_integer(std::string& out, std::int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

void append_chunk_head(std::string& prefix, std::string_view id, std::int64_t created) {
  prefix.append(R"(data: {"id":)");
  json::append_quoted(prefix, id);
  prefix.append(R"(,"object":"chat.completion.chunk","created":)");
  append_integer(prefix, created);
  prefix.append(R"(,"model":)");
}

void append_chunk_choices_key(std::string& prefix) { prefix.append(R"(,"choices":)"); }

void append_delta_head(std::string& out, std::string_view prefix, bool& role_sent) {
  out.append(prefix);
  out.append(R"([{"index":0,"delta":{)");
  if (!role_sent) {
    out.append(R"("role":"assistant",)");
    role_sent = true;
  }
}

void append_delta_end(std::string& out) {
  out.append(R"(},"finish_reason":null}]})"
             "\n\n");
}

void append_finish_chunk(std::string& out, std::string_view prefix, std::string_view reason) {
  out.append(prefix);
  out.append(R"([{"index":0,"delta":{},"finish_reason":")");
  out.append(reason);
  out.append("\"}]}\n\n");
}

void append_error_event(std::string& out, const UpstreamError& error) {
  out.append(R"(data: {"error":{"message":)");
  json::append_quoted(out, error.message);
  out.append(R"(,"type":)");
  json::append_quoted(out, error.type);
  out.append(R"(,"param":null,"code":")");
  append_integer(out, error.status);
  out.append("\"}}\n\n");
}

}  // namespace llmtap::providers
