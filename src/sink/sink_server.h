// SinkServer: the receiver behind `llmtap sink` — an http::Server that accepts POSTs on any path,
// decodes each body into records (decode_body.h) and either prints one readable line per record to
// stdout or appends each record's exact bytes as one NDJSON line to --out. With --requests-out it
// also appends one JSON line per request (method, path, headers, records, format, encoding,
// status), so tests can check headers as well as records.
//
// Answers: 200 {"status":"ok","records":N}; 400/413/415 {"status":"error","message":…} for a body
// it cannot decode (counted); GET /health (and any other GET) 200 {"status":"ok"}. With a
// signing secret, every POST must carry a valid Standard Webhooks signature over its decoded body
// (delivery/webhook_signer.h), else 401 (counted as rejected). With tls.cert_file it serves HTTPS
// only, and with tls.client_ca_file it also demands a client certificate from that CA (mutual TLS):
// a client without one fails the handshake (counted) and is never heard.
// Lifecycle: construct (opens the files, loads TLS files; throws std::system_error, or
// std::invalid_argument for a bad secret or TLS flags given without their partner), listen()
// (throws on bind failure), serve on the runtime, stop_accepting() + wait_idle(). run_sink() does
// all of it. Thread-safety: handlers run on runtime threads; files and counters are safe to share.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "delivery/webhook_signer.h"
#include "http/runtime.h"
#include "http/server.h"
#include "sink/append_file.h"
#include "sink/decode_body.h"
#include "sink/decompress.h"
#include "sink/request_log.h"

namespace llmtap::sink {

struct SinkOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9000;                      // 0 picks a free port (printed on start-up)
  std::string out_path;                           // empty: print one line per record to stdout
  std::string requests_out_path;                  // empty: no per-request log
  std::size_t max_body_bytes = 32 * 1024 * 1024;  // as received
  std::size_t max_decompressed_bytes = kDefaultMaxDecompressedBytes;  // after Content-Encoding
  unsigned threads = 1;
  std::string signing_secret;  // `whsec_…`: verify webhook-signature; empty: accept unsigned
  std::chrono::seconds signature_tolerance = delivery::WebhookSigner::kDefaultTolerance;
  http::ServerTlsOptions tls;  // cert_file + key_file: HTTPS; + client_ca_file: mutual TLS
};

struct SinkCounters {
  std::uint64_t requests = 0;  // POSTs handled
  std::uint64_t records = 0;   // records accepted
  std::uint64_t rejected = 0;  // POSTs answered 4xx (undecodable body)
  std::uint64_t write_errors = 0;
  std::uint64_t tls_handshake_failures = 0;  // e.g. no client certificate when one is required
};

class SinkServer {
 public:
  // Throws std::invalid_argument for a signing_secret that is not `whsec_<base64>`.
  SinkServer(http::Runtime& runtime, SinkOptions options);
  ~SinkServer();
  SinkServer(const SinkServer&) = delete;
  SinkServer& operator=(const SinkServer&) = delete;

  void listen();
  std::uint16_t port() const;
  void stop_accepting();
  void wait_idle(std::chrono::steady_clock::time_point deadline, std::function<void()> done);

  SinkCounters counters() const;

 private:
  void handle(http::Request request, const std::shared_ptr<http::Responder>& responder);
  // Prints or stores the accepted records of one request.
  void emit(const http::Request& request, const DecodedBody& decoded);

  SinkOptions options_;
  std::optional<delivery::WebhookSigner> signer_;
  AppendFile out_;
  RequestLog requests_log_;
  std::mutex stdout_mu_;  // keeps one request's lines together on stdout
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> records_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  // Declared last: its handler uses every member above, so it must go first.
  std::unique_ptr<http::Server> server_;
};

// Runs the sink until SIGINT/SIGTERM: prints `llmtap sink listening on <host>:<port>` to stderr
// once bound, and a one-line summary of the counters on exit. Returns the process exit code
// (0 ok; 1 when the files cannot be opened or the address cannot be bound).
int run_sink(const SinkOptions& options);

}  // namespace llmtap::sink
