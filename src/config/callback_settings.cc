// CallbackReader, reading: callback lists, callback_settings entries and presets into RawLoggers.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "base/ascii.h"
#include "config/callbacks.h"

namespace llmtap::config {
namespace {

constexpr std::string_view kGenericApi = "generic_api";

}  // namespace

void CallbackReader::set_presets_file(const YAML::Node& node, const Mark& where) {
  presets_file_node_ = node;
  presets_file_where_ = where;
}

void CallbackReader::collect_callbacks(const YAML::Node& node, const Mark& where, bool success,
                                       bool failure) {
  const std::string& path = where.key_path;
  auto add = [&](const YAML::Node& item, const Mark& item_where) {
    if (!item.IsScalar()) {
      diagnostics_.error(item_where,
                         fmt::format("expected a callback name, got {}", kind_of(item)));
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
      add(node[i], yaml_.at(node[i], fmt::format("{}[{}]", path, i)));
    }
  } else {
    diagnostics_.error(where, fmt::format("expected a list or a string, got {}", kind_of(node)));
  }
}

// "k=v,k2=v2" (GENERIC_LOGGER_HEADERS and the string form of generic_logger_headers).
std::vector<std::pair<std::string, std::string>> CallbackReader::parse_header_pairs(
    std::string_view text, const Mark& where) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = ascii::trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      diagnostics_.error(
          where, fmt::format("expected name=value pairs separated by commas, got '{}'", item));
      continue;
    }
    out.emplace_back(std::string(ascii::trim(item.substr(0, eq))),
                     std::string(ascii::trim(item.substr(eq + 1))));
  }
  return out;
}

void CallbackReader::read_generic_logger_headers(const YAML::Node& node, const Mark& where) {
  if (node.IsNull()) return;
  if (node.IsScalar()) {
    if (auto value = yaml_.text(node, where)) {
      for (auto& [name, header_value] : parse_header_pairs(*value, where)) {
        global_headers_.emplace_back(name, Setting{header_value, where, {}, {}});
      }
    }
    return;
  }
  if (!node.IsMap()) {
    diagnostics_.error(where,
                       fmt::format("expected a map or name=value pairs, got {}", kind_of(node)));
    return;
  }
  yaml_.for_each_entry(
      node, where.key_path,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& child) {
        const Mark header_where = yaml_.at(key_node, child);
        if (auto resolved = yaml_.text(value, header_where)) {
          global_headers_.emplace_back(key, Setting{*resolved, header_where, {}, {}});
        }
      });
}

void CallbackReader::load_presets() {
  presets_ = builtin_presets();
  if (!presets_file_where_ || presets_file_node_.IsNull()) return;
  auto path = yaml_.file_path(presets_file_node_, *presets_file_where_);
  if (!path) return;
  std::string read_error;
  auto json = read_file(*path, read_error);
  if (!json) {
    diagnostics_.error(Mark{*path, 0, 0, {}}, read_error);
    return;
  }
  PresetParse parsed = parse_presets(*json);
  for (auto& message : parsed.errors) diagnostics_.error(Mark{*path, 0, 0, {}}, std::move(message));
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

const Preset* CallbackReader::find_preset(std::string_view name) const {
  auto it = std::find_if(presets_.begin(), presets_.end(),
                         [&](const Preset& p) { return p.name == name; });
  return it == presets_.end() ? nullptr : &*it;
}

// The preset's values as the bottom layer of a logger; `where` is where it was asked for.
void CallbackReader::layer_preset(const Preset& preset, const Mark& where, RawLogger& raw) {
  for (const auto& [key, value] : preset.settings) {
    if (key == "callback_type") continue;
    raw.settings[key] = Setting{value, where, preset.name, key};
  }
  for (const auto& [name, value] : preset.headers) {
    raw.headers.emplace_back(name, Setting{value, where, preset.name, "headers." + name});
  }
  for (const auto& [name, value] : preset.envelope_fields) {
    raw.envelope_fields.emplace_back(name,
                                     Setting{value, where, preset.name, "envelope_fields." + name});
  }
  if (preset.event_types) {
    std::vector<Setting> events;
    for (const auto& event : *preset.event_types) {
      events.push_back(Setting{event, where, preset.name, "event_types"});
    }
    raw.event_types = std::move(events);
  }
}

void CallbackReader::read_callback_settings(const YAML::Node& node, const Mark& where) {
  if (node.IsNull() || !yaml_.expect_map(node, where)) return;
  yaml_.for_each_entry(node, "callback_settings",
                       [&](const std::string& name, const YAML::Node& key_node,
                           const YAML::Node& entry, const std::string& path) {
                         if (!yaml_.expect_map(entry, yaml_.at(key_node, path))) return;
                         YAML::Node type, type_key;
                         for (const auto& field : entry) {
                           if (field.first.IsScalar() && field.first.Scalar() == "callback_type") {
                             type_key = field.first;
                             type = field.second;
                           }
                         }
                         if (!type_key.IsScalar()) {
                           diagnostics_.error(
                               yaml_.at(key_node, path),
                               "missing required key 'callback_type' (expected generic_api)");
                           return;
                         }
                         if (!type.IsScalar() || type.Scalar() != kGenericApi) {
                           other_entries_[name] = yaml_.at(type_key, path + ".callback_type");
                           other_types_[name] = type.IsScalar() ? type.Scalar() : kind_of(type);
                           return;
                         }
                         RawLogger raw;
                         raw.name = name;
                         raw.where = yaml_.at(key_node, path);
                         raw.from_entry = true;
                         if (const Preset* preset = find_preset(name))
                           layer_preset(*preset, raw.where, raw);
                         read_entry_keys(entry, path, raw);
                         entries_.push_back(std::move(raw));
                       });
}

void CallbackReader::read_entry_keys(const YAML::Node& entry, const std::string& path,
                                     RawLogger& raw) {
  yaml_.for_each_entry(
      entry, path,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& child) {
        if (key == "callback_type") return;
        if (key == "headers") {
          read_string_map(value, key_node, child, "header names to values", true, raw.headers);
        } else if (key == "event_types") {
          std::vector<Setting> events;
          auto add = [&](const YAML::Node& item, const std::string& item_path) {
            if (!item.IsScalar()) {
              diagnostics_.error(yaml_.at(item, item_path),
                                 fmt::format("expected a string, got {}", kind_of(item)));
              return;
            }
            events.push_back(Setting{item.Scalar(), yaml_.at(item, item_path), {}, {}});
          };
          if (value.IsNull()) return;
          if (value.IsScalar()) {
            add(value, child);
          } else if (value.IsSequence()) {
            for (std::size_t i = 0; i < value.size(); ++i)
              add(value[i], fmt::format("{}[{}]", child, i));
          } else {
            diagnostics_.error(yaml_.at(key_node, child),
                               fmt::format("expected a list, got {}", kind_of(value)));
            return;
          }
          raw.event_types = std::move(events);
        } else if (key == "envelope_fields") {
          read_string_map(value, key_node, child, "field names to strings", false,
                          raw.envelope_fields);
        } else if (key == "tls") {
          read_tls(value, key_node, child, raw);
        } else if (is_logger_scalar_key(key)) {
          if (value.IsNull()) return;
          if (!value.IsScalar()) {
            diagnostics_.error(yaml_.at(key_node, child),
                               fmt::format("expected a string, got {}", kind_of(value)));
            return;
          }
          raw.settings[key] = Setting{value.Scalar(), yaml_.at(key_node, child), {}, {}};
        } else {
          diagnostics_.error(yaml_.at(key_node, child),
                             unknown_key_message(key, callback_settings_key_names()));
        }
      });
}

// A map of scalars (headers, envelope_fields) merged name by name over what a preset put there
// — before resolving, so an overridden preset value needs no variable.
void CallbackReader::read_string_map(const YAML::Node& value, const YAML::Node& key_node,
                                     const std::string& path, std::string_view what,
                                     bool ignore_case, SettingList& out) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    diagnostics_.error(yaml_.at(key_node, path),
                       fmt::format("expected a map of {}, got {}", what, kind_of(value)));
    return;
  }
  yaml_.for_each_entry(
      value, path,
      [&](const std::string& name, const YAML::Node& name_node, const YAML::Node& item,
          const std::string& item_path) {
        if (!item.IsScalar()) {
          diagnostics_.error(yaml_.at(name_node, item_path),
                             fmt::format("expected a string, got {}", kind_of(item)));
          return;
        }
        Setting setting{item.Scalar(), yaml_.at(name_node, item_path), {}, {}};
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
void CallbackReader::read_tls(const YAML::Node& value, const YAML::Node& key_node,
                              const std::string& path, RawLogger& raw) {
  if (value.IsNull()) return;
  if (!value.IsMap()) {
    diagnostics_.error(yaml_.at(key_node, path),
                       fmt::format("expected a map ({}), got {}", fmt::join(tls_key_names(), ", "),
                                   kind_of(value)));
    return;
  }
  yaml_.for_each_entry(value, path,
                       [&](const std::string& key, const YAML::Node& tls_key_node,
                           const YAML::Node& tls_value, const std::string& tpath) {
                         if (std::find(tls_key_names().begin(), tls_key_names().end(), key) ==
                             tls_key_names().end()) {
                           diagnostics_.error(yaml_.at(tls_key_node, tpath),
                                              unknown_key_message(key, tls_key_names()));
                           return;
                         }
                         if (tls_value.IsNull()) return;
                         if (!tls_value.IsScalar()) {
                           diagnostics_.error(
                               yaml_.at(tls_key_node, tpath),
                               fmt::format("expected a string, got {}", kind_of(tls_value)));
                           return;
                         }
                         raw.settings["tls." + key] =
                             Setting{tls_value.Scalar(), yaml_.at(tls_key_node, tpath), {}, {}};
                       });
}

}  // namespace llmtap::config
