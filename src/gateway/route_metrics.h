// RouteMetrics: request counters and a latency histogram per gateway route, rendered in
// Prometheus text format for GET /metrics.
//
// Thread-safety: record() is lock-free (relaxed atomics) and safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/enum_names.h"

namespace llmtap::gateway {

enum class Route { chat_completions, completions, embeddings, models, health, metrics, not_found };
// The route label of each Route; kRouteNames.size() is the number of routes.
inline constexpr auto kRouteNames =
    base::make_enum_names<Route>({{Route::chat_completions, "chat_completions"},
                                  {Route::completions, "completions"},
                                  {Route::embeddings, "embeddings"},
                                  {Route::models, "models"},
                                  {Route::health, "health"},
                                  {Route::metrics, "metrics"},
                                  {Route::not_found, "not_found"}});
inline std::string_view to_string(Route route) { return kRouteNames[route]; }

// Counters of the HTTP server itself, not of one route.
struct ServerCounters {
  std::uint64_t handler_exceptions = 0;      // a handler threw; answered 500
  std::uint64_t tls_handshake_failures = 0;  // TLS handshakes that failed
};
// Appends their exposition text (HELP/TYPE lines included).
void append_server_text(const ServerCounters& counters, std::string& out);

class RouteMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void record(Route route, int status, double seconds);
  // Appends the exposition text (HELP/TYPE lines included).
  void append_text(std::string& out) const;

 private:
  // Status classes 1xx..5xx, indexed by status / 100 - 1.
  static constexpr std::size_t kStatusClasses = 5;
  struct PerRoute {
    std::array<std::atomic<std::uint64_t>, kStatusClasses> by_status{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<std::uint64_t> sum_micros{0};
  };
  std::array<PerRoute, kRouteNames.size()> routes_{};
};

}  // namespace llmtap::gateway
