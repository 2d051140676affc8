// CallbackReader: everything that turns callback names into CallbackConfigs (README "Resolving
// callback names", "callback_settings.<name>", "Presets"). It collects the names of
// litellm_settings' callback lists, reads callback_settings entries and presets into RawLoggers
// (values unresolved, so an overridden preset value needs no variable), then builds each listed
// logger by config/callback_schema.h's table: presets below entries, key by key.
//
// Reading is in callback_settings.cc, building in callbacks.cc, resolving the listed names in
// callback_names.cc. Lifecycle: one
// per load, fed by the loader section by section, then finish(). Not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/callback_schema.h"
#include "config/config.h"
#include "config/diagnostics.h"
#include "config/env_resolver.h"
#include "config/presets.h"
#include "config/yaml_reader.h"

namespace llmtap::config {

// One raw logger setting and where it came from. Text is resolved only when the value is used,
// so a preset value that an entry overrides never needs its variables.
struct Setting {
  std::string text;
  Mark where;
  std::string preset;      // set when the text came from this preset
  std::string preset_key;  // the preset's key, for messages
};

using SettingList = std::vector<std::pair<std::string, Setting>>;

struct RawLogger {
  std::string name;
  Mark where;  // the callback_settings entry, else the first callbacks list item
  bool from_entry = false;
  std::map<std::string, Setting> settings;  // scalar keys, "tls.<key>" for tls
  SettingList headers;
  std::optional<std::vector<Setting>> event_types;
  SettingList envelope_fields;  // merged by name like headers
};

// A name in callbacks / success_callback / failure_callback.
struct CallbackUse {
  std::string name;
  Mark where;  // first mention
  bool success = false;
  bool failure = false;
};

class CallbackReader {
 public:
  CallbackReader(YamlReader& yaml, Diagnostics& diagnostics, const EnvResolver& resolver)
      : yaml_(yaml), diagnostics_(diagnostics), resolver_(resolver) {}

  // litellm_settings: the callback lists, generic_logger_headers, the presets file and the
  // batch defaults.
  void collect_callbacks(const YAML::Node& node, const Mark& where, bool success, bool failure);
  void read_generic_logger_headers(const YAML::Node& node, const Mark& where);
  void set_presets_file(const YAML::Node& node, const Mark& where);
  void set_default_batch_size(std::optional<std::size_t> n) { default_batch_size_ = n; }
  void set_default_flush_interval(std::optional<std::chrono::milliseconds> d) {
    default_flush_interval_ = d;
  }

  // The built-in presets, then the presets file's over them by name.
  void load_presets();
  void read_callback_settings(const YAML::Node& node, const Mark& where);
  // Builds every listed logger into config.callbacks; unlisted entries are checked and warned.
  void finish_callbacks(Config& config);

 private:
  // Reading (callback_settings.cc).
  std::vector<std::pair<std::string, std::string>> parse_header_pairs(std::string_view text,
                                                                      const Mark& where);
  const Preset* find_preset(std::string_view name) const;
  static void layer_preset(const Preset& preset, const Mark& where, RawLogger& raw);
  void read_entry_keys(const YAML::Node& entry, const std::string& path, RawLogger& raw);
  void read_string_map(const YAML::Node& value, const YAML::Node& key_node, const std::string& path,
                       std::string_view what, bool ignore_case, SettingList& out);
  void read_tls(const YAML::Node& value, const YAML::Node& key_node, const std::string& path,
                RawLogger& raw);

  // Building (callbacks.cc).
  static std::string prefix_of(const Setting& s);
  std::optional<std::string> resolve(const Setting& s);
  const std::vector<std::pair<std::string, std::string>>& env_headers();
  std::optional<std::size_t> global_batch_size();
  std::optional<std::chrono::milliseconds> global_flush_interval();
  bool add_header(HeaderList& headers, const std::string& name, const std::string& value,
                  const Mark& where, const std::string& prefix);
  std::optional<CallbackConfig> build(const RawLogger& raw, bool success, bool failure);
  static const Setting* find_setting(const RawLogger& raw, std::string_view key);
  void apply_defaults(const std::string& name, CallbackConfig& cb);
  void land(const CallbackKey& key, const Setting& s, CallbackConfig& cb);
  template <typename T>
  std::optional<T> check_value(const CallbackKey& key, const Field<T>& field,
                               const std::string& value, const Setting& s);
  std::optional<std::string> check_text(const CallbackKey& key, const std::string& value,
                                        const Setting& s);
  void read_endpoint(const RawLogger& raw, CallbackConfig& cb);
  void check_envelope_format(const Setting& s, const CallbackConfig& cb);
  void read_envelope_fields(const RawLogger& raw, CallbackConfig& cb);
  void check_tls_pair(const RawLogger& raw);
  void read_event_types(const RawLogger& raw, bool success, bool failure, CallbackConfig& cb);
  void merge_headers(const RawLogger& raw, CallbackConfig& cb);
  std::vector<std::string_view> known_callbacks() const;

  YamlReader& yaml_;
  Diagnostics& diagnostics_;
  const EnvResolver& resolver_;
  std::vector<CallbackUse> uses_;
  std::vector<RawLogger> entries_;             // generic_api entries, file order
  std::map<std::string, Mark> other_entries_;  // entries of another callback_type
  std::map<std::string, std::string> other_types_;
  std::vector<Preset> presets_;
  YAML::Node presets_file_node_;
  std::optional<Mark> presets_file_where_;
  SettingList global_headers_;  // litellm_settings.generic_logger_headers
  std::optional<std::vector<std::pair<std::string, std::string>>> env_headers_;
  std::optional<std::size_t> default_batch_size_;
  std::optional<std::chrono::milliseconds> default_flush_interval_;
};

}  // namespace llmtap::config
