// The Dispatcher over the real runtime and HTTP client, against a real http::Server on loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/dispatcher_runtime.h"
#include "drain_wait.h"
#include "http/server.h"
#include "test_record.h"

namespace llmtap::delivery {
namespace {

// Verifies that a real POST reaches a loopback receiver, a 503 is retried with the same
// Idempotency-Key, and shutdown reports all delivered.
TEST(DispatcherHttpTest, DeliversToLoopbackReceiverRetryingA503WithTheSameKey) {
  http::Runtime runtime(2);
  std::thread runner([&runtime] { runtime.run(); });

  std::mutex mu;
  std::vector<http::Request> received;
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  http::Server server(runtime, options,
                      [&](http::Request request, std::shared_ptr<http::Responder> responder) {
                        bool first = false;
                        {
                          std::lock_guard lock(mu);
                          received.push_back(request);
                          first = received.size() == 1;
                        }
                        http::Response response;
                        response.status = first ? 503 : 200;
                        if (first) response.headers.push_back({"Retry-After", "0"});
                        responder->respond(std::move(response));
                      });
  server.listen();

  config::CallbackConfig callback;
  callback.name = "loopback";
  callback.endpoint = "http://127.0.0.1:" + std::to_string(server.port()) + "/logs";
  callback.headers = {{"Authorization", "Bearer sk-test"}};
  callback.log_format = config::LogFormat::ndjson;
  callback.batch_size = 2;
  callback.timeout = std::chrono::seconds(5);
  {
    auto dispatcher_owner = make_dispatcher(runtime, {callback});
    Dispatcher& dispatcher = *dispatcher_owner;
    dispatcher.dispatch(record(R"({"a":1})"));
    dispatcher.dispatch(record(R"({"b":2})"));

    const auto report =
        drain_and_wait(dispatcher, std::chrono::seconds(20), std::chrono::seconds(30));
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->callbacks.size(), 1u);
    EXPECT_EQ(report->callbacks[0].delivered, 2u);
    EXPECT_EQ(report->total_undelivered(), 0u);
    const std::string metrics = dispatcher.metrics_text();
    EXPECT_NE(
        metrics.find("llmtap_callback_requests_total{callback=\"loopback\",outcome=\"5xx\"} 1\n"),
        std::string::npos)
        << metrics;
  }

  {
    std::lock_guard lock(mu);
    ASSERT_EQ(received.size(), 2u);
    for (const auto& request : received) {
      EXPECT_EQ(request.method, "POST");
      EXPECT_EQ(request.path(), "/logs");
      EXPECT_EQ(request.body, "{\"a\":1}\n{\"b\":2}\n");
      EXPECT_EQ(request.header("content-type"), "application/x-ndjson");
      EXPECT_EQ(request.header("authorization"), "Bearer sk-test");
      EXPECT_EQ(request.header("user-agent"), "llmtap/" LLMTAP_VERSION);
    }
    EXPECT_FALSE(received[0].header("idempotency-key").empty());
    EXPECT_EQ(received[0].header("idempotency-key"), received[1].header("idempotency-key"));
  }
  server.stop_accepting();
  runtime.stop();
  runner.join();
}

// Verifies that records pushed from several threads while the receiver fails some batches are all
// acked exactly once.
TEST(DispatcherHttpTest, ConcurrentPushersLoseAndDuplicateNothing) {
  http::Runtime runtime(2);
  std::thread runner([&runtime] { runtime.run(); });

  std::mutex mu;
  std::map<std::string, int> accepted;  // records in bodies answered 200
  std::size_t requests = 0;
  std::set<std::string> keys_failed;
  std::set<std::string> keys_retried;
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  http::Server server(runtime, options,
                      [&](http::Request request, std::shared_ptr<http::Responder> responder) {
                        http::Response response;
                        {
                          std::lock_guard lock(mu);
                          const std::string key(request.header("idempotency-key"));
                          if (keys_failed.count(key)) keys_retried.insert(key);
                          if (++requests % 5 == 2) {
                            keys_failed.insert(key);
                            response.status = 503;
                            response.headers.push_back({"Retry-After", "0"});
                          } else {
                            std::size_t start = 0;
                            for (std::size_t nl = request.body.find('\n'); nl != std::string::npos;
                                 nl = request.body.find('\n', start)) {
                              ++accepted[request.body.substr(start, nl - start)];
                              start = nl + 1;
                            }
                          }
                        }
                        responder->respond(std::move(response));
                      });
  server.listen();

  config::CallbackConfig callback;
  callback.name = "concurrent";
  callback.endpoint = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  callback.log_format = config::LogFormat::ndjson;
  callback.batch_size = 50;
  callback.flush_interval = std::chrono::milliseconds(50);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::optional<DrainReport> report;
  {
    auto dispatcher_owner = make_dispatcher(runtime, {callback});
    Dispatcher& dispatcher = *dispatcher_owner;
    std::vector<std::thread> pushers;
    for (int t = 0; t < kThreads; ++t) {
      pushers.emplace_back([&dispatcher, t] {
        for (int i = 0; i < kPerThread; ++i) {
          dispatcher.dispatch(
              record("{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}"));
        }
      });
    }
    for (auto& pusher : pushers) pusher.join();

    report = drain_and_wait(dispatcher, std::chrono::seconds(30), std::chrono::seconds(40));
    ASSERT_TRUE(report.has_value());
  }
  server.stop_accepting();
  runtime.stop();
  runner.join();

  EXPECT_EQ(report->callbacks[0].delivered, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(report->total_undelivered(), 0u);
  EXPECT_EQ(accepted.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (const auto& [line, count] : accepted) EXPECT_EQ(count, 1) << line;
  EXPECT_FALSE(keys_failed.empty());
  EXPECT_EQ(keys_retried, keys_failed);  // every failed batch came back under its own key
}

}  // namespace
}  // namespace llmtap::delivery
