// RouterSettingsReader: the retry, fallback and cooldown keys of router_settings and
// litellm_settings (README "router_settings"). LiteLLM's Router takes its own argument first and
// the litellm_settings global when that is unset, so both sections are collected and merged in
// finish(), once the model groups are known and the fallback rules can be checked against them.
// Keys llmtap does not implement warn, naming the key; an unknown routing_strategy is an error.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/yaml_reader.h"

namespace llmtap::config {

class RouterSettingsReader {
 public:
  RouterSettingsReader(YamlReader& yaml, Diagnostics& diagnostics)
      : yaml_(yaml), diagnostics_(diagnostics) {}

  // One entry of router_settings (every key: the ones not read are warned about here).
  void read_router_key(const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                       const std::string& path);
  // One entry of litellm_settings; false when `key` is not a router key (the caller goes on).
  bool read_litellm_key(const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                        const std::string& path);

  // The merged settings. Warns about fallback rules that cannot do what they say: a group or a
  // target that is no model_name, a group that falls back to itself.
  RouterSettings finish(const std::vector<std::string>& model_names);

 private:
  // A fallback list with where each rule and target was written, for the checks in finish().
  struct RuleMarks {
    Mark group;
    std::vector<Mark> targets;
  };
  struct Rules {
    std::vector<FallbackRule> rules;
    std::vector<RuleMarks> marks;
  };
  // What one section set; nullopt: not set there.
  struct Section {
    std::optional<int> num_retries;
    std::optional<std::chrono::milliseconds> retry_after;
    std::optional<Rules> fallbacks, context_window_fallbacks, content_policy_fallbacks;
    std::optional<Rules> default_fallbacks;  // one rule, group "*"
    std::optional<int> max_fallbacks;
    std::optional<int> allowed_fails;
    std::optional<std::chrono::milliseconds> cooldown_time;
    std::optional<bool> disable_cooldowns;
  };

  // The keys both sections may set; true when `key` was one of them.
  bool read_shared_key(Section& section, const std::string& key, const YAML::Node& key_node,
                       const YAML::Node& value, const std::string& path);
  std::optional<int> whole_number(const YAML::Node& value, const Mark& where);
  std::optional<Rules> fallback_rules(const YAML::Node& value, const std::string& path);
  std::optional<Rules> default_fallbacks(const YAML::Node& value, const std::string& path);
  void check_rules(const Rules& rules, const std::vector<std::string>& model_names);

  YamlReader& yaml_;
  Diagnostics& diagnostics_;
  Section router_;
  Section litellm_;
};

}  // namespace llmtap::config
