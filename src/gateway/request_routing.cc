#include "gateway/request_routing.h"

#include <simdjson.h>

#include <string>

#include "config/validators.h"

namespace llmtap::gateway {
namespace {

// The fallbacks list: ["gpt-4o", …] or [{"model": "gpt-4o", "messages": …}, …] (LiteLLM takes
// both; the per-model overrides of the second form are not applied here).
std::vector<std::string> fallback_groups(simdjson::dom::element value) {
  std::vector<std::string> groups;
  simdjson::dom::array list;
  if (value.get_array().get(list) != simdjson::SUCCESS) return groups;
  for (simdjson::dom::element item : list) {
    std::string_view name;
    if (item.get_string().get(name) == simdjson::SUCCESS ||
        item["model"].get_string().get(name) == simdjson::SUCCESS) {
      groups.emplace_back(name);
    }
  }
  return groups;
}

}  // namespace

router::AttemptPlan::Request request_routing(
    std::string_view group,
    const std::vector<std::pair<std::string_view, std::string_view>>& litellm_parameters) {
  router::AttemptPlan::Request request;
  request.group = group;
  for (const auto& [key, raw] : litellm_parameters) {
    if (key != "num_retries" && key != "fallbacks" && key != "disable_fallbacks") continue;
    // A few bytes each: the DOM parser is simplest, and it runs only for requests that set them.
    simdjson::dom::parser parser;
    simdjson::dom::element value;
    if (parser.parse(raw.data(), raw.size()).get(value) != simdjson::SUCCESS) continue;
    if (key == "num_retries") {
      std::int64_t n = -1;
      if (value.get_int64().get(n) == simdjson::SUCCESS && n >= 0 && n <= config::kMaxRetryCount) {
        request.num_retries = static_cast<int>(n);
      }
    } else if (key == "fallbacks") {
      request.fallbacks = fallback_groups(value);
    } else {
      bool disable = false;
      if (value.get_bool().get(disable) == simdjson::SUCCESS) request.disable_fallbacks = disable;
    }
  }
  return request;
}

}  // namespace llmtap::gateway
