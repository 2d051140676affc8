// E2eFixture: what every end-to-end test needs — a temp dir, a running `llmtap sink` writing the
// records it receives to a file, optionally the mock upstream, and llmtap started on a config
// written from a template (`{SINK}` → the sink's base URL, `{UPSTREAM}` → the mock upstream's).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "support/http_call.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {

class E2eFixture : public ::testing::Test {
 protected:
  // Starts the sink (and the mock upstream when asked) then llmtap on `config_template`.
  void start(const std::string& config_template, EnvVars env = {}, bool with_upstream = false);

  std::string sink_url() const { return "http://127.0.0.1:" + std::to_string(sink_.port); }
  std::string upstream_url() const { return "http://127.0.0.1:" + std::to_string(upstream_.port); }

  // POST a chat completion to llmtap with the master key "sk-1234".
  HttpReply chat(std::string_view model, std::string_view content = "Hello",
                 std::string_view key = "sk-1234");

  // The records the sink has written, waiting until there are at least `count` (or the deadline).
  std::vector<std::string> records(std::size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds{10});
  // The sink's per-request log lines (one JSON object per HTTP request it received).
  std::vector<std::string> sink_requests() const;
  // The mock upstream's per-request log lines.
  std::vector<std::string> upstream_requests() const;

  TempDir dir_;
  StartedServer sink_;
  StartedServer upstream_;
  StartedServer llmtap_;
  std::string records_file_;
  std::string requests_file_;
  std::string upstream_requests_file_;
  simdjson::dom::parser parser_;
};

// Replaces every `{KEY}` in `text`.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace llmtap::test
