// Helpers for the config tests: a controlled environment and one-call loading.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.h"

namespace llmtap::config::testing {

inline EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline LoadResult load(std::string_view yaml, std::map<std::string, std::string> vars = {},
                       LoadOptions options = {}) {
  return load_config_text(yaml, "config.yaml", env_of(std::move(vars)), options);
}

inline std::vector<std::string> strings(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.to_string());
  return out;
}

}  // namespace llmtap::config::testing
