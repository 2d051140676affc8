// to_messages_request()'s parameters (messages_request_translator.h): the plan that sorts the
// client's keys (read, unsupported, consumed, forwarded), max_tokens, stop, metadata.user_id and
// thinking, as LiteLLM's AnthropicConfig.map_openai_params maps them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "providers/anthropic/messages_request_translator.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"
#include "providers/litellm_settings.h"
#include "providers/reasoning_effort.h"

namespace llmtap::providers::anthropic::detail {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

// LiteLLM's email pattern ^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$, by hand.
bool looks_like_email(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);  // Python's $ also matches before it
  const std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  for (char c : s.substr(0, at)) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-') return false;
  }
  const std::string_view domain = s.substr(at + 1);
  for (char c : domain) {
    if (!is_alnum(c) && c != '.' && c != '-') return false;
  }
  // The top-level part has no dot, so it follows the last one.
  const std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view top = domain.substr(dot + 1);
  if (top.size() < 2) return false;
  for (char c : top) {
    if (!is_alpha(c)) return false;
  }
  return true;
}

// LiteLLM's phone pattern ^\+?[\d\s\(\)-]{7,}$, by hand (ASCII digits and spaces).
bool looks_like_phone(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.size() < 7) return false;
  for (char c : s) {
    if (!is_digit(c) && !is_space(c) && c != '(' && c != ')' && c != '-') return false;
  }
  return true;
}

// LiteLLM's _valid_user_id: Anthropic rejects a metadata.user_id that is an email or a phone.
bool valid_user_id(std::string_view id) { return !looks_like_email(id) && !looks_like_phone(id); }

// OpenAI chat parameters Anthropic has no counterpart for (from LiteLLM's
// DEFAULT_CHAT_COMPLETION_PARAM_VALUES minus AnthropicConfig's supported list).
constexpr std::array<std::string_view, 17> kUnsupported = {"functions",
                                                           "function_call",
                                                           "n",
                                                           "modalities",
                                                           "prediction",
                                                           "audio",
                                                           "presence_penalty",
                                                           "frequency_penalty",
                                                           "logit_bias",
                                                           "seed",
                                                           "logprobs",
                                                           "top_logprobs",
                                                           "verbosity",
                                                           "service_tier",
                                                           "safety_identifier",
                                                           "prompt_cache_key",
                                                           "web_search_options"};

// The OpenAI parameters the translation reads, and where make_plan() keeps each.
constexpr std::pair<std::string_view, std::string_view Plan::*> kPlanSlots[] = {
    {"max_tokens", &Plan::max_tokens},
    {"max_completion_tokens", &Plan::max_completion_tokens},
    {"temperature", &Plan::temperature},
    {"top_p", &Plan::top_p},
    {"stop", &Plan::stop},
    {"tools", &Plan::tools},
    {"tool_choice", &Plan::tool_choice},
    {"parallel_tool_calls", &Plan::parallel_tool_calls},
    {"response_format", &Plan::response_format},
    {"thinking", &Plan::thinking},
    {"reasoning_effort", &Plan::reasoning_effort},
};

bool contains(const auto& list, std::string_view key) {
  for (std::string_view k : list) {
    if (k == key) return true;
  }
  return false;
}

}  // namespace

Plan make_plan(const payload::RequestSummary& summary) {
  Plan plan;
  for (const auto& [key, value] : summary.parameters) {
    if (value == "null") continue;  // LiteLLM's non-default parameters leave out None
    std::string_view* slot = nullptr;
    for (const auto& [name, member] : kPlanSlots) {
      if (key == name) slot = &(plan.*member);
    }
    if (slot != nullptr) {
      *slot = value;
    } else if (contains(kUnsupported, key)) {
      if (key == "n" && value == "1") continue;  // LiteLLM skips n=1 (langchain's default)
      plan.unsupported.push_back(key);
    } else if (!is_litellm_setting(key)) {
      plan.forwarded.emplace_back(key, value);
    }
  }
  return plan;
}

std::optional<RequestProblem> MessagesRequestTranslator::read_thinking() {
  if (!plan_.reasoning_effort.empty()) {
    dom::element value;
    std::string_view effort;
    if (parsers_.scratch.parse(plan_.reasoning_effort, value) == simdjson::SUCCESS &&
        value.get(effort) == simdjson::SUCCESS) {
      const std::optional<std::int64_t> budget = anthropic_thinking_budget(effort);
      if (!budget) return bad_request(unmapped_effort_message(effort), "reasoning_effort");
      thinking_.budget = *budget;
    }
    // LiteLLM's is_thinking_enabled() counts any reasoning_effort, "none" included.
    thinking_requested_ = true;
    if (thinking_.budget > 0) {
      thinking_.enabled = true;
      thinking_.enabled_budget = thinking_.budget;
    }
  }
  if (!plan_.thinking.empty()) {
    // `thinking` comes after reasoning_effort in LiteLLM's parameter order, so it wins.
    thinking_.raw = plan_.thinking;
    thinking_.budget = 0;
    thinking_.enabled = false;
    thinking_.enabled_budget = -1;
    dom::element value;
    dom::object object;
    if (parsers_.scratch.parse(plan_.thinking, value) == simdjson::SUCCESS &&
        value.get(object) == simdjson::SUCCESS && string_member(object, "type") == "enabled") {
      thinking_.enabled = true;
      thinking_requested_ = true;
      std::int64_t budget = 0;
      if (object["budget_tokens"].get(budget) == simdjson::SUCCESS) {
        thinking_.enabled_budget = budget;
      }
    }
  }
  return std::nullopt;
}

std::optional<RequestProblem> MessagesRequestTranslator::write_max_tokens() {
  // max_tokens comes after max_completion_tokens in LiteLLM's parameter order, so it wins.
  const std::string_view raw =
      !plan_.max_tokens.empty() ? plan_.max_tokens : plan_.max_completion_tokens;
  const char* name = !plan_.max_tokens.empty() ? "max_tokens" : "max_completion_tokens";
  w_.key("max_tokens");
  if (raw.empty()) {
    if (thinking_.enabled && thinking_.enabled_budget >= 0) {
      w_.integer(thinking_.enabled_budget + kThinkingHeadroom);
    } else {
      w_.integer(options_.default_max_tokens);
    }
    return std::nullopt;
  }
  dom::element value;
  if (parsers_.scratch.parse(raw, value) != simdjson::SUCCESS) {
    return bad_request(fmt::format("{} must be a number", name), name);
  }
  switch (value.type()) {
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::BOOL:
      w_.raw(raw);  // an int goes as it is
      return std::nullopt;
    case dom::element_type::DOUBLE: {
      // max(1, int(round(value))): Python rounds half to even, as nearbyint() does by default.
      const double rounded = std::nearbyint(double(value));
      if (!std::isfinite(rounded) || std::fabs(rounded) > 9e18) {
        return bad_request(fmt::format("{} is out of range", name), name);
      }
      w_.integer(std::max<std::int64_t>(1, static_cast<std::int64_t>(rounded)));
      return std::nullopt;
    }
    default:
      return bad_request(fmt::format("{} must be a number", name), name);
  }
}

void MessagesRequestTranslator::write_stop() {
  if (plan_.stop.empty()) return;
  dom::element value;
  if (parsers_.scratch.parse(plan_.stop, value) != simdjson::SUCCESS) return;
  std::string_view text;
  dom::array list;
  if (value.get(text) == simdjson::SUCCESS) {
    // Anthropic rejects whitespace-only stop sequences; LiteLLM drops them under drop_params.
    if (is_blank(text) && options_.drop_params) return;
    w_.key("stop_sequences");
    w_.begin_array();
    w_.string(text);
    w_.end_array();
  } else if (value.get(list) == simdjson::SUCCESS) {
    bool open = false;
    for (dom::element element : list) {
      std::string_view item;
      const bool is_string = element.get(item) == simdjson::SUCCESS;
      if (is_string && is_blank(item) && options_.drop_params) continue;
      if (!open) {
        w_.key("stop_sequences");
        w_.begin_array();
        open = true;
      }
      copy_element(w_, element);
    }
    if (open) w_.end_array();
  }
}

void MessagesRequestTranslator::write_metadata() {
  std::string_view user_id_raw;
  // The body's own metadata.user_id (LiteLLM's metadata) wins over `user`.
  if (!summary_.metadata_raw.empty()) {
    dom::element value;
    dom::object metadata;
    std::string_view id;
    if (parsers_.scratch.parse(summary_.metadata_raw, value) == simdjson::SUCCESS &&
        value.get(metadata) == simdjson::SUCCESS &&
        metadata["user_id"].get(id) == simdjson::SUCCESS && valid_user_id(id)) {
      user_id_owned_.assign(id);
      write_user_id_string();
      return;
    }
  }
  if (!summary_.user_raw.empty()) {
    dom::element value;
    std::string_view id;
    if (parsers_.scratch.parse(summary_.user_raw, value) == simdjson::SUCCESS &&
        value.get(id) == simdjson::SUCCESS && valid_user_id(id)) {
      user_id_raw = summary_.user_raw;
    }
  }
  if (user_id_raw.empty()) return;
  w_.key("metadata");
  w_.begin_object();
  w_.key("user_id");
  w_.raw(user_id_raw);
  w_.end_object();
}

void MessagesRequestTranslator::write_user_id_string() {
  w_.key("metadata");
  w_.begin_object();
  w_.key("user_id");
  w_.string(user_id_owned_);
  w_.end_object();
}

void MessagesRequestTranslator::write_thinking() {
  if (!thinking_.raw.empty()) {
    w_.key("thinking");
    w_.raw(thinking_.raw);
  } else if (thinking_.budget > 0) {
    w_.key("thinking");
    w_.begin_object();
    w_.key("type");
    w_.string("enabled");
    w_.key("budget_tokens");
    w_.integer(thinking_.budget);
    w_.end_object();
  }
}

}  // namespace llmtap::providers::anthropic::detail
