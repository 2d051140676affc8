// load_config(): YAML file + environment + presets → Config, collecting every error at once.
//
// Errors and warnings name `file:line:col` and the key path, e.g.
//   config.yaml:14:5: callback_settings.my_api.log_format: expected one of json_array, ndjson,
//   single, got 'xml'
// Pure apart from reading the file(s) named; the environment comes in as a parameter so tests
// control it. Never throws on bad input.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"

namespace llmtap::config {

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
// The process environment.
EnvLookup process_environment();

struct LoadOptions {
  bool strict = false;  // check-config --strict: warnings about unusable deployments become errors
};

struct LoadResult {
  std::optional<Config> config;  // set when errors is empty
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
};

LoadResult load_config(const std::string& path, const EnvLookup& env, LoadOptions options = {});

// The same from YAML text (for tests); `path` only labels diagnostics.
LoadResult load_config_text(std::string_view yaml, const std::string& path, const EnvLookup& env,
                            LoadOptions options = {});

}  // namespace llmtap::config
