#include "gateway/route_metrics.h"

#include <fmt/format.h>

#include "base/prometheus.h"

namespace llmtap::gateway {

void append_server_text(const ServerCounters& counters, std::string& text) {
  prometheus::Writer out(text);
  out.family("llmtap_http_handler_exceptions_total", "counter",
             "Requests whose handler threw an exception (answered 500).");
  out.sample("llmtap_http_handler_exceptions_total", {}, counters.handler_exceptions);
  out.family("llmtap_http_tls_handshake_failures_total", "counter", "TLS handshakes that failed.");
  out.sample("llmtap_http_tls_handshake_failures_total", {}, counters.tls_handshake_failures);
}

void RouteMetrics::record(Route route, int status, double seconds) {
  auto& r = routes_[static_cast<std::size_t>(route)];
  std::size_t status_class =
      status >= 100 && status < 600 ? static_cast<std::size_t>(status / 100 - 1) : 4;
  r.by_status[status_class].fetch_add(1, std::memory_order_relaxed);
  r.buckets[prometheus::bucket_index(kBuckets, seconds)].fetch_add(1, std::memory_order_relaxed);
  r.sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void RouteMetrics::append_text(std::string& text) const {
  prometheus::Writer out(text);
  const char* requests = "llmtap_http_requests_total";
  out.family(requests, "counter", "Requests answered by the gateway, by route and status class.");
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    for (std::size_t c = 0; c < kStatusClasses; ++c) {
      auto n = routes_[i].by_status[c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status = fmt::format("{}xx", c + 1);
      out.sample(requests, {{"route", kRouteNames.at(i)}, {"status", status}}, n);
    }
  }
  const char* duration = "llmtap_http_request_duration_seconds";
  out.family(duration, "histogram", "Time from request read to response handed to the connection.");
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& r = routes_[i];
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};
    for (std::size_t b = 0; b < counts.size(); ++b)
      counts[b] = r.buckets[b].load(std::memory_order_relaxed);
    const double sum = static_cast<double>(r.sum_micros.load(std::memory_order_relaxed)) / 1e6;
    out.histogram(duration, {{"route", kRouteNames.at(i)}}, kBuckets, counts,
                  fmt::format("{}", sum));
  }
}

}  // namespace llmtap::gateway
