#include "sink/sink_server.h"

#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>

#include "sink/json_text.h"
#include "sink/record_summary.h"

namespace llmtap::sink {
namespace {

// Long enough for the requests in flight at shutdown; the sink has nothing else to flush.
constexpr std::chrono::seconds kShutdownGrace{5};

http::Response error_response(int status, std::string_view message) {
  return json_response(status, R"({"status":"error","message":)" + json_string(message) + "}");
}

}  // namespace

SinkServer::SinkServer(http::Runtime& runtime, SinkOptions options) : options_(std::move(options)) {
  if (!options_.signing_secret.empty()) {
    signer_ = delivery::WebhookSigner::from_secret(options_.signing_secret);
    if (!signer_) throw std::invalid_argument("--signing-secret must be whsec_<base64>");
  }
  const auto& tls = options_.tls;
  if (tls.cert_file.empty() != tls.key_file.empty() ||
      (!tls.client_ca_file.empty() && tls.cert_file.empty())) {
    throw std::invalid_argument(
        "--tls-cert and --tls-key go together, and --tls-client-ca needs them");
  }
  if (!options_.out_path.empty()) out_.open(options_.out_path);
  if (!options_.requests_out_path.empty()) requests_log_.open(options_.requests_out_path);
  http::ServerOptions server_options;
  server_options.host = options_.host;
  server_options.port = options_.port;
  server_options.max_body_bytes = options_.max_body_bytes;
  server_options.tls = tls;
  try {
    server_ = std::make_unique<http::Server>(
        runtime, server_options,
        [this](http::Request request, std::shared_ptr<http::Responder> responder) {
          handle(std::move(request), responder);
        });
  } catch (
      const std::runtime_error& error) {  // the TLS files: unreadable, not PEM, key not the cert's
    throw std::system_error(
        std::make_error_code(std::errc::invalid_argument),
        "cannot load the TLS certificate/key/CA files: " + std::string(error.what()));
  }
}

SinkServer::~SinkServer() = default;

void SinkServer::listen() { server_->listen(); }
std::uint16_t SinkServer::port() const { return server_->port(); }
void SinkServer::stop_accepting() { server_->stop_accepting(); }
void SinkServer::wait_idle(std::chrono::steady_clock::time_point deadline,
                           std::function<void()> done) {
  server_->wait_idle(deadline, std::move(done));
}

SinkCounters SinkServer::counters() const {
  return SinkCounters{requests_.load(), records_.load(), rejected_.load(), write_errors_.load(),
                      server_->tls_handshake_failures()};
}

void SinkServer::handle(http::Request request, const std::shared_ptr<http::Responder>& responder) {
  if (request.method != "POST") {
    // GET /health and anything else that is not a delivery: alive, nothing recorded.
    responder->respond(json_response(200, R"({"status":"ok"})"));
    return;
  }
  ++requests_;
  const std::string_view content_type = request.header("Content-Type");
  const std::string_view content_encoding = request.header("Content-Encoding");
  DecodeOptions decode_options;
  decode_options.max_decompressed_bytes = options_.max_decompressed_bytes;
  // The signature covers the body before Content-Encoding, so verify the decompressed bytes.
  std::optional<delivery::SignatureCheck> signature;
  DecodedBody decoded;
  Decompressed plain;
  if (signer_) plain = decompress(request.body, content_encoding, options_.max_decompressed_bytes);
  if (signer_ && plain.ok()) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    signature = signer_->verify(request.header("webhook-id"), request.header("webhook-timestamp"),
                                request.header("webhook-signature"), plain.bytes, now,
                                options_.signature_tolerance);
    decoded = decode_body(plain.bytes, content_type, "", decode_options);
  } else {
    decoded = decode_body(request.body, content_type, content_encoding, decode_options);
  }
  const bool signature_ok = !signature || *signature == delivery::SignatureCheck::ok;
  const int status = signature_ok ? http_status(decoded.error) : 401;
  if (!signature_ok) decoded.message = std::string("signature: ") + delivery::to_string(*signature);
  const bool accepted = decoded.ok() && signature_ok;

  if (requests_log_.is_open()) {
    std::string fields = R"(,"records":)" + std::to_string(accepted ? decoded.records.size() : 0);
    fields += R"(,"format":)";
    fields += accepted ? json_string(to_string(decoded.format)) : "null";
    fields += R"(,"content_encoding":)" + json_string(content_encoding);
    fields += R"(,"content_type":)" + json_string(content_type);
    fields += R"(,"body_bytes":)" + std::to_string(request.body.size());
    fields += R"(,"status":)" + std::to_string(status);
    fields += R"(,"signature":)";
    fields += signature ? json_string(delivery::to_string(*signature)) : "null";
    fields += R"(,"error":)";
    fields += accepted ? "null" : json_string(decoded.message);
    if (!requests_log_.append(request, fields)) ++write_errors_;
  }
  // After the request line: whoever sees a record in --out can rely on its request's line being
  // in --requests-out already (tests wait on records, then read the request log).
  if (accepted) {
    records_ += decoded.records.size();
    emit(request, decoded);
  } else {
    ++rejected_;
    std::fprintf(stderr, "[sink] %s %.*s rejected %d: %s\n", request.method.c_str(),
                 static_cast<int>(request.path().size()), request.path().data(), status,
                 decoded.message.c_str());
  }
  if (!accepted) {
    responder->respond(error_response(status, decoded.message));
    return;
  }
  responder->respond(json_response(
      200, R"({"status":"ok","records":)" + std::to_string(decoded.records.size()) + "}"));
}

void SinkServer::emit(const http::Request& request, const DecodedBody& decoded) {
  if (out_.is_open()) {
    std::size_t size = 0;
    for (const std::string& record : decoded.records) size += record.size() + 1;
    std::string lines;
    lines.reserve(size);
    for (const std::string& record : decoded.records) {
      lines += record;
      lines.push_back('\n');
    }
    if (!out_.append(lines)) ++write_errors_;
    return;
  }
  std::string text;
  const std::string prefix = "[sink] " + request.method + " " + std::string(request.path()) + " " +
                             to_string(decoded.format) + "  ";
  for (const std::string& record : decoded.records)
    text += prefix + summarize_record(record) + "\n";
  std::lock_guard lock(stdout_mu_);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

int run_sink(const SinkOptions& options) {
  http::Runtime runtime(options.threads);
  std::unique_ptr<SinkServer> server;
  try {
    server = std::make_unique<SinkServer>(runtime, options);
    server->listen();
  } catch (const std::system_error& error) {
    std::fprintf(stderr, "llmtap sink: cannot start on %s:%u: %s\n", options.host.c_str(),
                 static_cast<unsigned>(options.port), error.what());
    return 1;
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "llmtap sink: %s\n", error.what());
    return 2;
  }
  runtime.on_signals({SIGINT, SIGTERM}, [&runtime, &server](int) {
    server->stop_accepting();
    server->wait_idle(std::chrono::steady_clock::now() + kShutdownGrace,
                      [&runtime] { runtime.stop(); });
  });
  if (options.tls.enabled()) {
    std::fprintf(stderr, "llmtap sink: HTTPS only%s\n",
                 options.tls.client_ca_file.empty()
                     ? ""
                     : ", client certificates from --tls-client-ca required");
  }
  // Announced after the handlers are in place: a test may send SIGTERM as soon as it reads this.
  std::fprintf(stderr, "llmtap sink listening on %s:%u\n", options.host.c_str(),
               static_cast<unsigned>(server->port()));
  std::fflush(stderr);

  runtime.run();

  const SinkCounters counters = server->counters();
  std::fprintf(stderr, "llmtap sink: %llu requests, %llu records, %llu rejected, %llu write errors",
               static_cast<unsigned long long>(counters.requests),
               static_cast<unsigned long long>(counters.records),
               static_cast<unsigned long long>(counters.rejected),
               static_cast<unsigned long long>(counters.write_errors));
  if (options.tls.enabled()) {
    std::fprintf(stderr, ", %llu failed TLS handshakes",
                 static_cast<unsigned long long>(counters.tls_handshake_failures));
  }
  std::fputc('\n', stderr);
  server.reset();
  return 0;
}

}  // namespace llmtap::sink
