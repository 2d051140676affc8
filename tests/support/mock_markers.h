// The number after a marker in a mock's model name ("status-529", "sleep-200"), shared by the
// OpenAI, Anthropic and Cohere mocks (tests/support/mock_upstream.h lists the markers).
#pragma once

#include <charconv>
#include <chrono>
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

// The markers the provider mocks (Anthropic, Cohere) share: status-NNN, tool, midstream-error,
// sleep-MS and drip-MS.
struct ProviderMarkers {
  std::optional<int> status;
  bool tool = false;
  bool midstream_error = false;
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds drip{0};
};

inline ProviderMarkers provider_markers(std::string_view model) {
  ProviderMarkers markers;
  if (auto status = marker_number(model, "status-")) markers.status = static_cast<int>(*status);
  if (auto sleep = marker_number(model, "sleep-"))
    markers.delay = std::chrono::milliseconds{*sleep};
  if (auto drip = marker_number(model, "drip-")) markers.drip = std::chrono::milliseconds{*drip};
  markers.tool = model.find("tool") != std::string_view::npos;
  markers.midstream_error = model.find("midstream-error") != std::string_view::npos;
  return markers;
}

}  // namespace llmtap::test
