// Server: an HTTP/1.1 server (Boost.Beast, one coroutine per connection) that hands each request
// to a Handler and sends back what the handler answers through its Responder, whole or streamed.
//
// Bounded: header and body size limits (413 beyond max_body_bytes), a read timeout per request,
// an idle keep-alive timeout. Keep-alive and pipelined requests are served in order.
// With ServerOptions::tls set it speaks HTTPS only (TLS 1.2+), optionally demanding a client
// certificate from a given CA (mutual TLS); a failed handshake closes the connection, counted.
// Lifecycle: construct (throws std::runtime_error when TLS files cannot be loaded), listen()
// (throws std::system_error on bind failure), stop_accepting(),
// then wait_idle() for in-flight requests to finish. Thread-safety: a connection's state lives on
// its own strand; Responder methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"
#include "http/runtime.h"

namespace llmtap::http {

// How one request is answered. Exactly one of respond() or begin_stream()…end_stream() per request.
class Responder {
 public:
  virtual ~Responder() = default;
  // Sends a complete response. Content-Length is set by the server.
  virtual void respond(Response response) = 0;
  // Starts a chunked response (e.g. text/event-stream).
  virtual void begin_stream(int status, Headers headers) = 0;
  // Queues `chunk`; `on_written(true)` once it is on the wire, `on_written(false)` if the client
  // has gone away (then stop producing and call end_stream()).
  virtual void write(std::string chunk, std::function<void(bool ok)> on_written) = 0;
  // Ends a streamed response.
  virtual void end_stream() = 0;
  // True once the client connection is known closed.
  virtual bool client_gone() const = 0;
};

using Handler = std::function<void(Request request, std::shared_ptr<Responder> responder)>;

// Server-side TLS. All empty: plain HTTP.
struct ServerTlsOptions {
  std::string cert_file;       // PEM certificate chain, leaf first
  std::string key_file;        // PEM private key of the leaf
  std::string client_ca_file;  // non-empty: require a client certificate issued by this CA
  bool enabled() const { return !cert_file.empty(); }
};

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 4000;  // 0 picks a free port; port() tells which
  std::size_t max_body_bytes = 32 * 1024 * 1024;
  std::size_t max_header_bytes = 64 * 1024;
  std::chrono::milliseconds read_timeout{30000};  // for a whole request once its first byte arrived
  std::chrono::milliseconds idle_timeout{120000};  // keep-alive connection with no request
  ServerTlsOptions tls;
};

class Server {
 public:
  Server(Runtime& runtime, ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. Throws std::system_error when the address cannot be bound.
  void listen();
  // The bound port (after listen()).
  std::uint16_t port() const;
  // Stops accepting new connections; idle keep-alive connections are closed, requests in flight
  // are finished.
  void stop_accepting();
  // Calls `done` (on a runtime thread) once no request is in flight, or when `deadline` passes.
  void wait_idle(std::chrono::steady_clock::time_point deadline, std::function<void()> done);

  // Connections accepted so far (for tests and metrics).
  std::uint64_t connections_accepted() const;
  // Connections open right now.
  std::size_t open_connections() const;
  // TLS handshakes that failed (no or untrusted client certificate, plain HTTP on a TLS port…).
  std::uint64_t tls_handshake_failures() const;
  // Exceptions a Handler threw (each answered 500 and logged at error level).
  std::uint64_t handler_exceptions() const;

  // Shared with the connections, which may outlive this object by a few handlers.
  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace llmtap::http
