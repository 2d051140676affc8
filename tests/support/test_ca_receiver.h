// TlsTestReceiver: a tiny blocking HTTPS receiver (OpenSSL, one thread) on 127.0.0.1:<free port>
// for client-side TLS tests: it presents a TestCa server certificate, optionally demands a client
// certificate from a given CA (mutual TLS), reads one request per connection (head and
// Content-Length body), keeps it, answers `200 ok` and closes. It is independent of src/http/, so
// it checks our client rather than agreeing with it.
//
// Lifecycle: serves from construction to destruction (which unblocks accept and joins).
// Thread-safety: received() and failed_handshakes() may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct ssl_ctx_st;
struct ssl_st;

namespace llmtap::test {

struct TlsReceived {
  std::string head;  // request line and headers, header names lower-cased, values as sent
  std::string body;
  // The value of header `name` (lower case), or "" when absent.
  std::string header(const std::string& name) const;
};

class TlsTestReceiver {
 public:
  // With `client_ca` empty any client may connect; otherwise the handshake fails without a client
  // certificate issued by that CA.
  TlsTestReceiver(const std::string& cert_file, const std::string& key_file,
                  const std::string& client_ca = {});
  ~TlsTestReceiver();
  TlsTestReceiver(const TlsTestReceiver&) = delete;
  TlsTestReceiver& operator=(const TlsTestReceiver&) = delete;

  bool ok() const { return ok_; }
  std::uint16_t port() const { return port_; }
  std::vector<TlsReceived> received();
  int failed_handshakes();

 private:
  void serve();
  void serve_one(ssl_st* ssl);

  ssl_ctx_st* context_ = nullptr;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  bool ok_ = false;
  std::mutex mu_;
  std::vector<TlsReceived> received_;  // guarded by mu_
  int failed_handshakes_ = 0;          // guarded by mu_
  std::thread thread_;                 // last: it uses everything above
};

}  // namespace llmtap::test
