// YamlReader: typed reads of yaml-cpp nodes for the config loader. Every read that fails adds a
// diagnostic naming the node's position and key path, so callers only check for a value. Strings
// are resolved through the EnvResolver (`os.environ/NAME`, `${NAME}`) as they are read.
//
// Lifecycle: one per load, borrowing the load's Diagnostics and EnvResolver (which the loader may
// replace once environment_variables is read). Not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostics.h"
#include "config/env_resolver.h"
#include "config/validators.h"

namespace llmtap::config {

// Config files and presets files are read whole, up to this size.
inline constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

// The file's bytes, or nullopt with `error` saying why ("cannot read file: …").
std::optional<std::string> read_file(const std::string& path, std::string& error);

// "a map", "a list", "'text'", "null": what a node is, for "expected X, got Y" messages.
std::string kind_of(const YAML::Node& node);

class YamlReader {
 public:
  // fn(key, key_node, value, key_path) for one entry of a map.
  using EntryFn = std::function<void(const std::string& key, const YAML::Node& key_node,
                                     const YAML::Node& value, const std::string& path)>;

  YamlReader(std::string file, Diagnostics& diagnostics, const EnvResolver& resolver)
      : file_(std::move(file)), diagnostics_(diagnostics), resolver_(resolver) {}

  const std::string& file() const { return file_; }
  Mark file_mark(std::string key_path = {}) const;
  Mark at(const YAML::Node& node, std::string key_path) const;

  // Calls fn for each entry of a map; non-string keys are errors, a key written twice a warning.
  // YAML merge keys (`<<: *defaults`, which yaml-cpp leaves unexpanded) contribute the entries
  // the map does not set itself, first.
  void for_each_entry(const YAML::Node& map, const std::string& path, const EntryFn& fn);

  bool expect_map(const YAML::Node& node, const Mark& where);

  // The resolved text of a scalar. Unset variables go to `unset` when given (deployments decide
  // what they mean), else they are errors.
  std::optional<std::string> text(const YAML::Node& node, const Mark& where,
                                  std::vector<Diagnostic>* unset = nullptr);
  std::optional<bool> boolean(const YAML::Node& node, const Mark& where);
  // A list of strings, or one string.
  std::optional<std::vector<std::string>> string_list(const YAML::Node& node, const Mark& where);
  // A path relative to the config file's folder, made absolute; the file must be readable.
  std::optional<std::string> file_path(const YAML::Node& node, const Mark& where);
  std::optional<std::string> file_path(const std::string& value, const Mark& where,
                                       const std::string& prefix = {});

  // A duration in seconds (validators.h: parse_duration), or nullopt after an error.
  std::optional<std::chrono::milliseconds> duration(const YAML::Node& node, const Mark& where,
                                                    DurationBound bound,
                                                    std::vector<Diagnostic>* unset = nullptr) {
    auto t = text(node, where, unset);
    if (!t) return std::nullopt;
    return checked(parse_duration(*t, bound), *t, where);
  }

  // The checked value, or an error "<prefix>expected <what>, got '<value>'" at `where`.
  template <typename T>
  std::optional<T> checked(const Checked<T>& result, const std::string& value, const Mark& where,
                           const std::string& prefix = {}) {
    if (!result.value) {
      diagnostics_.error(
          where, prefix + "expected " + std::string(result.expected) + ", got '" + value + "'");
    }
    return result.value;
  }

 private:
  std::string file_;
  Diagnostics& diagnostics_;
  const EnvResolver& resolver_;
};

}  // namespace llmtap::config
