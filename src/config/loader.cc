// load_config(): the top-level sections of config.yaml and the order they are read in. Each
// section's reading lives with what it reads: yaml_reader.h (typed node reads), model_list.h,
// callbacks.h (callback lists, callback_settings, presets); this file reads environment_variables,
// litellm_settings, general_settings and router_settings itself.
#include "config/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <map>
#include <span>

#include "config/callbacks.h"
#include "config/diagnostics.h"
#include "config/env_resolver.h"
#include "config/model_list.h"
#include "config/router_settings.h"
#include "config/validators.h"
#include "config/yaml_reader.h"

namespace llmtap::config {
namespace {

// The top-level sections llmtap reads, for a "did you mean" on a misspelt one.
constexpr std::array<std::string_view, 6> kTopLevelKeys{
    "model_list",       "litellm_settings",      "callback_settings",
    "general_settings", "environment_variables", "router_settings"};

// litellm_settings keys that have no meaning for a pass-through gateway: not worth a warning.
constexpr std::array<std::string_view, 4> kSilentLitellmSettings{
    "set_verbose", "json_logs", "telemetry", "suppress_debug_info"};

bool is_silent_litellm_setting(std::string_view key) {
  return std::find(kSilentLitellmSettings.begin(), kSilentLitellmSettings.end(), key) !=
         kSilentLitellmSettings.end();
}

class Loader {
 public:
  Loader(std::string file, const EnvLookup& env, LoadOptions options)
      : env_(env),
        resolver_(env, {}),
        diagnostics_(options.strict),
        yaml_(std::move(file), diagnostics_, resolver_),
        callbacks_(yaml_, diagnostics_, resolver_),
        router_(yaml_, diagnostics_) {}

  LoadResult run(std::string_view yaml);

 private:
  void load(std::string_view yaml);
  void read_environment_variables(const YAML::Node& node);
  void read_router_settings(const YAML::Node& node, const std::string& path);
  void read_litellm_settings(const YAML::Node& node);
  void read_general_settings(const YAML::Node& node);

  // A positive number of seconds (config/validators.h: parse_duration).
  std::optional<std::chrono::milliseconds> seconds(const YAML::Node& value, const Mark& where) {
    return yaml_.duration(value, where, DurationBound::positive);
  }

  // A key llmtap does not read: a warning, naming the key it resembles among `known`. Inside
  // litellm_settings and general_settings nothing is suggested: LiteLLM's own keys there are many
  // and some are a letter away from ours (`fallbacks`, `callbacks`).
  void warn_unsupported(const YAML::Node& key, const std::string& path,
                        std::span<const std::string_view> known) {
    diagnostics_.warn(yaml_.at(key, path), fmt::format("not supported by llmtap; ignored{}",
                                                       did_you_mean(key.Scalar(), known)));
  }

  EnvLookup env_;
  EnvResolver resolver_;  // replaced once environment_variables is read
  Diagnostics diagnostics_;
  YamlReader yaml_;
  CallbackReader callbacks_;
  RouterSettingsReader router_;
  Config config_;
  std::optional<std::chrono::milliseconds> default_request_timeout_;  // request_timeout
  bool drop_params_ = false;                                          // drop_params
  std::map<std::string, Mark> top_where_;  // top-level keys, for messages about their values
};

LoadResult Loader::run(std::string_view yaml) {
  try {
    load(yaml);
  } catch (const std::exception& e) {
    // A bug, not bad input; still reported rather than thrown, as the header promises.
    diagnostics_.error(yaml_.file_mark(),
                       fmt::format("internal error while loading the config: {}", e.what()));
  }
  LoadResult result;
  if (diagnostics_.error_count() == 0) {
    config_.source_path = yaml_.file();
    result.config = std::move(config_);
  }
  result.errors = diagnostics_.take_errors();
  result.warnings = diagnostics_.take_warnings();
  return result;
}

void Loader::load(std::string_view yaml) {
  if (yaml.size() > kMaxFileBytes) {
    diagnostics_.error(yaml_.file_mark(),
                       fmt::format("file is larger than {} MiB", kMaxFileBytes / (1024 * 1024)));
    return;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    Mark d = yaml_.file_mark();
    if (!e.mark.is_null()) {
      d.line = e.mark.line + 1;
      d.column = e.mark.column + 1;
    }
    diagnostics_.error(d, fmt::format("invalid YAML: {}", e.msg));
    return;
  }
  if (root.IsNull()) {
    callbacks_.finish_callbacks(config_);
    return;
  }
  if (!root.IsMap()) {
    diagnostics_.error(yaml_.at(root, ""),
                       fmt::format("expected a map at the top level, got {}", kind_of(root)));
    return;
  }
  YAML::Node model_list, litellm_settings, callback_settings, general_settings, environment,
      router_settings;
  yaml_.for_each_entry(root, "",
                       [&](const std::string& key, const YAML::Node& key_node,
                           const YAML::Node& value, const std::string& path) {
                         top_where_[key] = yaml_.at(key_node, path);
                         if (key == "model_list") {
                           model_list = value;
                         } else if (key == "litellm_settings") {
                           litellm_settings = value;
                         } else if (key == "callback_settings") {
                           callback_settings = value;
                         } else if (key == "general_settings") {
                           general_settings = value;
                         } else if (key == "environment_variables") {
                           environment = value;
                         } else if (key == "router_settings") {
                           router_settings = value;
                         } else {
                           warn_unsupported(key_node, path, kTopLevelKeys);
                         }
                       });
  // The overlay comes first: every other value may refer to these variables.
  if (environment) read_environment_variables(environment);
  if (litellm_settings) read_litellm_settings(litellm_settings);
  if (router_settings) read_router_settings(router_settings, "router_settings");
  if (general_settings) read_general_settings(general_settings);
  if (model_list) {
    ModelListReader(yaml_, diagnostics_, resolver_)
        .read(model_list, top_where_["model_list"], default_request_timeout_, drop_params_,
              config_);
  }
  config_.router = router_.finish(config_.model_names);
  callbacks_.load_presets();
  if (callback_settings) {
    callbacks_.read_callback_settings(callback_settings, top_where_["callback_settings"]);
  }
  callbacks_.finish_callbacks(config_);
}

void Loader::read_environment_variables(const YAML::Node& node) {
  if (node.IsNull() || !yaml_.expect_map(node, top_where_["environment_variables"])) return;
  HeaderList overlay;
  yaml_.for_each_entry(node, "environment_variables",
                       [&](const std::string& key, const YAML::Node& key_node,
                           const YAML::Node& value, const std::string& path) {
                         if (key.empty() || key.find('=') != std::string::npos) {
                           diagnostics_.error(yaml_.at(key_node, path),
                                              "invalid environment variable name");
                           return;
                         }
                         // Values refer to the real environment, as when LiteLLM sets them in turn.
                         if (auto resolved = yaml_.text(value, yaml_.at(key_node, path)))
                           overlay.emplace_back(key, *resolved);
                       });
  config_.environment_variables = overlay;
  resolver_ = EnvResolver(env_, std::move(overlay));
}

void Loader::read_router_settings(const YAML::Node& node, const std::string& path) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    diagnostics_.warn(top_where_["router_settings"],
                      fmt::format("expected a map, got {}; ignored", kind_of(node)));
    return;
  }
  yaml_.for_each_entry(
      node, path,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& child) { router_.read_router_key(key, key_node, value, child); });
}

void Loader::read_litellm_settings(const YAML::Node& node) {
  if (node.IsNull() || !yaml_.expect_map(node, top_where_["litellm_settings"])) return;
  yaml_.for_each_entry(
      node, "litellm_settings",
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& path) {
        if (router_.read_litellm_key(key, key_node, value, path)) return;
        if (key == "callbacks") {
          callbacks_.collect_callbacks(value, yaml_.at(key_node, path), true, true);
        } else if (key == "success_callback") {
          callbacks_.collect_callbacks(value, yaml_.at(key_node, path), true, false);
        } else if (key == "failure_callback") {
          callbacks_.collect_callbacks(value, yaml_.at(key_node, path), false, true);
        } else if (key == "turn_off_message_logging") {
          if (value.IsNull()) return;
          if (auto b = yaml_.boolean(value, yaml_.at(key_node, path)))
            config_.turn_off_message_logging = *b;
        } else if (key == "standard_logging_payload_excluded_fields") {
          if (auto list = yaml_.string_list(value, yaml_.at(key_node, path)))
            config_.excluded_fields = std::move(*list);
        } else if (key == "shutdown_timeout") {
          if (auto d = seconds(value, yaml_.at(key_node, path))) config_.shutdown_timeout = *d;
        } else if (key == "request_timeout") {
          if (auto d = seconds(value, yaml_.at(key_node, path))) default_request_timeout_ = *d;
        } else if (key == "drop_params") {
          if (value.IsNull()) return;
          if (auto b = yaml_.boolean(value, yaml_.at(key_node, path))) drop_params_ = *b;
        } else if (key == "model_prices_file") {
          if (auto p = yaml_.file_path(value, yaml_.at(key_node, path)))
            config_.model_prices_file = *p;
        } else if (key == "generic_api_presets_file") {
          callbacks_.set_presets_file(value, yaml_.at(key_node, path));
        } else if (key == "generic_logger_headers") {
          callbacks_.read_generic_logger_headers(value, yaml_.at(key_node, path));
        } else if (key == "DEFAULT_BATCH_SIZE") {
          if (auto t = yaml_.text(value, yaml_.at(key_node, path))) {
            callbacks_.set_default_batch_size(
                yaml_.checked(parse_count(*t), *t, yaml_.at(key_node, path)));
          }
        } else if (key == "DEFAULT_FLUSH_INTERVAL_SECONDS") {
          callbacks_.set_default_flush_interval(seconds(value, yaml_.at(key_node, path)));
        } else if (key == "master_key") {
          diagnostics_.warn(
              yaml_.at(key_node, path),
              "LiteLLM does not read master_key here; set general_settings.master_key; ignored");
        } else if (!is_silent_litellm_setting(key)) {
          warn_unsupported(key_node, path, {});
        }
      });
}

void Loader::read_general_settings(const YAML::Node& node) {
  if (node.IsNull() || !yaml_.expect_map(node, top_where_["general_settings"])) return;
  yaml_.for_each_entry(node, "general_settings",
                       [&](const std::string& key, const YAML::Node& key_node,
                           const YAML::Node& value, const std::string& path) {
                         if (key == "master_key") {
                           if (value.IsNull()) return;
                           if (auto v = yaml_.text(value, yaml_.at(key_node, path)))
                             config_.master_key = *v;
                         } else if (key == "request_read_timeout") {
                           if (auto d = seconds(value, yaml_.at(key_node, path)))
                             config_.request_read_timeout = *d;
                         } else {
                           warn_unsupported(key_node, path, {});
                         }
                       });
}

}  // namespace

LoadResult load_config_text(std::string_view yaml, const std::string& path, const EnvLookup& env,
                            LoadOptions options) {
  return Loader(path, env, options).run(yaml);
}

LoadResult load_config(const std::string& path, const EnvLookup& env, LoadOptions options) {
  std::string read_error;
  auto text = read_file(path, read_error);
  if (!text) {
    LoadResult result;
    result.errors.push_back(Diagnostic{path, 0, 0, {}, read_error});
    return result;
  }
  return load_config_text(*text, path, env, options);
}

}  // namespace llmtap::config
