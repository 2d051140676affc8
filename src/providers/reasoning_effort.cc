#include "providers/reasoning_effort.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace llmtap::providers {

std::optional<std::int64_t> anthropic_thinking_budget(std::string_view effort) {
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 7> kBudgets = {{
      {"none", 0},
      {"minimal", 1024},
      {"low", 1024},
      {"medium", 2048},
      {"high", 4096},
      {"xhigh", 8192},
      {"max", 16384},
  }};
  for (const auto& [name, budget] : kBudgets) {
    if (name == effort) return budget;
  }
  return std::nullopt;
}

std::string unmapped_effort_message(std::string_view effort) {
  return fmt::format(
      "Unmapped reasoning effort: '{}'. Must be one of: 'minimal', 'low', 'medium', 'high', "
      "'xhigh', 'max', 'none'.",
      effort);
}

}  // namespace llmtap::providers
