// start_server() and friends: start a server process (the llmtap gateway, `llmtap sink`, the mock
// upstream) on 127.0.0.1 port 0 and learn the port it bound from the line it prints on start-up,
// `… listening on <host>:<port>` (e.g. `llmtap sink listening on 127.0.0.1:41234`).
// Thread-safety: plain functions; the returned Process is as thread-safe as Process.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/process.h"

namespace llmtap::test {

// A server child and the port it reported.
struct StartedServer {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
  std::string error;  // why it did not start (with its output), when port == 0
  bool ok() const { return port != 0; }
};

// Starts `options` and waits (up to `timeout`) for a line ending in `listening on <host>:<port>`
// on stdout or stderr. Never throws: a spawn failure is reported in `error`.
StartedServer start_server(ProcessOptions options,
                           std::chrono::milliseconds timeout = std::chrono::seconds{20});

// `LLMTAP_BINARY --config <config_path> --host 127.0.0.1 --port 0 <extra_args>`.
StartedServer start_llmtap(const std::string& config_path, std::vector<std::string> extra_args = {},
                           EnvVars env = {});
// `LLMTAP_BINARY sink --host 127.0.0.1 --port 0 [--out <out_file>] <extra_args>`.
StartedServer start_sink(const std::string& out_file, std::vector<std::string> extra_args = {});
// `llmtap_mock_upstream --host 127.0.0.1 --port 0 [--requests-out <requests_out>] <extra_args>`.
StartedServer start_mock_upstream(const std::string& requests_out,
                                  std::vector<std::string> extra_args = {});

// Paths baked in at build time.
const char* llmtap_binary();
const char* mock_upstream_binary();

}  // namespace llmtap::test
