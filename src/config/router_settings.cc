#include "config/router_settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "config/validators.h"

namespace llmtap::config {
namespace {

// The router keys llmtap reads, for a "did you mean" on a misspelt one.
constexpr std::array<std::string_view, 11> kRouterKeys{"num_retries",
                                                       "retry_after",
                                                       "fallbacks",
                                                       "context_window_fallbacks",
                                                       "content_policy_fallbacks",
                                                       "default_fallbacks",
                                                       "max_fallbacks",
                                                       "allowed_fails",
                                                       "cooldown_time",
                                                       "disable_cooldowns",
                                                       "routing_strategy"};

// LiteLLM's routing strategies: simple-shuffle is llmtap's; the others are known but not built.
constexpr std::array<std::string_view, 7> kStrategies{
    "simple-shuffle",         "least-busy",
    "usage-based-routing",    "usage-based-routing-v2",
    "latency-based-routing",  "cost-based-routing",
    "provider-budget-routing"};

// litellm.allowed_fails: a value equal to it leaves LiteLLM on the failure-rate rule.
constexpr int kLitellmAllowedFails = 3;

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

template <typename T>
std::optional<T> first_of(const std::optional<T>& a, const std::optional<T>& b) {
  return a ? a : b;
}

}  // namespace

std::optional<int> RouterSettingsReader::whole_number(const YAML::Node& value, const Mark& where) {
  auto text = yaml_.text(value, where);
  if (!text) return std::nullopt;
  return yaml_.checked(parse_retry_count(*text), *text, where);
}

// [{group: [target, …]}, …], as LiteLLM takes it.
std::optional<RouterSettingsReader::Rules> RouterSettingsReader::fallback_rules(
    const YAML::Node& value, const std::string& path) {
  const Mark where = yaml_.at(value, path);
  if (!value.IsSequence()) {
    diagnostics_.error(where, fmt::format("expected a list of {{model_name: [fallback, …]}} maps, "
                                          "got {}",
                                          kind_of(value)));
    return std::nullopt;
  }
  Rules rules;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = fmt::format("{}[{}]", path, i);
    const YAML::Node item = value[i];
    if (!item.IsMap()) {
      diagnostics_.error(
          yaml_.at(item, item_path),
          fmt::format("expected a {{model_name: [fallback, …]}} map, got {}", kind_of(item)));
      return std::nullopt;
    }
    bool ok = true;
    yaml_.for_each_entry(
        item, item_path,
        [&](const std::string& group, const YAML::Node& key_node, const YAML::Node& targets,
            const std::string& rule_path) {
          auto list = yaml_.string_list(targets, yaml_.at(key_node, rule_path));
          if (!list) {
            ok = false;
            return;
          }
          RuleMarks marks{yaml_.at(key_node, rule_path), {}};
          for (std::size_t t = 0; t < list->size(); ++t) {
            marks.targets.push_back(targets.IsSequence()
                                        ? yaml_.at(targets[t], fmt::format("{}[{}]", rule_path, t))
                                        : yaml_.at(targets, rule_path));
          }
          rules.rules.push_back({group, std::move(*list)});
          rules.marks.push_back(std::move(marks));
        });
    if (!ok) return std::nullopt;
  }
  return rules;
}

// default_fallbacks: [target, …], kept as the rule for "*" (LiteLLM appends {"*": […]} to the
// generic fallbacks).
std::optional<RouterSettingsReader::Rules> RouterSettingsReader::default_fallbacks(
    const YAML::Node& value, const std::string& path) {
  const Mark where = yaml_.at(value, path);
  auto list = yaml_.string_list(value, where);
  if (!list) return std::nullopt;
  Rules rules;
  RuleMarks marks{where, {}};
  for (std::size_t t = 0; t < list->size(); ++t) {
    marks.targets.push_back(value.IsSequence() ? yaml_.at(value[t], fmt::format("{}[{}]", path, t))
                                               : where);
  }
  rules.rules.push_back({"*", std::move(*list)});
  rules.marks.push_back(std::move(marks));
  return rules;
}

bool RouterSettingsReader::read_shared_key(Section& section, const std::string& key,
                                           const YAML::Node& key_node, const YAML::Node& value,
                                           const std::string& path) {
  const Mark where = yaml_.at(key_node, path);
  if (value.IsNull()) {
    // `fallbacks: null` is LiteLLM's "not set"; still a router key.
    return std::find(kRouterKeys.begin(), kRouterKeys.end(), key) != kRouterKeys.end();
  }
  if (key == "num_retries") {
    section.num_retries = whole_number(value, where);
  } else if (key == "fallbacks") {
    section.fallbacks = fallback_rules(value, path);
  } else if (key == "context_window_fallbacks") {
    section.context_window_fallbacks = fallback_rules(value, path);
  } else if (key == "content_policy_fallbacks") {
    section.content_policy_fallbacks = fallback_rules(value, path);
  } else if (key == "default_fallbacks") {
    section.default_fallbacks = default_fallbacks(value, path);
  } else if (key == "max_fallbacks") {
    section.max_fallbacks = whole_number(value, where);
  } else if (key == "allowed_fails") {
    auto n = whole_number(value, where);
    if (n && *n == kLitellmAllowedFails) {
      diagnostics_.warn(where, fmt::format("{} is LiteLLM's default: cooldowns follow the "
                                           "failure-rate rule, as if it were not set",
                                           kLitellmAllowedFails));
      return true;
    }
    section.allowed_fails = n;
  } else {
    return false;
  }
  return true;
}

void RouterSettingsReader::read_router_key(const std::string& key, const YAML::Node& key_node,
                                           const YAML::Node& value, const std::string& path) {
  if (read_shared_key(router_, key, key_node, value, path)) return;
  const Mark where = yaml_.at(key_node, path);
  auto duration = [&] { return yaml_.duration(value, where, DurationBound::non_negative); };
  if (key == "retry_after") {
    router_.retry_after = duration();
  } else if (key == "cooldown_time") {
    router_.cooldown_time = duration();
    if (router_.cooldown_time && router_.cooldown_time->count() == 0) {
      // LiteLLM's Router: `cooldown_time or 5`. Only a deployment's own 0 turns cooldowns off.
      diagnostics_.warn(
          where,
          "0 means LiteLLM's default (5 s); to turn cooldowns off set "
          "disable_cooldowns: true or a deployment's litellm_params.cooldown_time: 0");
      router_.cooldown_time.reset();
    }
  } else if (key == "disable_cooldowns") {
    router_.disable_cooldowns = yaml_.boolean(value, where);
  } else if (key == "routing_strategy") {
    auto name = yaml_.text(value, where);
    if (!name || *name == "simple-shuffle") return;
    if (std::find(kStrategies.begin(), kStrategies.end(), *name) == kStrategies.end()) {
      diagnostics_.error(
          where, fmt::format("unknown routing_strategy '{}'{} (known: {})", *name,
                             did_you_mean(*name, kStrategies), fmt::join(kStrategies, ", ")));
      return;
    }
    diagnostics_.warn(where, fmt::format("'{}' is not supported by llmtap yet; requests are "
                                         "spread by simple shuffle",
                                         *name));
  } else if (key == "routing") {
    diagnostics_.warn(where,
                      "not a LiteLLM key (LiteLLM ignores it too); did you mean "
                      "'routing_strategy'? ignored");
  } else {
    diagnostics_.warn(
        where, fmt::format("not supported by llmtap; ignored{}", did_you_mean(key, kRouterKeys)));
  }
}

bool RouterSettingsReader::read_litellm_key(const std::string& key, const YAML::Node& key_node,
                                            const YAML::Node& value, const std::string& path) {
  if (read_shared_key(litellm_, key, key_node, value, path)) return true;
  if (key == "cooldown_time" || key == "retry_after" || key == "disable_cooldowns") {
    diagnostics_.warn(yaml_.at(key_node, path),
                      "LiteLLM's Router reads this from router_settings only; ignored");
    return true;
  }
  return false;
}

void RouterSettingsReader::check_rules(const Rules& rules,
                                       const std::vector<std::string>& model_names) {
  for (std::size_t r = 0; r < rules.rules.size(); ++r) {
    const FallbackRule& rule = rules.rules[r];
    const RuleMarks& marks = rules.marks[r];
    if (rule.group != "*" && !contains(model_names, rule.group)) {
      diagnostics_.warn(marks.group,
                        fmt::format("'{}' is no model_name: this rule never applies", rule.group));
    }
    for (std::size_t t = 0; t < rule.targets.size(); ++t) {
      const std::string& target = rule.targets[t];
      if (target == rule.group) {
        diagnostics_.warn(marks.targets[t], fmt::format("'{}' falls back to itself: skipped, as "
                                                        "LiteLLM skips it",
                                                        target));
      } else if (!contains(model_names, target)) {
        diagnostics_.warn(marks.targets[t],
                          fmt::format("fallback '{}' is no model_name: skipped", target));
      }
    }
  }
}

RouterSettings RouterSettingsReader::finish(const std::vector<std::string>& model_names) {
  RouterSettings settings;
  auto rules_of =
      [&](const std::optional<Rules>& rules) -> std::optional<std::vector<FallbackRule>> {
    if (!rules) return std::nullopt;
    check_rules(*rules, model_names);
    return rules->rules;
  };
  settings.num_retries =
      first_of(router_.num_retries, litellm_.num_retries).value_or(settings.num_retries);
  settings.retry_after = router_.retry_after.value_or(settings.retry_after);
  if (auto generic = rules_of(first_of(router_.fallbacks, litellm_.fallbacks))) {
    settings.fallbacks = std::move(*generic);
  }
  if (auto defaults = rules_of(first_of(router_.default_fallbacks, litellm_.default_fallbacks))) {
    settings.fallbacks.insert(settings.fallbacks.end(), defaults->begin(), defaults->end());
  }
  settings.context_window_fallbacks =
      rules_of(first_of(router_.context_window_fallbacks, litellm_.context_window_fallbacks));
  settings.content_policy_fallbacks =
      rules_of(first_of(router_.content_policy_fallbacks, litellm_.content_policy_fallbacks));
  settings.max_fallbacks =
      first_of(router_.max_fallbacks, litellm_.max_fallbacks).value_or(settings.max_fallbacks);
  settings.allowed_fails = first_of(router_.allowed_fails, litellm_.allowed_fails);
  settings.cooldown_time = router_.cooldown_time.value_or(settings.cooldown_time);
  settings.disable_cooldowns = router_.disable_cooldowns.value_or(false);
  return settings;
}

}  // namespace llmtap::config
