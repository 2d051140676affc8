// EnvResolver: expands environment references in config strings (README "Configuration",
// "Presets").
//
// Three forms: a value that is exactly `os.environ/NAME`; `${NAME}` (or `${NAME:-default}`)
// anywhere inside a string; and, for presets only, `{{environment_variables.NAME}}`.
// The config's own `environment_variables` are an overlay that wins over the process
// environment. A variable that is unset OR empty counts as missing, so a secret never silently
// becomes "" (e.g. `Bearer `).
//
// Lifecycle: built once per load; immutable afterwards. Thread-safety: const methods only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/loader.h"

namespace llmtap::config {

class EnvResolver {
 public:
  struct Expansion {
    std::string value;                 // the expanded text (missing variables left as written)
    std::vector<std::string> missing;  // names of unset variables, in order of appearance
  };

  EnvResolver(EnvLookup base, HeaderList overlay);

  // The variable's value (overlay first), or nullopt when unset or empty.
  std::optional<std::string> get(std::string_view name) const;

  // Expands every reference in `text`. `placeholders` enables `{{environment_variables.NAME}}`.
  Expansion expand(std::string_view text, bool placeholders = false) const;

  static bool is_variable_name(std::string_view name);

 private:
  EnvLookup base_;
  HeaderList overlay_;
};

}  // namespace llmtap::config
