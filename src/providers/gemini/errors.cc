#include "providers/gemini/errors.h"

#include <simdjson.h>

#include <cstdint>
#include <string>

namespace llmtap::providers::gemini {
namespace {

constexpr std::size_t kMaxMessage = 2048;

struct Classified {
  std::string_view error_class;
  int status;
};

// LiteLLM looks at the whole error text before the status; `text` is that text.
Classified classify(int status, std::int64_t code, std::string_view text) {
  const auto says = [&](std::string_view what) {
    return text.find(what) != std::string_view::npos;
  };
  if (says("400 Request payload size exceeds")) return {"ContextWindowExceededError", 400};
  if (says("API key not valid.")) return {"AuthenticationError", 401};
  if (says("The response was blocked.")) return {"ContentPolicyViolationError", 400};
  if (says("429 Quota exceeded") || says("Quota exceeded for") ||
      says("429 Unable to submit request because the service is temporarily out of capacity.")) {
    return {"RateLimitError", 429};
  }
  if (says("500 Internal Server Error") || says("The model is overloaded.")) {
    return {"InternalServerError", 500};
  }
  if (status >= 500 && code == 429) return {"RateLimitError", 429};
  return {error_class_for_status(status), status};
}

UpstreamError make(int status, std::int64_t code, std::string_view text, std::string_view message) {
  const Classified c = classify(status, code, text);
  UpstreamError error;
  error.status = c.status;
  error.type = openai_error_type_for_status(c.status);
  error.error_class = c.error_class;
  error.message = "VertexAIException - ";
  error.message.append(message.substr(0, kMaxMessage));
  return error;
}

}  // namespace

UpstreamError map_error(int status, std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  simdjson::dom::element doc;
  std::string_view message = body;
  std::int64_t code = 0;
  if (parser.parse(padded).get(doc) == simdjson::SUCCESS) {
    simdjson::dom::object error;
    std::string_view text;
    if (doc["error"].get(error) == simdjson::SUCCESS) {
      if (error["message"].get(text) == simdjson::SUCCESS) message = text;
      if (error["code"].get(code) != simdjson::SUCCESS) code = 0;
    } else if (doc["error"].get(text) == simdjson::SUCCESS) {
      message = text;
    }
  }
  return make(status, code, body.substr(0, 64 * kMaxMessage), message);
}

UpstreamError map_stream_error(int code, std::string_view status, std::string_view message) {
  const int http_status = code >= 400 && code <= 599 ? code : 500;
  std::string text;
  text.reserve(status.size() + 3 + message.size());
  if (!status.empty()) text.append(status).append(" - ");
  text.append(message);
  return make(http_status, code, text, text);
}

}  // namespace llmtap::providers::gemini
