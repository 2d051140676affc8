#include "gateway/openai_json.h"

#include <fmt/format.h>

#include "payload/json_writer.h"

namespace llmtap::gateway {

std::string error_body(std::string_view message, std::string_view type, std::string_view param,
                       int status) {
  std::string out;
  out.reserve(96 + message.size());
  out += R"({"error":{"message":)";
  payload::JsonWriter(out).string(message);
  out += R"(,"type":)";
  payload::JsonWriter(out).string(type);
  out += R"(,"param":)";
  if (param.empty()) {
    out += "null";
  } else {
    payload::JsonWriter(out).string(param);
  }
  fmt::format_to(std::back_inserter(out), R"(,"code":"{}"}}}})", status);
  return out;
}

std::string mock_response_body(payload::CallType type, std::string_view model,
                               std::string_view content, std::string_view call_id,
                               std::int64_t created) {
  std::string out;
  out.reserve(320 + content.size() + model.size());
  auto it = std::back_inserter(out);
  switch (type) {
    case payload::CallType::completion:
      fmt::format_to(it, R"({{"id":"chatcmpl-{}","object":"chat.completion","created":{},"model":)",
                     call_id, created);
      payload::JsonWriter(out).string(model);
      out += R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)";
      payload::JsonWriter(out).string(content);
      out += R"(},"finish_reason":"stop"}])";
      break;
    case payload::CallType::text_completion:
      fmt::format_to(it, R"({{"id":"cmpl-{}","object":"text_completion","created":{},"model":)",
                     call_id, created);
      payload::JsonWriter(out).string(model);
      out += R"(,"choices":[{"index":0,"text":)";
      payload::JsonWriter(out).string(content);
      out += R"(,"logprobs":null,"finish_reason":"stop"}])";
      break;
    case payload::CallType::embedding:
      out += R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0,0.0,0.0]}],"model":)";
      payload::JsonWriter(out).string(model);
      fmt::format_to(it, R"(,"usage":{{"prompt_tokens":{},"total_tokens":{}}}}})", kMockPromptTokens,
                     kMockPromptTokens);
      return out;
  }
  fmt::format_to(it, R"(,"usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{}}}}})",
                 kMockPromptTokens, kMockCompletionTokens, kMockPromptTokens + kMockCompletionTokens);
  return out;
}

}  // namespace llmtap::gateway
