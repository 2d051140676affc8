#include "gateway/openai_json.h"

#include <fmt/format.h>

#include <algorithm>

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
      out +=
          R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0,0.0,0.0]}],"model":)";
      payload::JsonWriter(out).string(model);
      fmt::format_to(it, R"(,"usage":{{"prompt_tokens":{},"total_tokens":{}}}}})",
                     kMockPromptTokens, kMockPromptTokens);
      return out;
  }
  fmt::format_to(
      it, R"(,"usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{}}}}})",
      kMockPromptTokens, kMockCompletionTokens, kMockPromptTokens + kMockCompletionTokens);
  return out;
}

namespace {

// Cuts `content` into up to `parts` pieces of about equal size, never inside a UTF-8 sequence.
std::vector<std::string_view> split_content(std::string_view content, std::size_t parts) {
  std::vector<std::string_view> pieces;
  const std::size_t step = std::max<std::size_t>(1, (content.size() + parts - 1) / parts);
  std::size_t at = 0;
  while (at < content.size()) {
    std::size_t end = std::min(content.size(), at + step);
    while (end < content.size() && (static_cast<unsigned char>(content[end]) & 0xC0) == 0x80) ++end;
    pieces.push_back(content.substr(at, end - at));
    at = end;
  }
  if (pieces.empty()) pieces.emplace_back();
  return pieces;
}

}  // namespace

std::vector<std::string> mock_stream_events(payload::CallType type, std::string_view model,
                                            std::string_view content, std::string_view call_id,
                                            std::int64_t created) {
  constexpr std::size_t kPieces = 3;
  const bool chat = type == payload::CallType::completion;
  std::string head;
  fmt::format_to(std::back_inserter(head),
                 R"(data: {{"id":"{}{}","object":"{}","created":{},"model":)",
                 chat ? "chatcmpl-" : "cmpl-", call_id,
                 chat ? "chat.completion.chunk" : "text_completion", created);
  payload::JsonWriter(head).string(model);

  std::vector<std::string> events;
  bool first = true;
  for (std::string_view piece : split_content(content, kPieces)) {
    std::string event = head;
    if (chat) {
      event += first ? R"(,"choices":[{"index":0,"delta":{"role":"assistant","content":)"
                     : R"(,"choices":[{"index":0,"delta":{"content":)";
      payload::JsonWriter(event).string(piece);
      event += R"(},"finish_reason":null}]})";
    } else {
      event += R"(,"choices":[{"index":0,"text":)";
      payload::JsonWriter(event).string(piece);
      event += R"(,"logprobs":null,"finish_reason":null}]})";
    }
    event += "\n\n";
    events.push_back(std::move(event));
    first = false;
  }
  events.push_back(
      head +
      (chat ? R"(,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
            : R"(,"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"stop"}]})") +
      "\n\n");
  std::string usage = head;
  fmt::format_to(
      std::back_inserter(usage),
      R"(,"choices":[],"usage":{{"prompt_tokens":{},"completion_tokens":{},"total_tokens":{}}}}})",
      kMockPromptTokens, kMockCompletionTokens, kMockPromptTokens + kMockCompletionTokens);
  usage += "\n\n";
  events.push_back(std::move(usage));
  events.emplace_back("data: [DONE]\n\n");
  return events;
}

}  // namespace llmtap::gateway
