// Presets (README "Presets"): named generic_api logger defaults, in the shape of LiteLLM's
// generic_api_compatible_callbacks.json. Values are kept raw (placeholders such as
// `{{environment_variables.NAME}}` unexpanded) so the loader resolves only what a callback uses.
//
// parse_presets() is a pure function; the built-in set is parsed from the embedded
// data/generic_api_presets.json. Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"

namespace llmtap::config {

struct Preset {
  std::string name;
  // Scalar logger settings, key → raw text (endpoint, log_format, batch_size, …), file order.
  std::vector<std::pair<std::string, std::string>> settings;
  HeaderList headers;
  HeaderList envelope_fields;  // fields added to each envelope (sourcetype, ddsource, service, …)
  std::optional<std::vector<std::string>> event_types;
  std::vector<std::string> environment_variables;  // the names the preset documents
  std::string description;                         // docs.description, for check-config
  bool operator==(const Preset&) const = default;
};

struct PresetParse {
  std::vector<Preset> presets;      // file order
  std::vector<std::string> errors;  // "name.key: message", or a JSON syntax error
};

PresetParse parse_presets(std::string_view json);

// The presets shipped in the binary.
const std::vector<Preset>& builtin_presets();

}  // namespace llmtap::config
