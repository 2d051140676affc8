// The number after a marker in a mock's model name ("status-529", "sleep-200"), shared by the
// OpenAI and Anthropic mocks (tests/support/mock_upstream.h lists the markers).
#pragma once

#include <charconv>
#include <optional>
#include <string_view>

namespace llmtap::test {

// The digits right after the first `prefix` in `model` ("status-" in "x-status-503" → 503), or
// nullopt when the prefix is absent or no digits follow it.
inline std::optional<long long> marker_number(std::string_view model, std::string_view prefix) {
  const std::size_t at = model.find(prefix);
  if (at == std::string_view::npos) return std::nullopt;
  const char* first = model.data() + at + prefix.size();
  const char* last = model.data() + model.size();
  long long value = 0;
  auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc() || end == first) return std::nullopt;
  return value;
}

}  // namespace llmtap::test
