// E2eFixture: what every end-to-end test needs — a temp dir, a running `llmtap sink` writing the
// records it receives to a file, optionally the mock upstream or the fault-injection receiver, and
// llmtap started on a config written from a template made with ConfigBuilder. Placeholders filled
// in every template: `{SINK}` (the sink's base URL), `{UPSTREAM}` (the mock upstream's),
// `{RECEIVER}` (the fault receiver's /logs URL) and `{DIR}` (the temp dir).
// Lifecycle: one fixture per test; every process it started is killed when it is destroyed.
// Thread-safety: used from the test's thread only.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/http_call.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {

// One `callback_settings` entry (a generic_api callback), made by ConfigBuilder::callback().
// Values are YAML scalars written as given: quote them yourself where YAML needs it.
class CallbackBuilder {
 public:
  explicit CallbackBuilder(std::string name) : name_(std::move(name)) {}

  CallbackBuilder& endpoint(std::string_view url) { return set("endpoint", url); }
  // `key: value`; a dotted key ("tls.ca_file") goes under its section ("tls:"). Setting a key
  // again replaces its value in place.
  CallbackBuilder& set(std::string_view key, std::string_view value);
  // A `headers:` entry.
  CallbackBuilder& header(std::string_view name, std::string_view value) {
    return set("headers." + std::string(name), value);
  }
  // Which litellm_settings list names the callback: "callbacks" (the default),
  // "success_callback" or "failure_callback".
  CallbackBuilder& listed_in(std::string_view list);
  // Only listed by name, without a callback_settings entry (a preset, or `generic_api` from the
  // environment).
  CallbackBuilder& without_settings();

  const std::string& name() const { return name_; }
  const std::string& list() const { return list_; }
  // The entry's YAML (indented for callback_settings), empty when without_settings().
  std::string yaml() const;

 private:
  std::string name_;
  std::string list_ = "callbacks";
  bool has_settings_ = true;
  std::vector<std::pair<std::string, std::string>> keys_;  // in the order first set
};

// Builds the LiteLLM config.yaml of an end-to-end test: its deployments, its callbacks, and master
// key sk-1234. Without a callback() the one callback is `test_sink`, posting ndjson to {SINK}/logs
// every 0.1 s (callback_settings() adds lines under it). Extra settings are YAML lines
// ("key: value", one per line, unindented) added under their section.
class ConfigBuilder {
 public:
  // openai/<upstream_model> at the mock upstream ({UPSTREAM}/v1) with api_key sk-upstream;
  // `params` are more litellm_params lines (e.g. "timeout: 0.3").
  ConfigBuilder& upstream(std::string_view name, std::string_view upstream_model,
                          std::string_view params = {});
  // A mock_response deployment (openai/gpt-3.5-turbo unless `model` says otherwise).
  ConfigBuilder& mock(std::string_view name, std::string_view answer,
                      std::string_view model = "openai/gpt-3.5-turbo");
  // Any deployment: every litellm_params line given, and model_info lines when any.
  ConfigBuilder& deployment(std::string_view name, std::string_view params,
                            std::string_view model_info = {});
  ConfigBuilder& litellm_settings(std::string_view lines);
  ConfigBuilder& callback_settings(std::string_view lines);  // raw lines under test_sink
  ConfigBuilder& general_settings(std::string_view lines);
  ConfigBuilder& master_key(std::string_view key);  // empty: no master key
  // Declares a generic_api callback `name` (replacing the default test_sink), or returns the one
  // already declared under that name; the reference stays valid for this builder's lifetime.
  // callback("test_sink") is the default sink callback itself, with its settings, to add to.
  CallbackBuilder& callback(std::string_view name);

  std::string yaml() const;

 private:
  std::string callbacks_yaml() const;

  std::string models_;
  std::string litellm_;
  std::string callback_;
  std::string general_;
  std::string master_key_ = "sk-1234";
  std::deque<CallbackBuilder> callbacks_;  // a deque: callback() hands out references
};

class E2eFixture : public ::testing::Test {
 protected:
  // Starts the sink (and the mock upstream when asked) then llmtap on `config_template`.
  void start(const std::string& config_template, EnvVars env = {}, bool with_upstream = false);
  // The pieces of start(), for tests that need something in between (e.g. an environment
  // variable holding the sink's URL).
  void launch_sink();
  void launch_upstream();
  // Writes config.yaml from `config_template` with every placeholder filled (and retries and
  // cooldowns off unless it has router_settings of its own); returns its path.
  std::string write_config(const std::string& config_template);
  // Starts (or restarts, on the same config) llmtap on the config at `config_path`.
  void start_llmtap_on(const std::string& config_path, EnvVars env = {});

  // http:// (or https://localhost when sink_https_) and the sink's port.
  std::string sink_url() const;
  std::string upstream_url() const { return "http://127.0.0.1:" + std::to_string(upstream_.port); }

  // POST a chat completion to llmtap with the master key "sk-1234".
  HttpReply chat(std::string_view model, std::string_view content = "Hello",
                 std::string_view key = "sk-1234");
  // A chat as above; the x-litellm-call-id of a 200, or "" otherwise.
  std::string chat_id(std::string_view model, std::string_view content = "Hello");

  // POST `body` to llmtap's `path` with the master key and `headers` on top.
  HttpReply post(std::string_view path, std::string_view body, const HeaderList& headers = {});

  // `name{callback="<callback>"[,<extra>]} value` from llmtap's /metrics; -1 when absent.
  double metric(const std::string& name, const std::string& callback,
                const std::string& extra = "");

  // The records the sink has written, waiting until there are at least `count` (or the deadline).
  std::vector<std::string> records(std::size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds{10});
  // The one record the sink received (waiting for it), parsed, its text in lines_[0]; a failed
  // expectation inside leaves an empty element: callers check HasFailure().
  simdjson::dom::element only_record();
  // The error_class of each failure record among the first `count` (waiting for them), keyed by
  // model_group; every one of them must name `provider` as its custom_llm_provider.
  std::map<std::string, std::string> failure_classes(std::size_t count, std::string_view provider);
  // The first `count` records (waiting for them), keyed by litellm_call_id.
  std::map<std::string, std::string> records_by_call_id(std::size_t count);
  // The sink's per-request log lines (one JSON object per HTTP request it received).
  std::vector<std::string> sink_requests() const;
  // The mock upstream's per-request log lines.
  std::vector<std::string> upstream_requests() const;

  // Runs `node <script> <args…>` (a script of tests/integration/openai_client, the official SDK
  // talking to llmtap or a mock) and returns each JSON line it printed, by its "step" member;
  // expects a clean exit and `steps` lines.
  std::map<std::string, std::string> run_node_steps(std::string_view script,
                                                    const std::vector<std::string>& args,
                                                    std::size_t steps);
  // openai_client/providers.mjs against llmtap (master key sk-1234) with `steps`
  // ("step=model"): the official openai SDK calling a translated provider's deployments.
  std::map<std::string, std::string> run_providers_client(const std::vector<std::string>& steps);
  // Checks the "tools" and "tools-stream" steps of run_providers_client() against the provider
  // mocks' one tool call: get_weather({"city":"Paris"}), finish_reason tool_calls, whole and
  // streamed (the arguments assembled from the chunks); `id`, when given, is the call's id.
  void expect_weather_tool_call(std::map<std::string, std::string>& steps,
                                std::string_view id = {});

  // The fault-injection receiver (tests/support/fault_receiver.h), answering by `plan`, on `port`
  // (0: any); {RECEIVER} is its /logs URL. What it accepted goes to received_file().
  void start_receiver(const std::string& plan, std::uint16_t port = 0);
  // Replaces the running receiver's plan.
  void set_plan(const std::string& plan);
  std::string receiver_url() const;
  std::string received_file() const { return dir_.file("received.ndjson"); }
  // The receiver's per-request log lines.
  std::vector<std::string> receiver_requests() const;
  // litellm_call_id of every record in the NDJSON `file` (with repeats).
  std::multiset<std::string> received_ids(const std::string& file);
  // Whether `file` holds a record of each of `expected`.
  bool received_all(const std::string& file, const std::set<std::string>& expected);

  std::vector<std::string> sink_args_;  // more `llmtap sink` arguments, set before start()
  bool sink_https_ = false;  // the sink serves TLS (sink_args_ say how), set before start()
  TempDir dir_;
  StartedServer sink_;
  StartedServer upstream_;
  StartedServer receiver_;
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
