#include "gateway/message_redaction.h"

#include <simdjson.h>

#include "base/ascii.h"

namespace llmtap::gateway {
namespace {

constexpr std::string_view kParameter = "turn_off_message_logging";

// A JSON value as LiteLLM reads this flag: a boolean, or a string "true"/"false" in any case.
std::optional<bool> flag_value(simdjson::dom::element value) {
  bool flag = false;
  if (!value.get_bool().get(flag)) return flag;
  std::string_view text;
  if (value.get_string().get(text)) return std::nullopt;
  if (ascii::iequals(text, "true")) return true;
  if (ascii::iequals(text, "false")) return false;
  return std::nullopt;
}

std::optional<bool> flag_in(std::string_view raw_json, bool inside_object) {
  if (raw_json.empty()) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(raw_json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root)) return std::nullopt;
  if (!inside_object) return flag_value(root);
  simdjson::dom::element value;
  if (root.get_object()[kParameter].get(value)) return std::nullopt;
  return flag_value(value);
}

}  // namespace

std::optional<bool> body_turn_off_message_logging(const payload::RequestSummary& summary) {
  std::string_view top_level;
  std::string_view litellm_metadata;
  for (const auto& [key, value] : summary.litellm_parameters) {
    if (key == kParameter) top_level = value;
    if (key == "litellm_metadata") litellm_metadata = value;
  }
  if (auto flag = flag_in(top_level, false)) return flag;
  if (auto flag = flag_in(summary.metadata_raw, true)) return flag;
  return flag_in(litellm_metadata, true);
}

bool redact_messages(bool global, const http::Request& request,
                     const payload::RequestSummary* summary) {
  if (!request.header("litellm-disable-message-redaction").empty()) return false;
  if (summary != nullptr) {
    if (auto flag = body_turn_off_message_logging(*summary)) return *flag;
  }
  if (!request.header("x-litellm-enable-message-redaction").empty() ||
      !request.header("litellm-enable-message-redaction").empty()) {
    return true;
  }
  return global;
}

}  // namespace llmtap::gateway
