#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.h"
#include "config/describe.h"
#include "config/loader.h"

namespace llmtap::cli {

int run_check_config(const CheckConfigOptions& options) {
  config::LoadOptions load_options;
  load_options.strict = options.strict;
  auto result =
      config::load_config(options.config_path, config::process_environment(), load_options);
  for (const auto& w : result.warnings) fmt::print(stderr, "warning: {}\n", w.to_string());
  for (const auto& e : result.errors) fmt::print(stderr, "error: {}\n", e.to_string());
  if (!result.config) {
    fmt::print(stderr, "{}: {} error(s)\n", options.config_path, result.errors.size());
    return 2;
  }
  fmt::print("{}", config::describe(*result.config));
  fmt::print("{}: ok ({} warning(s))\n", options.config_path, result.warnings.size());
  return 0;
}

}  // namespace llmtap::cli
