// libFuzzer target: the config loader (YAML → validated Config, every error collected) and
// check-config's report must never crash, hang or read out of bounds on any input.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/describe.h"
#include "config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  // A fixed environment: one variable set, everything else unset.
  const llmtap::config::EnvLookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "FUZZ_VAR") return std::string("https://fuzz.example/in");
    return std::nullopt;
  };
  const auto result = llmtap::config::load_config_text(yaml, "/nonexistent/fuzz/config.yaml", env);
  if (result.config) (void)llmtap::config::describe(*result.config);
  for (const auto& e : result.errors) (void)e.to_string();
  return 0;
}
