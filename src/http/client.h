// Client: an HTTP/1.1 client (Boost.Beast) with pooled keep-alive connections per
// scheme://host:port, for HTTP and HTTPS (certificate and host name verified by default).
//
// Used for upstream LLM calls and for log delivery. Every request has a deadline; failures are
// classified (ClientError, client_result.h) where they happen so callers can decide retry vs.
// report.
// Thread-safety: send() may be called from any thread; callbacks run on a runtime thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/client_result.h"
#include "http/message.h"
#include "http/runtime.h"
#include "http/url.h"

namespace llmtap::http {

struct TlsOptions {
  bool verify = true;
  std::string ca_file;    // empty: the system's default CA store
  std::string cert_file;  // client certificate for mutual TLS (optional)
  std::string key_file;
};

struct ClientOptions {
  std::string user_agent = "llmtap/" LLMTAP_VERSION;
  std::size_t max_idle_per_host = 32;
  std::size_t max_response_bytes = 64 * 1024 * 1024;
  TlsOptions tls;
};

// Callbacks for a streamed response. on_head once, on_data per body piece as it arrives (return
// false to stop reading: the exchange ends with ClientError::cancelled and the connection is not
// reused), then on_done exactly once. On error before the head, only on_done is called.
struct StreamCallbacks {
  std::function<void(int status, const Headers& headers)> on_head;
  std::function<bool(std::string_view data)> on_data;
  std::function<void(ClientResult result)> on_done;  // result.response.body is empty here
};

class Client {
 public:
  // Throws std::runtime_error when options.tls names files that cannot be loaded (start-up only).
  Client(Runtime& runtime, ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `request` and calls `done` exactly once with the whole response or the error.
  void send(ClientRequest request, std::function<void(ClientResult)> done);
  // Sends `request` and delivers the response body piece by piece.
  void send_streaming(ClientRequest request, StreamCallbacks callbacks);

  // Connections opened so far; fewer than requests sent means keep-alive reuse (tests, metrics).
  std::uint64_t connections_opened() const;

  // Shared with the exchanges in progress, which may outlive this object.
  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace llmtap::http
