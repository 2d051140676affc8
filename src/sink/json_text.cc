#include "sink/json_text.h"

#include "base/json_escape.h"

namespace llmtap::sink {

void append_json_string(std::string& out, std::string_view text) { json::append_quoted(out, text); }

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

http::Response json_response(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.headers.push_back({"Content-Type", "application/json"});
  response.body = std::move(body);
  return response;
}

}  // namespace llmtap::sink
