// RawConnection: one plain TCP connection to 127.0.0.1 for tests that need what http_request()
// cannot do — send a request a byte at a time, stall half-way, pipeline several requests, read
// until the server closes, reset instead of closing. Every read is bounded by a deadline.
// Not thread-safe: one test thread uses it. The socket is closed on destruction.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmtap::test {

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Writes all of `bytes`; false once the peer is gone.
  bool send(std::string_view bytes);
  // Reads until `text` has been received (true) or the deadline / the peer closing (false).
  bool read_until(std::string_view text, std::chrono::milliseconds timeout);
  // Reads until the peer closes the connection (true) or the deadline passes (false).
  bool wait_closed(std::chrono::milliseconds timeout);
  // Everything received so far.
  const std::string& received() const { return received_; }
  // Closes with a reset (linger 0), as a client that vanishes does.
  void reset();

 private:
  // One poll + recv; returns false once the peer has closed.
  bool read_some(std::chrono::milliseconds wait);

  int fd_ = -1;
  bool peer_closed_ = false;
  std::string received_;
};

// A complete HTTP/1.1 POST with the master key sk-1234 and a Content-Length.
std::string raw_post(std::string_view path, std::string_view body,
                     std::string_view extra_headers = {});

}  // namespace llmtap::test
