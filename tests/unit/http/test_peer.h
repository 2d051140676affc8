// Test helpers for the http tests: a Runtime running on its own thread, a Server on 127.0.0.1:0,
// and a raw blocking TCP peer for byte-exact exchanges. Every wait has a deadline.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "http/client.h"
#include "http/runtime.h"
#include "http/server.h"

namespace llmtap::http::testing {

constexpr std::chrono::seconds kWait{10};

template <class T>
std::optional<T> wait_for(std::future<T>& future, std::chrono::milliseconds limit = kWait) {
  if (future.wait_for(limit) != std::future_status::ready) return std::nullopt;
  return future.get();
}

// Polls `condition` (1 ms apart) until it holds or `limit` passes; returns whether it held.
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds limit = kWait) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Runs a two-thread Runtime for the duration of a test.
class RuntimeTest : public ::testing::Test {
 protected:
  RuntimeTest() : thread_([this] { runtime_.run(); }) {}
  ~RuntimeTest() override {
    runtime_.stop();
    thread_.join();
  }

  std::unique_ptr<Server> start_server(Handler handler, ServerOptions options = {});
  // Sends; the future holds the result.
  static std::future<ClientResult> send_async(Client& client, ClientRequest request);
  // Sends and waits for the result (fails the test on no answer within kWait).
  static ClientResult send_and_wait(Client& client, ClientRequest request);

  Runtime runtime_{2};

 private:
  std::thread thread_;  // declared after runtime_: it runs it
};

// A blocking client socket to 127.0.0.1:port; reads give up at a deadline.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port);
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  bool send(std::string_view bytes);
  // Reads until `needle` has been seen `count` times, the peer closes, or the deadline passes.
  std::string read_until(std::string_view needle, int count = 1,
                         std::chrono::milliseconds limit = kWait);
  bool connected() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// A request (POST, empty body) to `path` on a server listening on 127.0.0.1.
ClientRequest request_to(const Server& server, std::string_view path = "/");

// A port nothing listens on (bound then released).
std::uint16_t closed_port();

}  // namespace llmtap::http::testing
