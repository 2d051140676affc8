#include "config/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "base/ascii.h"
#include "config/env_resolver.h"
#include "config/presets.h"
#include "config/providers.h"
#include "config/callback_schema.h"
#include "config/enum_names.h"
#include "config/validators.h"

namespace llmtap::config {

namespace {

constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;
constexpr std::string_view kSuccessEvent = "llm_api_success";
constexpr std::string_view kFailureEvent = "llm_api_failure";
constexpr std::string_view kGenericApi = "generic_api";
constexpr std::string_view kMergeKey = "<<";

// LiteLLM's own callback names that llmtap does not implement: real configs list them, so they
// are warned about and skipped rather than refused.
constexpr std::array<std::string_view, 58> kLitellmBuiltinCallbacks{
    "langfuse", "langfuse_otel", "langsmith", "prometheus", "otel", "datadog",
    "datadog_llm_observability", "s3", "s3_v2", "gcs_bucket", "gcs_pubsub", "azure_storage",
    "dynamodb", "sqs", "aws_sqs", "sentry", "lunary", "helicone", "traceloop", "athina",
    "openmeter", "lago", "logfire", "literalai", "braintrust", "arize", "arize_phoenix",
    "langtrace", "galileo", "opik", "argilla", "mlflow", "humanloop", "pagerduty", "posthog",
    "weights_biases", "wandb", "promptlayer", "llmonitor", "supabase", "greenscale", "clickhouse",
    "custom_callback_api", "dynamic_rate_limiter", "dynamic_rate_limiter_v3", "agentops",
    "deepeval", "cloudzero", "resend_email", "smtp_email", "slack", "email", "berrispend",
    "anthropic_cache_control_hook", "bedrock_vector_store", "vector_store_pre_call_hook",
    "dotprompt", "levo"};

// The top-level sections llmtap reads, for a "did you mean" on a misspelt one.
constexpr std::array<std::string_view, 6> kTopLevelKeys{
    "model_list", "litellm_settings", "callback_settings", "general_settings",
    "environment_variables", "router_settings"};

// litellm_settings keys that have no meaning for a pass-through gateway: not worth a warning.
constexpr std::array<std::string_view, 4> kSilentLitellmSettings{"set_verbose", "json_logs",
                                                                 "telemetry", "suppress_debug_info"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return fmt::format("'{}'", node.Scalar());
    case YAML::NodeType::Null: return "null";
    default: return "nothing";
  }
}

// Replaces a header of the same name (case-insensitively) in place, else appends.
void merge_header(HeaderList& headers, std::string name, std::string value) {
  for (auto& [existing, existing_value] : headers) {
    if (ascii::iequals(existing, name)) {
      existing = std::move(name);
      existing_value = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

// FNV-1a: a stable id across runs, builds and machines (std::hash is none of those).
std::string stable_id(std::string_view a, std::string_view b, std::string_view c) {
  std::uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](std::string_view part) {
    for (char ch : part) {
      hash ^= static_cast<unsigned char>(ch);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // separator, so ("ab","c") and ("a","bc") differ
    hash *= 1099511628211ULL;
  };
  mix(a);
  mix(b);
  mix(c);
  return fmt::format("{:016x}", hash);
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    error = fmt::format("cannot read file: {}", ec.message());
    return std::nullopt;
  }
  if (size > kMaxFileBytes) {
    error = fmt::format("file is larger than {} MiB", kMaxFileBytes / (1024 * 1024));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read file: {}", std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

// One raw logger setting and where it came from. Text is resolved only when the value is used,
// so a preset value that an entry overrides never needs its variables.
struct Setting {
  std::string text;
  Diagnostic where;
  std::string preset;      // set when the text came from this preset
  std::string preset_key;  // the preset's key, for messages
};

struct RawLogger {
  std::string name;
  Diagnostic where;  // the callback_settings entry, else the first callbacks list item
  bool from_entry = false;
  std::map<std::string, Setting> settings;
  std::vector<std::pair<std::string, Setting>> headers;
  std::optional<std::vector<Setting>> event_types;
  std::vector<std::pair<std::string, Setting>> envelope_fields;  // merged by name like headers
};

struct CallbackUse {
  std::string name;
  Diagnostic where;  // first mention
  bool success = false;
  bool failure = false;
};

class Loader {
 public:
  Loader(std::string file, const EnvLookup& env, LoadOptions options)
      : file_(std::move(file)), env_(env), resolver_(env, {}), options_(options) {}

  LoadResult run(std::string_view yaml) {
    try {
      load(yaml);
    } catch (const std::exception& e) {
      // A bug, not bad input; still reported rather than thrown, as the header promises.
      error(where_file(), fmt::format("internal error while loading the config: {}", e.what()));
    }
    LoadResult result;
    if (errors_.empty()) {
      config_.source_path = file_;
      result.config = std::move(config_);
    }
    result.errors = std::move(errors_);
    result.warnings = std::move(warnings_);
    return result;
  }

 private:
  // ---- diagnostics -------------------------------------------------------------------------

  Diagnostic where_file(std::string key_path = {}) const {
    return Diagnostic{file_, 0, 0, std::move(key_path), {}};
  }

  Diagnostic at(const YAML::Node& node, std::string key_path) const {
    Diagnostic d = where_file(std::move(key_path));
    const YAML::Mark mark = node.Mark();
    if (!mark.is_null()) {
      d.line = mark.line + 1;
      d.column = mark.column + 1;
    }
    return d;
  }

  void error(Diagnostic where, std::string message) {
    where.message = std::move(message);
    errors_.push_back(std::move(where));
  }

  void warn(Diagnostic where, std::string message) {
    where.message = std::move(message);
    warnings_.push_back(std::move(where));
  }

  // A reason to leave a deployment out of routing: an error under --strict.
  void deployment_problem(Diagnostic where, std::string message) {
    if (options_.strict) {
      error(std::move(where), std::move(message));
    } else {
      warn(std::move(where), std::move(message));
    }
  }

  void warn_unsupported(const YAML::Node& key, const std::string& path) {
    warn(at(key, path), "not supported by llmtap; ignored");
  }

  // ---- typed reads ---------------------------------------------------------------------------

  // Calls fn(key, key_node, value, path) for each entry of a map; non-string keys are errors.
  // Calls fn(key, key_node, value, path) for each entry of a map; non-string keys are errors.
  // YAML merge keys (`<<: *defaults`, which yaml-cpp leaves unexpanded) contribute the entries
  // the map does not set itself, first.
  template <typename Fn>
  void for_each_entry(const YAML::Node& map, const std::string& path, Fn&& fn) {
    std::set<std::string> own;
    for (const auto& entry : map) {
      if (entry.first.IsScalar() && entry.first.Scalar() != kMergeKey) own.insert(entry.first.Scalar());
    }
    std::set<std::string> seen;
    auto visit = [&](const YAML::Node& key, const YAML::Node& value) {
      if (!key.IsScalar()) {
        error(at(key, path), fmt::format("expected a string key, got {}", kind_of(key)));
        return;
      }
      const std::string child = path.empty() ? key.Scalar() : path + "." + key.Scalar();
      if (!seen.insert(key.Scalar()).second) {
        warn(at(key, child), "duplicate key; the last one wins");
      }
      fn(key.Scalar(), key, value, child);
    };
    for (const auto& entry : map) {
      if (!entry.first.IsScalar() || entry.first.Scalar() != kMergeKey) continue;
      std::vector<YAML::Node> sources;
      if (entry.second.IsMap()) sources.push_back(entry.second);
      if (entry.second.IsSequence()) {
        for (const auto& item : entry.second) sources.push_back(item);
      }
      if (sources.empty() || !std::all_of(sources.begin(), sources.end(),
                                          [](const YAML::Node& n) { return n.IsMap(); })) {
        error(at(entry.first, path.empty() ? std::string(kMergeKey) : fmt::format("{}.{}", path, kMergeKey)),
              fmt::format("expected a map or a list of maps to merge, got {}", kind_of(entry.second)));
        continue;
      }
      for (const auto& source : sources) {
        for (const auto& merged : source) {
          if (merged.first.IsScalar() && own.count(merged.first.Scalar()) == 0 &&
              seen.count(merged.first.Scalar()) == 0) {
            visit(merged.first, merged.second);
          }
        }
      }
    }
    for (const auto& entry : map) {
      if (entry.first.IsScalar() && entry.first.Scalar() == kMergeKey) continue;
      visit(entry.first, entry.second);
    }
  }

  bool expect_map(const YAML::Node& node, const Diagnostic& where) {
    if (node.IsMap()) return true;
    error(where, fmt::format("expected a map, got {}", kind_of(node)));
    return false;
  }

  // The resolved text of a scalar. Unset variables go to `unset` when given (deployments decide
  // what they mean), else they are errors.
  std::optional<std::string> text(const YAML::Node& node, const Diagnostic& where,
                                  std::vector<Diagnostic>* unset = nullptr) {
    if (!node.IsScalar()) {
      error(where, fmt::format("expected a string, got {}", kind_of(node)));
      return std::nullopt;
    }
    auto expansion = resolver_.expand(node.Scalar());
    if (expansion.missing.empty()) return std::move(expansion.value);
    for (const auto& name : expansion.missing) {
      Diagnostic d = where;
      d.message = fmt::format("environment variable '{}' is not set", name);
      if (unset != nullptr) {
        unset->push_back(std::move(d));
      } else {
        errors_.push_back(std::move(d));
      }
    }
    return std::nullopt;
  }

  // The checked value, or an error "<prefix>expected <what>, got '<value>'" at `where`.
  template <typename T>
  std::optional<T> checked(const Checked<T>& result, const std::string& value,
                           const Diagnostic& where, const std::string& prefix = {}) {
    if (!result.value) {
      error(where, fmt::format("{}expected {}, got '{}'", prefix, result.expected, value));
    }
    return result.value;
  }

  std::optional<bool> boolean(const YAML::Node& node, const Diagnostic& where) {
    auto value = text(node, where);
    if (!value) return std::nullopt;
    return checked(parse_flag(*value), *value, where);
  }

  std::optional<std::vector<std::string>> string_list(const YAML::Node& node,
                                                      const Diagnostic& where) {
    const std::string& path = where.key_path;
    std::vector<std::string> out;
    if (node.IsNull()) return out;
    if (node.IsScalar()) {
      auto value = text(node, where);
      if (!value) return std::nullopt;
      out.push_back(std::move(*value));
      return out;
    }
    if (!node.IsSequence()) {
      error(where, fmt::format("expected a list or a string, got {}", kind_of(node)));
      return std::nullopt;
    }
    bool ok = true;
    for (std::size_t i = 0; i < node.size(); ++i) {
      auto value = text(node[i], at(node[i], fmt::format("{}[{}]", path, i)));
      if (value) {
        out.push_back(std::move(*value));
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // A path relative to the config file's folder, made absolute; the file must be readable.
  std::optional<std::string> file_path(const YAML::Node& node, const Diagnostic& where) {
    auto value = text(node, where);
    if (!value) return std::nullopt;
    return file_path(*value, where);
  }

  std::optional<std::string> file_path(const std::string& value, const Diagnostic& where,
                                       const std::string& prefix = {}) {
    std::filesystem::path p(value);
    if (p.is_relative()) p = std::filesystem::path(file_).parent_path() / p;
    std::error_code ec;
    p = std::filesystem::absolute(p, ec).lexically_normal();
    if (ec || !std::filesystem::is_regular_file(p, ec)) {
      error(where, fmt::format("{}cannot read file '{}'", prefix, p.string()));
      return std::nullopt;
    }
    return p.string();
  }

  // ---- sections ------------------------------------------------------------------------------

  void load(std::string_view yaml) {
    if (yaml.size() > kMaxFileBytes) {
      error(where_file(),
            fmt::format("file is larger than {} MiB", kMaxFileBytes / (1024 * 1024)));
      return;
    }
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
      Diagnostic d = where_file();
      if (!e.mark.is_null()) {
        d.line = e.mark.line + 1;
        d.column = e.mark.column + 1;
      }
      error(std::move(d), fmt::format("invalid YAML: {}", e.msg));
      return;
    }
    if (root.IsNull()) {
      finish_callbacks();
      return;
    }
    if (!root.IsMap()) {
      error(at(root, ""), fmt::format("expected a map at the top level, got {}", kind_of(root)));
      return;
    }
    YAML::Node model_list, litellm_settings, callback_settings, general_settings, environment;
    for_each_entry(root, "", [&](const std::string& key, const YAML::Node& key_node,
                                 const YAML::Node& value, const std::string& path) {
      top_where_[key] = at(key_node, path);
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
        read_router_settings(value, path);
      } else {
        warn(at(key_node, path), fmt::format("not supported by llmtap; ignored{}",
                                             did_you_mean(key, kTopLevelKeys)));
      }
    });
    // The overlay comes first: every other value may refer to these variables.
    if (environment) read_environment_variables(environment);
    if (litellm_settings) read_litellm_settings(litellm_settings);
    if (general_settings) read_general_settings(general_settings);
    if (model_list) read_model_list(model_list);
    load_presets();
    if (callback_settings) read_callback_settings(callback_settings);
    finish_callbacks();
  }

  void read_environment_variables(const YAML::Node& node) {
    if (node.IsNull() || !expect_map(node, top_where_["environment_variables"])) return;
    HeaderList overlay;
    for_each_entry(node, "environment_variables",
                   [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                       const std::string& path) {
                     if (key.empty() || key.find('=') != std::string::npos) {
                       error(at(key_node, path), "invalid environment variable name");
                       return;
                     }
                     // Values refer to the real environment, as when LiteLLM sets them in turn.
                     if (auto resolved = text(value, at(key_node, path))) overlay.emplace_back(key, *resolved);
                   });
    config_.environment_variables = overlay;
    resolver_ = EnvResolver(env_, std::move(overlay));
  }

  void read_router_settings(const YAML::Node& node, const std::string& path) {
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      warn(top_where_["router_settings"], fmt::format("expected a map, got {}; ignored", kind_of(node)));
      return;
    }
    for_each_entry(node, path, [&](const std::string& key, const YAML::Node& key_node,
                                   const YAML::Node& value, const std::string& child) {
      // llmtap spreads requests by simple shuffle: saying so explicitly needs no warning.
      if (key == "routing_strategy" && value.IsScalar() && value.Scalar() == "simple-shuffle") return;
      warn(at(key_node, child), "not supported by llmtap (requests are spread by simple shuffle); ignored");
    });
  }

  void read_litellm_settings(const YAML::Node& node) {
    if (node.IsNull() || !expect_map(node, top_where_["litellm_settings"])) return;
    for_each_entry(node, "litellm_settings", [&](const std::string& key, const YAML::Node& key_node,
                                                 const YAML::Node& value, const std::string& path) {
      if (key == "callbacks") {
        collect_callbacks(value, at(key_node, path), true, true);
      } else if (key == "success_callback") {
        collect_callbacks(value, at(key_node, path), true, false);
      } else if (key == "failure_callback") {
        collect_callbacks(value, at(key_node, path), false, true);
      } else if (key == "turn_off_message_logging") {
        if (value.IsNull()) return;
        if (auto b = boolean(value, at(key_node, path))) config_.turn_off_message_logging = *b;
      } else if (key == "standard_logging_payload_excluded_fields") {
        if (auto list = string_list(value, at(key_node, path))) config_.excluded_fields = std::move(*list);
      } else if (key == "shutdown_timeout") {
        if (auto t = text(value, at(key_node, path))) {
          auto d = checked(parse_duration(*t, DurationBound::positive), *t, at(key_node, path));
          if (d) config_.shutdown_timeout = *d;
        }
      } else if (key == "request_timeout") {
        if (auto t = text(value, at(key_node, path))) {
          auto d = checked(parse_duration(*t, DurationBound::positive), *t, at(key_node, path));
          if (d) default_request_timeout_ = *d;
        }
      } else if (key == "model_prices_file") {
        if (auto p = file_path(value, at(key_node, path))) config_.model_prices_file = *p;
      } else if (key == "generic_api_presets_file") {
        presets_file_node_ = value;
        presets_file_where_ = at(key_node, path);
      } else if (key == "generic_logger_headers") {
        read_generic_logger_headers(value, at(key_node, path));
      } else if (key == "DEFAULT_BATCH_SIZE") {
        if (auto t = text(value, at(key_node, path))) {
          default_batch_size_ = checked(parse_count(*t), *t, at(key_node, path));
        }
      } else if (key == "DEFAULT_FLUSH_INTERVAL_SECONDS") {
        if (auto t = text(value, at(key_node, path))) {
          default_flush_interval_ =
              checked(parse_duration(*t, DurationBound::positive), *t, at(key_node, path));
        }
      } else if (key == "master_key") {
        warn(at(key_node, path), "LiteLLM does not read master_key here; set general_settings.master_key; ignored");
      } else if (!contains(kSilentLitellmSettings, key)) {
        warn_unsupported(key_node, path);
      }
    });
  }

  void collect_callbacks(const YAML::Node& node, const Diagnostic& where, bool success,
                         bool failure) {
    const std::string& path = where.key_path;
    auto add = [&](const YAML::Node& item, const Diagnostic& item_where) {
      if (!item.IsScalar()) {
        error(item_where, fmt::format("expected a callback name, got {}", kind_of(item)));
        return;
      }
      const std::string name(ascii::trim(item.Scalar()));
      if (name.empty()) return;
      auto it = std::find_if(uses_.begin(), uses_.end(),
                             [&](const CallbackUse& use) { return use.name == name; });
      if (it == uses_.end()) {
        uses_.push_back(CallbackUse{name, item_where, false, false});
        it = std::prev(uses_.end());
      }
      it->success = it->success || success;
      it->failure = it->failure || failure;
    };
    if (node.IsNull()) return;
    if (node.IsScalar()) {
      add(node, where);
    } else if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        add(node[i], at(node[i], fmt::format("{}[{}]", path, i)));
      }
    } else {
      error(where, fmt::format("expected a list or a string, got {}", kind_of(node)));
    }
  }

  // "k=v,k2=v2" (GENERIC_LOGGER_HEADERS and the string form of generic_logger_headers).
  std::vector<std::pair<std::string, std::string>> parse_header_pairs(std::string_view text,
                                                                      const Diagnostic& where) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!text.empty()) {
      const std::size_t comma = text.find(',');
      const std::string_view item = ascii::trim(text.substr(0, comma));
      text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
      if (item.empty()) continue;
      const std::size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        error(where, fmt::format("expected name=value pairs separated by commas, got '{}'", item));
        continue;
      }
      out.emplace_back(std::string(ascii::trim(item.substr(0, eq))), std::string(ascii::trim(item.substr(eq + 1))));
    }
    return out;
  }

  void read_generic_logger_headers(const YAML::Node& node, const Diagnostic& where) {
    if (node.IsNull()) return;
    if (node.IsScalar()) {
      if (auto value = text(node, where)) {
        for (auto& [name, header_value] : parse_header_pairs(*value, where)) {
          global_headers_.emplace_back(name, Setting{header_value, where, {}, {}});
        }
      }
      return;
    }
    if (!node.IsMap()) {
      error(where, fmt::format("expected a map or name=value pairs, got {}", kind_of(node)));
      return;
    }
    for_each_entry(node, where.key_path,
                   [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                       const std::string& child) {
                     const Diagnostic header_where = at(key_node, child);
                     if (auto resolved = text(value, header_where)) {
                       global_headers_.emplace_back(key, Setting{*resolved, header_where, {}, {}});
                     }
                   });
  }

  void read_general_settings(const YAML::Node& node) {
    if (node.IsNull() || !expect_map(node, top_where_["general_settings"])) return;
    for_each_entry(node, "general_settings", [&](const std::string& key, const YAML::Node& key_node,
                                                 const YAML::Node& value, const std::string& path) {
      if (key == "master_key") {
        if (value.IsNull()) return;
        if (auto v = text(value, at(key_node, path))) config_.master_key = *v;
      } else if (key == "request_read_timeout") {
        if (auto t = text(value, at(key_node, path))) {
          auto d = checked(parse_duration(*t, DurationBound::positive), *t, at(key_node, path));
          if (d) config_.request_read_timeout = *d;
        }
      } else {
        warn_unsupported(key_node, path);
      }
    });
  }

  // ---- model_list ----------------------------------------------------------------------------

  void read_model_list(const YAML::Node& node) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
      error(top_where_["model_list"], fmt::format("expected a list, got {}", kind_of(node)));
      return;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string path = fmt::format("model_list[{}]", i);
      const YAML::Node item = node[i];
      if (!expect_map(item, at(item, path))) continue;
      read_deployment(item, path);
    }
  }

  // Warns once per generic key path (e.g. model_list[].litellm_params.rpm), not per deployment.
  void warn_deployment_key(const YAML::Node& key_node, const std::string& path,
                           const std::string& generic_path) {
    if (warned_deployment_keys_.insert(generic_path).second) {
      warn(at(key_node, path), "not supported by llmtap; ignored (warned once for all deployments)");
    }
  }

  void read_deployment(const YAML::Node& item, const std::string& path) {
    std::vector<Diagnostic> unset;
    std::optional<std::string> model_name, model, api_key, api_base, mock_response, provider_override,
        model_info_id;
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<double> input_cost, output_cost, info_input_cost, info_output_cost;
    bool have_name = false, have_params = false, have_model = false, ok = true;
    Diagnostic params_where = at(item, path), model_where = params_where, api_base_where = params_where;
    const std::size_t errors_before = errors_.size();

    auto read_cost = [&](const YAML::Node& value, const Diagnostic& where) -> std::optional<double> {
      auto t = text(value, where, &unset);
      if (!t) return std::nullopt;
      return checked(parse_non_negative(*t), *t, where);
    };

    for_each_entry(item, path, [&](const std::string& key, const YAML::Node& key_node,
                                   const YAML::Node& value, const std::string& child) {
      if (key == "model_name") {
        have_name = true;
        model_name = text(value, at(key_node, child), &unset);
      } else if (key == "litellm_params") {
        have_params = true;
        params_where = at(key_node, child);
        if (!expect_map(value, params_where)) return;
        for_each_entry(value, child, [&](const std::string& pkey, const YAML::Node& pkey_node,
                                         const YAML::Node& pvalue, const std::string& pchild) {
          const Diagnostic pwhere = at(pkey_node, pchild);
          if (pvalue.IsNull()) {
            if (pkey == "model") have_model = true;
            return;  // `api_base: null` means "not set", as in LiteLLM
          }
          if (pkey == "model") {
            have_model = true;
            model_where = pwhere;
            model = text(pvalue, pwhere, &unset);
          } else if (pkey == "api_key") {
            api_key = text(pvalue, pwhere, &unset);
          } else if (pkey == "api_base") {
            api_base_where = pwhere;
            api_base = text(pvalue, pwhere, &unset);
          } else if (pkey == "mock_response") {
            mock_response = text(pvalue, pwhere, &unset);
            if (!mock_response) mock_response = std::string();
          } else if (pkey == "custom_llm_provider") {
            provider_override = text(pvalue, pwhere, &unset);
          } else if (pkey == "timeout") {
            if (auto t = text(pvalue, pwhere, &unset)) {
              timeout = checked(parse_duration(*t, DurationBound::positive), *t, pwhere);
            }
          } else if (pkey == "input_cost_per_token") {
            input_cost = read_cost(pvalue, pwhere);
          } else if (pkey == "output_cost_per_token") {
            output_cost = read_cost(pvalue, pwhere);
          } else {
            warn_deployment_key(pkey_node, pchild, "model_list[].litellm_params." + pkey);
          }
        });
      } else if (key == "model_info") {
        if (value.IsNull() || !expect_map(value, at(key_node, child))) return;
        for_each_entry(value, child, [&](const std::string& ikey, const YAML::Node& ikey_node,
                                         const YAML::Node& ivalue, const std::string& ichild) {
          const Diagnostic iwhere = at(ikey_node, ichild);
          if (ivalue.IsNull()) return;
          if (ikey == "id") {
            model_info_id = text(ivalue, iwhere, &unset);
          } else if (ikey == "input_cost_per_token") {
            info_input_cost = read_cost(ivalue, iwhere);
          } else if (ikey == "output_cost_per_token") {
            info_output_cost = read_cost(ivalue, iwhere);
          }
          // Everything else in model_info is descriptive metadata: nothing to warn about.
        });
      } else {
        warn_deployment_key(key_node, child, "model_list[]." + key);
      }
    });
    if (!have_name) {
      error(at(item, path), "missing required key 'model_name'");
      ok = false;
    }
    if (!have_params) {
      error(at(item, path), "missing required key 'litellm_params'");
      ok = false;
    } else if (!have_model) {
      error(params_where, "missing required key 'model'");
      ok = false;
    }
    if (!ok || errors_.size() != errors_before) return;
    if (model_name) add_model_name(*model_name);

    const std::string label = model_name ? fmt::format("'{}'", *model_name) : path;
    const bool is_mock = mock_response.has_value();
    if (!model_name || !model) {
      // Without its name or model a deployment cannot be routed, mock or not.
      for (auto& d : unset) {
        deployment_problem(d, fmt::format("{}; deployment {} left out of routing", d.message, label));
      }
      return;
    }

    Deployment dep;
    dep.model_name = *model_name;
    dep.model = *model;
    const std::size_t slash = model->find('/');
    if (provider_override && !provider_override->empty()) {
      dep.provider = *provider_override;
      const std::string prefix = *provider_override + "/";
      dep.upstream_model = model->rfind(prefix, 0) == 0 ? model->substr(prefix.size()) : *model;
    } else if (slash == std::string::npos) {
      dep.provider = "openai";  // LiteLLM's default for a bare model name
      dep.upstream_model = *model;
    } else {
      dep.provider = model->substr(0, slash);
      dep.upstream_model = model->substr(slash + 1);
    }
    const ProviderInfo* provider = find_provider(dep.provider);

    bool usable = true;
    if (provider == nullptr && !is_mock) {
      // The provider is the reason; its missing keys would only add noise.
      deployment_problem(
          model_where,
          fmt::format("{} '{}' is not supported by llmtap yet; deployment {} left out of routing",
                      is_known_litellm_provider(dep.provider) ? "provider" : "unknown provider",
                      dep.provider, label));
      return;
    }
    for (auto& d : unset) {
      if (is_mock) {
        // A mock answers locally: its key and api_base are never used.
        warn(d, fmt::format("{} (unused: the deployment has mock_response)", d.message));
      } else {
        deployment_problem(d, fmt::format("{}; deployment {} left out of routing", d.message, label));
        usable = false;
      }
    }
    dep.mock_response = mock_response;
    dep.timeout = timeout.value_or(default_request_timeout_.value_or(dep.timeout));
    dep.input_cost_per_token = input_cost ? input_cost : info_input_cost;
    dep.output_cost_per_token = output_cost ? output_cost : info_output_cost;
    if (api_key) dep.api_key = *api_key;

    if (api_base) {
      std::string base = *api_base;
      while (!base.empty() && base.back() == '/') base.pop_back();
      if (!is_http_url(base) && !is_mock) {
        deployment_problem(api_base_where,
                           fmt::format("expected an http:// or https:// URL, got '{}'; deployment {} "
                                       "left out of routing", *api_base, label));
        usable = false;
      }
      if (provider != nullptr && provider->api_base_needs_v1 && !base.ends_with("/v1")) base += "/v1";
      dep.api_base = std::move(base);
    } else if (provider != nullptr) {
      dep.api_base = std::string(provider->default_api_base);
      if (dep.api_base.empty() && !is_mock) {
        deployment_problem(params_where,
                           fmt::format("provider '{}' needs api_base; deployment {} left out of routing",
                                       dep.provider, label));
        usable = false;
      }
    }
    if (!api_key && provider != nullptr && !provider->key_env.empty()) {
      // LiteLLM falls back to the provider's conventional variable; so does llmtap.
      if (auto key = resolver_.get(provider->key_env)) dep.api_key = *key;
    }
    dep.id = model_info_id ? *model_info_id : stable_id(dep.model_name, dep.model, dep.api_base);
    if (!model_info_id) {
      const std::string base_id = dep.id;
      for (int n = 2; used_ids_.count(dep.id) != 0; ++n) dep.id = fmt::format("{}-{}", base_id, n);
    }
    used_ids_.insert(dep.id);
    if (usable || is_mock) config_.deployments.push_back(std::move(dep));
  }

  void add_model_name(const std::string& name) {
    if (std::find(config_.model_names.begin(), config_.model_names.end(), name) ==
        config_.model_names.end()) {
      config_.model_names.push_back(name);
    }
  }

  // ---- presets -------------------------------------------------------------------------------

  void load_presets() {
    presets_ = builtin_presets();
    if (!presets_file_where_ || presets_file_node_.IsNull()) return;
    auto path = file_path(presets_file_node_, *presets_file_where_);
    if (!path) return;
    std::string read_error;
    auto json = read_file(*path, read_error);
    if (!json) {
      error(Diagnostic{*path, 0, 0, {}, {}}, read_error);
      return;
    }
    PresetParse parsed = parse_presets(*json);
    for (auto& message : parsed.errors) error(Diagnostic{*path, 0, 0, {}, {}}, std::move(message));
    for (auto& preset : parsed.presets) {
      auto it = std::find_if(presets_.begin(), presets_.end(),
                             [&](const Preset& p) { return p.name == preset.name; });
      if (it != presets_.end()) {
        *it = std::move(preset);
      } else {
        presets_.push_back(std::move(preset));
      }
    }
  }

  const Preset* find_preset(std::string_view name) const {
    auto it = std::find_if(presets_.begin(), presets_.end(),
                           [&](const Preset& p) { return p.name == name; });
    return it == presets_.end() ? nullptr : &*it;
  }

  // The preset's values as the bottom layer of a logger; `where` is where it was asked for.
  static void layer_preset(const Preset& preset, const Diagnostic& where, RawLogger& raw) {
    for (const auto& [key, value] : preset.settings) {
      if (key == "callback_type") continue;
      raw.settings[key] = Setting{value, where, preset.name, key};
    }
    for (const auto& [name, value] : preset.headers) {
      raw.headers.emplace_back(name, Setting{value, where, preset.name, "headers." + name});
    }
    for (const auto& [name, value] : preset.envelope_fields) {
      raw.envelope_fields.emplace_back(name, Setting{value, where, preset.name, "envelope_fields." + name});
    }
    if (preset.event_types) {
      std::vector<Setting> events;
      for (const auto& event : *preset.event_types) {
        events.push_back(Setting{event, where, preset.name, "event_types"});
      }
      raw.event_types = std::move(events);
    }
  }

  // ---- callback_settings ---------------------------------------------------------------------

  void read_callback_settings(const YAML::Node& node) {
    if (node.IsNull() || !expect_map(node, top_where_["callback_settings"])) return;
    for_each_entry(node, "callback_settings", [&](const std::string& name, const YAML::Node& key_node,
                                                  const YAML::Node& entry, const std::string& path) {
      if (!expect_map(entry, at(key_node, path))) return;
      YAML::Node type, type_key;
      for (const auto& field : entry) {
        if (field.first.IsScalar() && field.first.Scalar() == "callback_type") {
          type_key = field.first;
          type = field.second;
        }
      }
      if (!type_key.IsScalar()) {
        error(at(key_node, path), "missing required key 'callback_type' (expected generic_api)");
        return;
      }
      if (!type.IsScalar() || type.Scalar() != kGenericApi) {
        other_entries_[name] = at(type_key, path + ".callback_type");
        other_types_[name] = type.IsScalar() ? type.Scalar() : kind_of(type);
        return;
      }
      RawLogger raw;
      raw.name = name;
      raw.where = at(key_node, path);
      raw.from_entry = true;
      if (const Preset* preset = find_preset(name)) layer_preset(*preset, raw.where, raw);
      read_entry_keys(entry, path, raw);
      entries_.push_back(std::move(raw));
    });
  }

  void read_entry_keys(const YAML::Node& entry, const std::string& path, RawLogger& raw) {
    for_each_entry(entry, path, [&](const std::string& key, const YAML::Node& key_node,
                                    const YAML::Node& value, const std::string& child) {
      if (key == "callback_type") return;
      if (key == "headers") {
        read_string_map(value, key_node, child, "header names to values", true, raw.headers);
      } else if (key == "event_types") {
        std::vector<Setting> events;
        auto add = [&](const YAML::Node& item, const std::string& item_path) {
          if (!item.IsScalar()) {
            error(at(item, item_path), fmt::format("expected a string, got {}", kind_of(item)));
            return;
          }
          events.push_back(Setting{item.Scalar(), at(item, item_path), {}, {}});
        };
        if (value.IsNull()) return;
        if (value.IsScalar()) {
          add(value, child);
        } else if (value.IsSequence()) {
          for (std::size_t i = 0; i < value.size(); ++i) add(value[i], fmt::format("{}[{}]", child, i));
        } else {
          error(at(key_node, child), fmt::format("expected a list, got {}", kind_of(value)));
          return;
        }
        raw.event_types = std::move(events);
      } else if (key == "envelope_fields") {
        read_string_map(value, key_node, child, "field names to strings", false, raw.envelope_fields);
      } else if (key == "tls") {
        read_tls(value, key_node, child, raw);
      } else if (is_logger_scalar_key(key)) {
        if (value.IsNull()) return;
        if (!value.IsScalar()) {
          error(at(key_node, child), fmt::format("expected a string, got {}", kind_of(value)));
          return;
        }
        raw.settings[key] = Setting{value.Scalar(), at(key_node, child), {}, {}};
      } else {
        error(at(key_node, child),
              unknown_key_message(key, callback_settings_key_names()));
      }
    });
  }

  // A map of scalars (headers, envelope_fields) merged name by name over what a preset put there
  // — before resolving, so an overridden preset value needs no variable.
  void read_string_map(const YAML::Node& value, const YAML::Node& key_node, const std::string& path,
                       std::string_view what, bool ignore_case, std::vector<std::pair<std::string, Setting>>& out) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(at(key_node, path), fmt::format("expected a map of {}, got {}", what, kind_of(value)));
      return;
    }
    for_each_entry(value, path, [&](const std::string& name, const YAML::Node& name_node,
                                    const YAML::Node& item, const std::string& item_path) {
      if (!item.IsScalar()) {
        error(at(name_node, item_path), fmt::format("expected a string, got {}", kind_of(item)));
        return;
      }
      Setting setting{item.Scalar(), at(name_node, item_path), {}, {}};
      auto same = std::find_if(out.begin(), out.end(), [&](const auto& entry) {
        return ignore_case ? ascii::iequals(entry.first, name) : entry.first == name;
      });
      if (same != out.end()) {
        *same = {name, std::move(setting)};
      } else {
        out.emplace_back(name, std::move(setting));
      }
    });
  }

  // tls: {ca_file, cert_file, key_file, verify}, kept as "tls.<key>" settings.
  void read_tls(const YAML::Node& value, const YAML::Node& key_node, const std::string& path, RawLogger& raw) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(at(key_node, path), fmt::format("expected a map ({}), got {}",
                                            fmt::join(tls_key_names(), ", "), kind_of(value)));
      return;
    }
    for_each_entry(value, path, [&](const std::string& key, const YAML::Node& tls_key_node,
                                    const YAML::Node& tls_value, const std::string& tpath) {
      if (std::find(tls_key_names().begin(), tls_key_names().end(), key) == tls_key_names().end()) {
        error(at(tls_key_node, tpath), unknown_key_message(key, tls_key_names()));
        return;
      }
      if (tls_value.IsNull()) return;
      if (!tls_value.IsScalar()) {
        error(at(tls_key_node, tpath), fmt::format("expected a string, got {}", kind_of(tls_value)));
        return;
      }
      raw.settings["tls." + key] = Setting{tls_value.Scalar(), at(tls_key_node, tpath), {}, {}};
    });
  }

  // ---- resolving callbacks -------------------------------------------------------------------

  static std::string prefix_of(const Setting& s) {
    return s.preset.empty() ? std::string() : fmt::format("preset '{}' {}: ", s.preset, s.preset_key);
  }

  std::optional<std::string> resolve(const Setting& s) {
    auto expansion = resolver_.expand(s.text, !s.preset.empty());
    if (expansion.missing.empty()) return std::move(expansion.value);
    for (const auto& name : expansion.missing) {
      error(s.where, fmt::format("{}environment variable '{}' is not set", prefix_of(s), name));
    }
    return std::nullopt;
  }

  // Headers from GENERIC_LOGGER_HEADERS, parsed once and only if some logger needs them.
  const std::vector<std::pair<std::string, std::string>>& env_headers() {
    if (!env_headers_) {
      env_headers_.emplace();
      if (auto value = resolver_.get("GENERIC_LOGGER_HEADERS")) {
        *env_headers_ = parse_header_pairs(*value, where_file("$GENERIC_LOGGER_HEADERS"));
      }
    }
    return *env_headers_;
  }

  std::optional<std::size_t> global_batch_size() {
    if (default_batch_size_) return default_batch_size_;
    if (auto value = resolver_.get("DEFAULT_BATCH_SIZE")) {
      return checked(parse_count(*value), *value, where_file("$DEFAULT_BATCH_SIZE"));
    }
    return std::nullopt;
  }

  std::optional<std::chrono::milliseconds> global_flush_interval() {
    if (default_flush_interval_) return default_flush_interval_;
    if (auto value = resolver_.get("DEFAULT_FLUSH_INTERVAL_SECONDS")) {
      return checked(parse_duration(*value, DurationBound::positive), *value,
                     where_file("$DEFAULT_FLUSH_INTERVAL_SECONDS"));
    }
    return std::nullopt;
  }

  bool add_header(HeaderList& headers, const std::string& name, const std::string& value,
                  const Diagnostic& where, const std::string& prefix) {
    if (!is_header_token(name)) {
      error(where, fmt::format("{}invalid header name '{}' (must be an RFC 7230 token)", prefix, name));
      return false;
    }
    if (has_control_break(value)) {
      error(where, fmt::format("{}header '{}' value contains CR, LF or NUL", prefix, name));
      return false;
    }
    merge_header(headers, name, value);
    return true;
  }

  std::optional<CallbackConfig> build(const RawLogger& raw, bool success, bool failure) {
    const std::size_t errors_before = errors_.size();
    CallbackConfig cb;
    cb.name = raw.name;
    apply_defaults(raw.name, cb);
    for (const CallbackKey& key : callback_keys()) {
      switch (key.kind) {
        case KeyKind::callback_type:  // checked when the entry was read
        case KeyKind::event_list:     // read_event_types, below
        case KeyKind::header_map:     // merge_headers, below: Content-Type follows log_format
          break;
        case KeyKind::url: read_endpoint(raw, cb); break;
        case KeyKind::field_map: read_envelope_fields(raw, cb); break;
        default:
          if (const Setting* s = find_setting(raw, key.name)) land(key, *s, cb);
      }
    }
    check_tls_pair(raw);
    read_event_types(raw, success, failure, cb);
    merge_headers(raw, cb);

    if (errors_.size() != errors_before) return std::nullopt;
    if (!cb.log_success && !cb.log_failure) {
      warn(raw.where, fmt::format("callback '{}' receives no events: its event_types and the lists "
                                  "naming it do not overlap; ignored", raw.name));
      return std::nullopt;
    }
    return cb;
  }

  static const Setting* find_setting(const RawLogger& raw, std::string_view key) {
    auto it = raw.settings.find(std::string(key));
    return it == raw.settings.end() ? nullptr : &it->second;
  }

  // Defaults that depend on the logger (paths under ./.llmtap/<name>) or on litellm_settings and
  // the environment (DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL_SECONDS).
  void apply_defaults(const std::string& name, CallbackConfig& cb) {
    for (const CallbackKey& key : callback_keys()) {
      const auto* field = std::get_if<Field<std::string>>(&key.field);
      const std::size_t at = key.default_text.find("<name>");
      if (field == nullptr || at == std::string_view::npos) continue;
      std::string text(key.default_text);
      field->of(cb) = text.replace(at, 6, name);
    }
    if (auto n = global_batch_size()) cb.batch_size = *n;
    if (auto d = global_flush_interval()) cb.flush_interval = *d;
  }

  // Checks one scalar setting by its key's kind and stores it where the key says.
  void land(const CallbackKey& key, const Setting& s, CallbackConfig& cb) {
    auto value = resolve(s);
    if (!value) return;
    std::visit(
        [&](const auto& field) {
          using F = std::decay_t<decltype(field)>;
          if constexpr (!std::is_same_v<F, std::monostate>) {
            if (auto checked_value = check_value(key, field, *value, s)) {
              field.of(cb) = std::move(*checked_value);
            }
          }
        },
        key.field);
    if (std::holds_alternative<Field<Envelope>>(key.field)) check_envelope_format(s, cb);
  }

  template <typename T>
  std::optional<T> check_value(const CallbackKey& key, const Field<T>&, const std::string& value,
                               const Setting& s) {
    const std::string prefix = prefix_of(s);
    if constexpr (std::is_same_v<T, std::size_t>) {
      return checked(parse_count(value), value, s.where, prefix);
    } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
      const auto bound = key.kind == KeyKind::duration_or_zero ? DurationBound::non_negative
                                                                : DurationBound::positive;
      return checked(parse_duration(value, bound), value, s.where, prefix);
    } else if constexpr (std::is_same_v<T, bool>) {
      return checked(parse_flag(value), value, s.where, prefix);
    } else if constexpr (std::is_enum_v<T>) {
      auto e = enum_from_name<T>(value);
      if (!e) {
        error(s.where, fmt::format("{}expected one of {}, got '{}'", prefix, enum_name_list<T>(),
                                   value));
      }
      return e;
    } else {
      return check_text(key, value, s);
    }
  }

  std::optional<std::string> check_text(const CallbackKey& key, const std::string& value,
                                        const Setting& s) {
    const std::string prefix = prefix_of(s);
    switch (key.kind) {
      case KeyKind::url:
        if (is_http_url(value)) return value;
        error(s.where,
              fmt::format("{}expected an http:// or https:// URL, got '{}'", prefix, value));
        return std::nullopt;
      case KeyKind::secret:
        if (is_webhook_secret(value)) return value;
        error(s.where, fmt::format("{}expected a Standard Webhooks secret 'whsec_<base64>'", prefix));
        return std::nullopt;
      case KeyKind::file: return file_path(value, s.where, prefix);
      case KeyKind::text_or_none: return value == "none" ? std::string() : value;
      default: return value;
    }
  }

  // endpoint, else GENERIC_LOGGER_ENDPOINT; one of them is required.
  void read_endpoint(const RawLogger& raw, CallbackConfig& cb) {
    static const CallbackKey& key = *find_callback_key("endpoint");
    if (const Setting* s = find_setting(raw, key.name)) {
      land(key, *s, cb);
    } else if (auto value = resolver_.get("GENERIC_LOGGER_ENDPOINT")) {
      if (is_http_url(*value)) {
        cb.endpoint = *value;
      } else {
        error(where_file("$GENERIC_LOGGER_ENDPOINT"),
              fmt::format("expected an http:// or https:// URL, got '{}'", *value));
      }
    } else if (raw.from_entry) {
      error(raw.where, "missing required key 'endpoint' (or set GENERIC_LOGGER_ENDPOINT)");
    } else {
      error(raw.where, fmt::format("callback '{}' needs GENERIC_LOGGER_ENDPOINT: environment "
                                   "variable 'GENERIC_LOGGER_ENDPOINT' is not set", raw.name));
    }
  }

  // Splunk HEC and ClickHouse read one object after another, never a JSON array.
  void check_envelope_format(const Setting& s, const CallbackConfig& cb) {
    if (cb.log_format != LogFormat::json_array) return;
    if (cb.envelope == Envelope::splunk_hec) {
      error(s.where, fmt::format("{}envelope splunk_hec needs log_format ndjson or single (HEC reads "
                                 "concatenated event objects, not a JSON array)", prefix_of(s)));
    } else if (cb.envelope == Envelope::clickhouse) {
      error(s.where, fmt::format("{}envelope clickhouse needs log_format ndjson or single (FORMAT "
                                 "JSONEachRow reads one row object after another, not a JSON array)",
                                 prefix_of(s)));
    }
  }

  void read_envelope_fields(const RawLogger& raw, CallbackConfig& cb) {
    for (const auto& [name, s] : raw.envelope_fields) {
      if (auto value = resolve(s)) cb.envelope_fields.emplace_back(name, *value);
    }
    if (!raw.envelope_fields.empty() && cb.envelope == Envelope::none) {
      const Setting& first = raw.envelope_fields.front().second;
      error(first.where, fmt::format("{}envelope_fields needs an envelope (splunk_hec or datadog)",
                                     prefix_of(first)));
    }
  }

  void check_tls_pair(const RawLogger& raw) {
    const Setting* cert = find_setting(raw, "tls.cert_file");
    const Setting* key = find_setting(raw, "tls.key_file");
    if ((cert != nullptr) != (key != nullptr)) {
      error((cert ? cert : key)->where, "mutual TLS needs both tls.cert_file and tls.key_file");
    }
  }

  void read_event_types(const RawLogger& raw, bool success, bool failure, CallbackConfig& cb) {
    bool events_success = true, events_failure = true;
    if (raw.event_types) {
      events_success = events_failure = false;
      for (const Setting& s : *raw.event_types) {
        auto value = resolve(s);
        if (!value) continue;
        if (*value == kSuccessEvent) {
          events_success = true;
        } else if (*value == kFailureEvent) {
          events_failure = true;
        } else {
          error(s.where, fmt::format("{}expected one of llm_api_success, llm_api_failure, got '{}'",
                                     prefix_of(s), *value));
        }
      }
    }
    cb.log_success = success && events_success;
    cb.log_failure = failure && events_failure;
  }

  // Later layers win, name by name, case-insensitively (README "callback_settings.<name>").
  void merge_headers(const RawLogger& raw, CallbackConfig& cb) {
    merge_header(cb.headers, "Content-Type",
                 cb.log_format == LogFormat::ndjson ? "application/x-ndjson" : "application/json");
    for (const auto& [name, value] : env_headers()) {
      add_header(cb.headers, name, value, where_file("$GENERIC_LOGGER_HEADERS"), {});
    }
    for (const auto& [name, s] : global_headers_) add_header(cb.headers, name, s.text, s.where, {});
    // An entry that picks its own log_format over a preset's gets the Content-Type of that
    // format, not the preset's (which named the preset's format); its own Content-Type still wins.
    const Setting* format = find_setting(raw, "log_format");
    const bool entry_chose_format = format != nullptr && format->preset.empty();
    for (const auto& [name, s] : raw.headers) {
      if (entry_chose_format && !s.preset.empty() && ascii::iequals(name, "Content-Type")) continue;
      if (auto value = resolve(s)) add_header(cb.headers, name, *value, s.where, prefix_of(s));
    }
  }

  std::vector<std::string_view> known_callbacks() const {
    std::vector<std::string_view> names;
    for (const auto& entry : entries_) names.push_back(entry.name);
    std::vector<std::string_view> preset_names;
    for (const auto& preset : presets_) {
      if (std::find(names.begin(), names.end(), preset.name) == names.end()) {
        preset_names.push_back(preset.name);
      }
    }
    std::sort(preset_names.begin(), preset_names.end());
    names.insert(names.end(), preset_names.begin(), preset_names.end());
    names.push_back(kGenericApi);
    return names;
  }

  void finish_callbacks() {
    if (presets_.empty()) presets_ = builtin_presets();
    std::set<std::string> used_entries;
    for (const CallbackUse& use : uses_) {
      auto entry = std::find_if(entries_.begin(), entries_.end(),
                                [&](const RawLogger& raw) { return raw.name == use.name; });
      std::optional<CallbackConfig> built;
      if (entry != entries_.end()) {
        used_entries.insert(use.name);
        built = build(*entry, use.success, use.failure);
      } else if (auto other = other_entries_.find(use.name); other != other_entries_.end()) {
        warn(other->second, fmt::format("callback_type '{}' is not supported by llmtap; callback '{}' ignored",
                                        other_types_[use.name], use.name));
      } else if (const Preset* preset = find_preset(use.name)) {
        RawLogger raw;
        raw.name = use.name;
        raw.where = use.where;
        layer_preset(*preset, use.where, raw);
        built = build(raw, use.success, use.failure);
      } else if (use.name == kGenericApi) {
        RawLogger raw;
        raw.name = use.name;
        raw.where = use.where;
        built = build(raw, use.success, use.failure);
      } else if (contains(kLitellmBuiltinCallbacks, use.name)) {
        warn(use.where, fmt::format("callback '{}' is not supported by llmtap; ignored", use.name));
      } else if (use.name.find('.') != std::string::npos) {
        warn(use.where, fmt::format("custom Python callback '{}' is not supported by llmtap; ignored", use.name));
      } else {
        const auto known = known_callbacks();
        error(use.where, fmt::format("unknown callback '{}'{} (known: {})", use.name,
                                     did_you_mean(use.name, known), fmt::join(known, ", ")));
      }
      if (built) config_.callbacks.push_back(std::move(*built));
    }
    for (const RawLogger& raw : entries_) {
      if (used_entries.count(raw.name) != 0) continue;
      // Still validated, so a typo in an unused entry is found before it is switched on.
      build(raw, true, true);
      warn(raw.where, fmt::format("callback '{}' is not listed in litellm_settings.callbacks, "
                                  "success_callback or failure_callback; ignored", raw.name));
    }
  }

  std::string file_;
  EnvLookup env_;
  EnvResolver resolver_;
  LoadOptions options_;
  Config config_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;

  std::vector<CallbackUse> uses_;
  std::vector<RawLogger> entries_;                   // generic_api entries, file order
  std::map<std::string, Diagnostic> other_entries_;  // entries of another callback_type
  std::map<std::string, std::string> other_types_;
  std::vector<Preset> presets_;
  YAML::Node presets_file_node_;
  std::optional<Diagnostic> presets_file_where_;
  std::vector<std::pair<std::string, Setting>> global_headers_;  // litellm_settings.generic_logger_headers
  std::optional<std::vector<std::pair<std::string, std::string>>> env_headers_;
  std::optional<std::size_t> default_batch_size_;
  std::optional<std::chrono::milliseconds> default_flush_interval_;
  std::optional<std::chrono::milliseconds> default_request_timeout_;
  std::set<std::string> warned_deployment_keys_;
  std::set<std::string> used_ids_;
  std::map<std::string, Diagnostic> top_where_;  // top-level keys, for messages about their values
};

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
