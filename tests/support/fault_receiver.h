// FaultReceiver: a log receiver for fault-injection tests that answers each POST by following a
// plan, so a test can make a log endpoint fail in every way the delivery contract (README,
// `callback_settings.<name>`) names.
//
// A plan is a comma-separated list of steps; each POST consumes one, the last one repeats:
//   200 | 503 | 401 | <any status>   answer that status (2xx accepts the body's records)
//   429@S                             answer 429 with Retry-After: S (seconds)
//   slow-MS                           answer 200 after MS milliseconds (on a timer)
//   reset                             send the head, then drop the connection mid-body
//   STEPxN                            STEP, N times (e.g. 503x3,200)
// Only records of POSTs answered 2xx are appended to --out (one NDJSON line each, exact bytes), so
// the file holds exactly what was delivered. Every POST is logged to --requests-out:
//   {"n":1,"step":"503","status":503,"records":2,"idempotency_key":"…"}
// Control, for tests that change the behaviour mid-run: POST /__plan with a plan as the body
// replaces the plan (and restarts it); GET /__stats answers {"requests":N,"accepted_records":M}.
// "Gone away" is a stopped process; "back" is a new one on the same --port.
//
// Lifecycle: construct, listen(), serve on the runtime. Thread-safety: handlers run on runtime
// threads; the plan and counters are behind a mutex, files append whole lines.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/runtime.h"
#include "http/server.h"
#include "sink/append_file.h"

namespace llmtap::test {

struct FaultStep {
  enum class Kind { status, slow, reset };
  Kind kind = Kind::status;
  int status = 200;
  int retry_after = -1;  // seconds; -1: no Retry-After header
  int delay_ms = 0;
  std::string text;  // as written in the plan
};

// Parses a plan; an empty vector and `error` when a step is not understood.
std::vector<FaultStep> parse_fault_plan(const std::string& plan, std::string* error);

struct FaultReceiverOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string out_path;
  std::string requests_out_path;
  std::string plan = "200";
};

class FaultReceiver {
 public:
  // Throws std::invalid_argument for a bad plan, std::system_error when a file cannot be opened.
  FaultReceiver(http::Runtime& runtime, FaultReceiverOptions options);
  ~FaultReceiver();
  FaultReceiver(const FaultReceiver&) = delete;
  FaultReceiver& operator=(const FaultReceiver&) = delete;

  void listen() { server_->listen(); }
  std::uint16_t port() const { return server_->port(); }

 private:
  void handle(http::Request request, std::shared_ptr<http::Responder> responder);
  FaultStep next_step();

  http::Runtime& runtime_;
  sink::AppendFile out_;
  sink::AppendFile requests_out_;
  std::mutex mu_;
  std::vector<FaultStep> plan_;         // guarded by mu_
  std::size_t position_ = 0;            // guarded by mu_
  std::uint64_t requests_ = 0;          // guarded by mu_
  std::uint64_t accepted_records_ = 0;  // guarded by mu_
  // Declared last: its handler uses every member above.
  std::unique_ptr<http::Server> server_;
};

}  // namespace llmtap::test
