#include "gateway/route_metrics.h"

#include <fmt/format.h>

namespace llmtap::gateway {

std::string_view to_string(Route route) {
  switch (route) {
    case Route::chat_completions: return "chat_completions";
    case Route::completions: return "completions";
    case Route::embeddings: return "embeddings";
    case Route::models: return "models";
    case Route::health: return "health";
    case Route::metrics: return "metrics";
    case Route::not_found: return "not_found";
    case Route::kCount: break;
  }
  return "unknown";
}

void RouteMetrics::record(Route route, int status, double seconds) {
  auto& r = routes_[static_cast<std::size_t>(route)];
  std::size_t status_class = status >= 100 && status < 600 ? static_cast<std::size_t>(status / 100 - 1) : 4;
  r.by_status[status_class].fetch_add(1, std::memory_order_relaxed);
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  r.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  r.sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void RouteMetrics::append_text(std::string& out) const {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "# HELP llmtap_http_requests_total Requests answered by the gateway, by route and status class.\n"
                     "# TYPE llmtap_http_requests_total counter\n");
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    for (std::size_t c = 0; c < kStatusClasses; ++c) {
      auto n = routes_[i].by_status[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      fmt::format_to(it, "llmtap_http_requests_total{{route=\"{}\",status=\"{}xx\"}} {}\n",
                     to_string(static_cast<Route>(i)), c + 1, n);
    }
  }
  fmt::format_to(it, "# HELP llmtap_http_request_duration_seconds Time from request read to response handed to the connection.\n"
                     "# TYPE llmtap_http_request_duration_seconds histogram\n");
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& r = routes_[i];
    std::uint64_t cumulative = 0;
    auto name = to_string(static_cast<Route>(i));
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += r.buckets[b].load(std::memory_order_relaxed);
      fmt::format_to(it, "llmtap_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                     name, kBuckets[b], cumulative);
    }
    cumulative += r.buckets[kBuckets.size()].load(std::memory_order_relaxed);
    fmt::format_to(it, "llmtap_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                   name, cumulative);
    fmt::format_to(it, "llmtap_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", name,
                   static_cast<double>(r.sum_micros.load(std::memory_order_relaxed)) / 1e6);
    fmt::format_to(it, "llmtap_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", name,
                   cumulative);
  }
}

}  // namespace llmtap::gateway
