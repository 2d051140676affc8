// ScriptedUpstream: a loopback HTTP server on 127.0.0.1 (port 0) that reads each request and
// answers it with the same bytes — status line, headers and body exactly as given — then closes
// the connection. For upstream behaviour the mock upstream has no marker for (an error event
// mid-stream that echoes the key). One background thread, stopped and joined on destruction;
// every wait is bounded.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace llmtap::test {

class ScriptedUpstream {
 public:
  explicit ScriptedUpstream(std::string response);
  ~ScriptedUpstream();
  ScriptedUpstream(const ScriptedUpstream&) = delete;
  ScriptedUpstream& operator=(const ScriptedUpstream&) = delete;

  bool listening() const { return port_ != 0; }
  std::uint16_t port() const { return port_; }
  int requests() const { return requests_.load(); }

  // An HTTP/1.1 200 answer with `content_type` and `body` (Content-Length, Connection: close).
  static std::string http_200(std::string_view content_type, std::string_view body);

 private:
  void serve();
  void answer(int fd);

  std::string response_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;  // last: it reads the members above
};

}  // namespace llmtap::test
