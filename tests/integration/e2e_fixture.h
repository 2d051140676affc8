// E2eFixture: what every end-to-end test needs — a temp dir, a running `llmtap sink` writing the
// records it receives to a file, optionally the mock upstream, and llmtap started on a config
// written from a template (`{SINK}` → the sink's base URL, `{UPSTREAM}` → the mock upstream's),
// usually made with ConfigBuilder.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "support/http_call.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {

// Builds the LiteLLM config.yaml most end-to-end tests use: their deployments, the `test_sink`
// generic_api callback posting ndjson to {SINK}/logs every 0.1 s, and master key sk-1234. Extra
// settings are YAML lines ("key: value", one per line, unindented) added under their section.
class ConfigBuilder {
 public:
  // openai/<upstream_model> at the mock upstream ({UPSTREAM}/v1) with api_key sk-upstream;
  // `params` are more litellm_params lines (e.g. "timeout: 0.3").
  ConfigBuilder& upstream(std::string_view name, std::string_view upstream_model, std::string_view params = {});
  // A mock_response deployment (openai/gpt-3.5-turbo unless `model` says otherwise).
  ConfigBuilder& mock(std::string_view name, std::string_view answer,
                      std::string_view model = "openai/gpt-3.5-turbo");
  // Any deployment: every litellm_params line given, and model_info lines when any.
  ConfigBuilder& deployment(std::string_view name, std::string_view params, std::string_view model_info = {});
  ConfigBuilder& litellm_settings(std::string_view lines);
  ConfigBuilder& callback_settings(std::string_view lines);  // under test_sink
  ConfigBuilder& general_settings(std::string_view lines);
  ConfigBuilder& master_key(std::string_view key);  // empty: no master key

  std::string yaml() const;

 private:
  std::string models_;
  std::string litellm_;
  std::string callback_;
  std::string general_;
  std::string master_key_ = "sk-1234";
};

class E2eFixture : public ::testing::Test {
 protected:
  // Starts the sink (and the mock upstream when asked) then llmtap on `config_template`.
  void start(const std::string& config_template, EnvVars env = {}, bool with_upstream = false);

  std::string sink_url() const { return "http://127.0.0.1:" + std::to_string(sink_.port); }
  std::string upstream_url() const { return "http://127.0.0.1:" + std::to_string(upstream_.port); }

  // POST a chat completion to llmtap with the master key "sk-1234".
  HttpReply chat(std::string_view model, std::string_view content = "Hello",
                 std::string_view key = "sk-1234");

  // POST `body` to llmtap's `path` with the master key and `headers` on top.
  HttpReply post(std::string_view path, std::string_view body, const HeaderList& headers = {});

  // The records the sink has written, waiting until there are at least `count` (or the deadline).
  std::vector<std::string> records(std::size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds{10});
  // The one record the sink received (waiting for it), parsed, its text in lines_[0]; a failed
  // expectation inside leaves an empty element: callers check HasFailure().
  simdjson::dom::element only_record();
  // The first `count` records (waiting for them), keyed by litellm_call_id.
  std::map<std::string, std::string> records_by_call_id(std::size_t count);
  // The sink's per-request log lines (one JSON object per HTTP request it received).
  std::vector<std::string> sink_requests() const;
  // The mock upstream's per-request log lines.
  std::vector<std::string> upstream_requests() const;

  std::vector<std::string> sink_args_;  // more `llmtap sink` arguments, set before start()
  TempDir dir_;
  StartedServer sink_;
  StartedServer upstream_;
  StartedServer llmtap_;
  std::string records_file_;
  std::string requests_file_;
  std::string upstream_requests_file_;
  simdjson::dom::parser parser_;
  std::vector<std::string> lines_;  // the records only_record() read
};

// Replaces every `{KEY}` in `text`.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace llmtap::test
