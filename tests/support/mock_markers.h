// The markers in a mock's model name ("status-529", "sleep-200", "tool"), shared by the mocks
// (tests/support/mock_upstream.h and each provider mock's header list them).
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

// The markers every provider mock reads the same way.
struct ProviderMarkers {
  std::optional<int> status;           // status-NNN: answer this error status
  bool tool = false;                   // tool: answer with a tool call
  bool cache = false;                  // cache: report cached prompt tokens
  bool midstream_error = false;        // midstream-error: an error event after the first
  std::chrono::milliseconds delay{0};  // sleep-MS: wait before answering
  std::chrono::milliseconds drip{0};   // drip-MS: wait between stream events
};

inline ProviderMarkers provider_markers(std::string_view model) {
  ProviderMarkers markers;
  if (auto status = marker_number(model, "status-")) markers.status = static_cast<int>(*status);
  if (auto sleep = marker_number(model, "sleep-"))
    markers.delay = std::chrono::milliseconds{*sleep};
  if (auto drip = marker_number(model, "drip-")) markers.drip = std::chrono::milliseconds{*drip};
  markers.tool = model.find("tool") != std::string_view::npos;
  markers.cache = model.find("cache") != std::string_view::npos;
  markers.midstream_error = model.find("midstream-error") != std::string_view::npos;
  return markers;
}

}  // namespace llmtap::test
