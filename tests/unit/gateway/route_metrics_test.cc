#include "gateway/route_metrics.h"

#include <gtest/gtest.h>

namespace llmtap::gateway {
namespace {

// Verifies that requests are counted by route and status class and land in cumulative buckets.
TEST(RouteMetricsTest, CountsByRouteStatusAndBucket) {
  RouteMetrics metrics;
  metrics.record(Route::chat_completions, 200, 0.0004);
  metrics.record(Route::chat_completions, 200, 0.003);
  metrics.record(Route::chat_completions, 502, 10.0);
  std::string text;
  metrics.append_text(text);
  EXPECT_NE(text.find("llmtap_http_requests_total{route=\"chat_completions\",status=\"2xx\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("llmtap_http_requests_total{route=\"chat_completions\",status=\"5xx\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("llmtap_http_request_duration_seconds_bucket{route=\"chat_completions\",le="
                      "\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("llmtap_http_request_duration_seconds_bucket{route=\"chat_completions\",le="
                      "\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("llmtap_http_request_duration_seconds_bucket{route=\"chat_completions\",le="
                      "\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("llmtap_http_request_duration_seconds_count{route=\"chat_completions\"} 3\n"),
            std::string::npos);
  EXPECT_EQ(text.find("route=\"embeddings\",status="), std::string::npos);
}

}  // namespace
}  // namespace llmtap::gateway
