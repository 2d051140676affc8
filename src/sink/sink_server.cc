#include "sink/sink_server.h"

#include <csignal>
#include <cstdio>
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
  if (!options_.out_path.empty()) out_.open(options_.out_path);
  if (!options_.requests_out_path.empty()) requests_log_.open(options_.requests_out_path);
  http::ServerOptions server_options;
  server_options.host = options_.host;
  server_options.port = options_.port;
  server_options.max_body_bytes = options_.max_body_bytes;
  server_ = std::make_unique<http::Server>(
      runtime, server_options,
      [this](http::Request request, std::shared_ptr<http::Responder> responder) {
        handle(std::move(request), responder);
      });
}

SinkServer::~SinkServer() = default;

void SinkServer::listen() { server_->listen(); }
std::uint16_t SinkServer::port() const { return server_->port(); }
void SinkServer::stop_accepting() { server_->stop_accepting(); }
void SinkServer::wait_idle(std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
  server_->wait_idle(deadline, std::move(done));
}

SinkCounters SinkServer::counters() const {
  return SinkCounters{requests_.load(), records_.load(), rejected_.load(), write_errors_.load()};
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
  const DecodedBody decoded = decode_body(request.body, content_type, content_encoding, decode_options);
  const int status = http_status(decoded.error);

  if (decoded.ok()) {
    records_ += decoded.records.size();
    emit(request, decoded);
  } else {
    ++rejected_;
    std::fprintf(stderr, "[sink] %s %.*s rejected %d: %s\n", request.method.c_str(),
                 static_cast<int>(request.path().size()), request.path().data(), status, decoded.message.c_str());
  }
  if (requests_log_.is_open()) {
    std::string fields = R"(,"records":)" + std::to_string(decoded.records.size());
    fields += R"(,"format":)";
    fields += decoded.ok() ? json_string(to_string(decoded.format)) : "null";
    fields += R"(,"content_encoding":)" + json_string(content_encoding);
    fields += R"(,"content_type":)" + json_string(content_type);
    fields += R"(,"body_bytes":)" + std::to_string(request.body.size());
    fields += R"(,"status":)" + std::to_string(status);
    fields += R"(,"error":)";
    fields += decoded.ok() ? "null" : json_string(decoded.message);
    if (!requests_log_.append(request, fields)) ++write_errors_;
  }
  if (!decoded.ok()) {
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
  for (const std::string& record : decoded.records) text += prefix + summarize_record(record) + "\n";
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
  }
  runtime.on_signals({SIGINT, SIGTERM}, [&runtime, &server](int) {
    server->stop_accepting();
    server->wait_idle(std::chrono::steady_clock::now() + kShutdownGrace, [&runtime] { runtime.stop(); });
  });
  // Announced after the handlers are in place: a test may send SIGTERM as soon as it reads this.
  std::fprintf(stderr, "llmtap sink listening on %s:%u\n", options.host.c_str(),
               static_cast<unsigned>(server->port()));
  std::fflush(stderr);

  runtime.run();

  const SinkCounters counters = server->counters();
  std::fprintf(stderr, "llmtap sink: %llu requests, %llu records, %llu rejected, %llu write errors\n",
               static_cast<unsigned long long>(counters.requests), static_cast<unsigned long long>(counters.records),
               static_cast<unsigned long long>(counters.rejected),
               static_cast<unsigned long long>(counters.write_errors));
  server.reset();
  return 0;
}

}  // namespace llmtap::sink
