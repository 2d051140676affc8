#include "integration/e2e_fixture.h"

#include <algorithm>
#include <filesystem>

#include "integration/node_steps.h"
#include "support/wait.h"

namespace llmtap::test {

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    std::string token = "{" + key + "}";
    for (auto pos = text.find(token); pos != std::string::npos;
         pos = text.find(token, pos + value.size())) {
      text.replace(pos, token.size(), value);
    }
  }
  return text;
}

namespace {

// Each line of `lines` indented by `spaces`, newline-terminated.
std::string indented(std::string_view lines, std::size_t spaces) {
  std::string out;
  while (!lines.empty()) {
    const std::size_t end = std::min(lines.find('\n'), lines.size());
    if (end > 0) {
      out.append(spaces, ' ');
      out.append(lines.substr(0, end));
      out.push_back('\n');
    }
    lines.remove_prefix(std::min(end + 1, lines.size()));
  }
  return out;
}

// `["a", "b"]`
std::string yaml_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const std::string& name : names) {
    if (out.size() > 1) out += ", ";
    out += "\"" + name + "\"";
  }
  return out + "]";
}

// The callback most tests use: ndjson to the fixture's sink, flushed every 0.1 s.
CallbackBuilder test_sink() {
  CallbackBuilder sink("test_sink");
  sink.endpoint("{SINK}/logs").set("log_format", "ndjson").set("flush_interval", "0.1");
  return sink;
}

std::string fault_receiver_binary() {
  return (std::filesystem::path(mock_upstream_binary()).parent_path() / "llmtap_fault_receiver")
      .string();
}

}  // namespace

CallbackBuilder& CallbackBuilder::set(std::string_view key, std::string_view value) {
  auto same = [&](const auto& entry) { return entry.first == key; };
  if (auto it = std::find_if(keys_.begin(), keys_.end(), same); it != keys_.end()) {
    it->second = value;
  } else {
    keys_.emplace_back(key, value);
  }
  return *this;
}

CallbackBuilder& CallbackBuilder::listed_in(std::string_view list) {
  list_ = list;
  return *this;
}

CallbackBuilder& CallbackBuilder::without_settings() {
  has_settings_ = false;
  return *this;
}

std::string CallbackBuilder::yaml() const {
  if (!has_settings_) return {};
  std::string out = "  " + name_ + ":\n    callback_type: generic_api\n";
  std::vector<std::string> sections_done;
  for (const auto& [key, value] : keys_) {
    const std::size_t dot = key.find('.');
    if (dot == std::string::npos) {
      out += "    " + key + ": " + value + "\n";
      continue;
    }
    // A section's entries are written together, where its first entry was set.
    const std::string section = key.substr(0, dot);
    if (std::find(sections_done.begin(), sections_done.end(), section) != sections_done.end()) {
      continue;
    }
    sections_done.push_back(section);
    out += "    " + section + ":\n";
    for (const auto& [inner, inner_value] : keys_) {
      if (inner.size() > dot && inner.compare(0, dot + 1, section + ".") == 0) {
        out += "      " + inner.substr(dot + 1) + ": " + inner_value + "\n";
      }
    }
  }
  return out;
}

ConfigBuilder& ConfigBuilder::deployment(std::string_view name, std::string_view params,
                                         std::string_view model_info) {
  models_ +=
      "  - model_name: " + std::string(name) + "\n    litellm_params:\n" + indented(params, 6);
  if (!model_info.empty()) models_ += "    model_info:\n" + indented(model_info, 6);
  return *this;
}

ConfigBuilder& ConfigBuilder::upstream(std::string_view name, std::string_view upstream_model,
                                       std::string_view params) {
  return deployment(name, "model: openai/" + std::string(upstream_model) +
                              "\napi_key: sk-upstream\napi_base: {UPSTREAM}/v1\n" +
                              std::string(params));
}

ConfigBuilder& ConfigBuilder::mock(std::string_view name, std::string_view answer,
                                   std::string_view model) {
  return deployment(
      name, "model: " + std::string(model) + "\nmock_response: \"" + std::string(answer) + "\"");
}

ConfigBuilder& ConfigBuilder::litellm_settings(std::string_view lines) {
  litellm_ += indented(lines, 2);
  return *this;
}

ConfigBuilder& ConfigBuilder::callback_settings(std::string_view lines) {
  callback_ += indented(lines, 4);
  return *this;
}

ConfigBuilder& ConfigBuilder::general_settings(std::string_view lines) {
  general_ += indented(lines, 2);
  return *this;
}

ConfigBuilder& ConfigBuilder::master_key(std::string_view key) {
  master_key_ = key;
  return *this;
}

CallbackBuilder& ConfigBuilder::callback(std::string_view name) {
  for (CallbackBuilder& callback : callbacks_) {
    if (callback.name() == name) return callback;
  }
  if (name == "test_sink") return callbacks_.emplace_back(test_sink());
  return callbacks_.emplace_back(std::string(name));
}

// litellm_settings' callback lists and the callback_settings section.
std::string ConfigBuilder::callbacks_yaml() const {
  const std::deque<CallbackBuilder> just_the_sink = {test_sink()};
  const auto& callbacks = callbacks_.empty() ? just_the_sink : callbacks_;
  std::vector<std::pair<std::string, std::vector<std::string>>> lists;  // in order of first use
  std::string settings;
  for (const CallbackBuilder& callback : callbacks) {
    auto same = [&](const auto& list) { return list.first == callback.list(); };
    auto it = std::find_if(lists.begin(), lists.end(), same);
    if (it == lists.end()) {
      it = lists.emplace(lists.end(), callback.list(), std::vector<std::string>{});
    }
    it->second.push_back(callback.name());
    settings += callback.yaml();
    if (callback.name() == "test_sink") settings += callback_;
  }
  std::string out = "litellm_settings:\n";
  for (const auto& [list, names] : lists) out += "  " + list + ": " + yaml_list(names) + "\n";
  out += litellm_;
  if (!settings.empty()) out += "callback_settings:\n" + settings;
  return out;
}

std::string ConfigBuilder::yaml() const {
  std::string general = general_;
  if (!master_key_.empty()) general = "  master_key: " + master_key_ + "\n" + general;
  return "model_list:\n" + models_ + callbacks_yaml() +
         (general.empty() ? std::string() : "general_settings:\n" + general);
}

void E2eFixture::start(const std::string& config_template, EnvVars env, bool with_upstream) {
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  if (with_upstream) {
    ASSERT_NO_FATAL_FAILURE(launch_upstream());
  }
  start_llmtap_on(write_config(config_template), std::move(env));
}

void E2eFixture::launch_sink() {
  records_file_ = dir_.file("records.ndjson");
  requests_file_ = dir_.file("sink-requests.ndjson");
  std::vector<std::string> sink_args = {"--requests-out", requests_file_};
  sink_args.insert(sink_args.end(), sink_args_.begin(), sink_args_.end());
  sink_ = test::start_sink(records_file_, sink_args);
  ASSERT_TRUE(sink_.ok()) << sink_.error;
}

void E2eFixture::launch_upstream() {
  upstream_requests_file_ = dir_.file("upstream-requests.ndjson");
  upstream_ = start_mock_upstream(upstream_requests_file_);
  ASSERT_TRUE(upstream_.ok()) << upstream_.error;
}

std::string E2eFixture::write_config(const std::string& config_template) {
  std::string config = fill(config_template, {{"SINK", sink_.ok() ? sink_url() : ""},
                                              {"UPSTREAM", upstream_.ok() ? upstream_url() : ""},
                                              {"RECEIVER", receiver_.ok() ? receiver_url() : ""},
                                              {"DIR", dir_.path()}});
  // LiteLLM retries a failed call twice by default and cools a deployment down after some
  // failures; these tests look at each upstream answer once, each call reaching its upstream, so
  // their configs turn both off unless they set router_settings themselves (the router's tests
  // do).
  if (config.find("router_settings:") == std::string::npos) {
    config += "\nrouter_settings:\n  num_retries: 0\n  disable_cooldowns: true\n";
  }
  return dir_.write_file("config.yaml", config);
}

void E2eFixture::start_llmtap_on(const std::string& config_path, EnvVars env) {
  llmtap_ = start_llmtap(config_path, {}, std::move(env));
  ASSERT_TRUE(llmtap_.ok()) << llmtap_.error;
}

std::string E2eFixture::sink_url() const {
  return (sink_https_ ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(sink_.port);
}

HttpReply E2eFixture::chat(std::string_view model, std::string_view content, std::string_view key) {
  std::string body = R"({"model":")" + std::string(model) +
                     R"(","messages":[{"role":"user","content":")" + std::string(content) +
                     R"("}]})";
  HeaderList headers = {{"Content-Type", "application/json"}};
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(key));
  return http_request(llmtap_.port, "POST", "/v1/chat/completions", headers, body);
}

std::string E2eFixture::chat_id(std::string_view model, std::string_view content) {
  const HttpReply reply = chat(model, content);
  return reply.status == 200 ? reply.header("x-litellm-call-id") : std::string();
}

HttpReply E2eFixture::post(std::string_view path, std::string_view body,
                           const HeaderList& headers) {
  HeaderList all = {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-1234"}};
  all.insert(all.end(), headers.begin(), headers.end());
  return http_request(llmtap_.port, "POST", path, all, body);
}

double E2eFixture::metric(const std::string& name, const std::string& callback,
                          const std::string& extra) {
  const HttpReply reply = http_request(llmtap_.port, "GET", "/metrics");
  const std::string labels =
      "{callback=\"" + callback + "\"" + (extra.empty() ? "" : "," + extra) + "}";
  const std::string prefix = name + labels + " ";
  const std::size_t at = reply.body.find(prefix);
  if (at == std::string::npos || (at > 0 && reply.body[at - 1] != '\n')) return -1;
  return std::stod(reply.body.substr(at + prefix.size()));
}

simdjson::dom::element E2eFixture::only_record() {
  lines_ = records(1);
  EXPECT_EQ(lines_.size(), 1u);
  if (lines_.size() != 1) return {};
  auto record = parser_.parse(lines_[0]);
  EXPECT_FALSE(record.error()) << lines_[0];
  return record.error() ? simdjson::dom::element() : record.value();
}

std::map<std::string, std::string> E2eFixture::failure_classes(std::size_t count,
                                                               std::string_view provider) {
  std::map<std::string, std::string> classes;
  const std::vector<std::string> lines = records(count);
  EXPECT_EQ(lines.size(), count);
  for (const std::string& line : lines) {
    auto record = parser_.parse(line);
    EXPECT_FALSE(record.error()) << line;
    if (record.error()) continue;
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), provider) << line;
    if (std::string_view(record["status"]) != "failure") continue;
    classes[std::string(std::string_view(record["model_group"]))] =
        std::string(std::string_view(record["error_information"]["error_class"]));
  }
  return classes;
}

std::map<std::string, std::string> E2eFixture::records_by_call_id(std::size_t count) {
  std::map<std::string, std::string> out;
  for (const std::string& line : records(count)) {
    auto record = parser_.parse(line);
    EXPECT_FALSE(record.error()) << line;
    std::string_view id;
    if (!record.error() && !record["litellm_call_id"].get(id)) out.emplace(id, line);
  }
  return out;
}

std::vector<std::string> E2eFixture::records(std::size_t count, std::chrono::milliseconds timeout) {
  std::vector<std::string> lines;
  wait_until(
      [&] {
        lines = read_ndjson_lines(records_file_);
        return lines.size() >= count;
      },
      timeout);
  return lines;
}

std::vector<std::string> E2eFixture::sink_requests() const {
  return read_ndjson_lines(requests_file_);
}

std::map<std::string, std::string> E2eFixture::run_node_steps(std::string_view script,
                                                              const std::vector<std::string>& args,
                                                              std::size_t steps) {
  return test::run_node_steps("openai_client/" + std::string(script), args, steps);
}

std::map<std::string, std::string> E2eFixture::run_providers_client(
    const std::vector<std::string>& steps) {
  std::vector<std::string> args{"http://127.0.0.1:" + std::to_string(llmtap_.port) + "/v1",
                                "sk-1234"};
  args.insert(args.end(), steps.begin(), steps.end());
  return run_node_steps("providers.mjs", args, steps.size());
}

void E2eFixture::expect_weather_tool_call(std::map<std::string, std::string>& steps,
                                          std::string_view id) {
  simdjson::dom::parser step_parser;
  auto tools = step_parser.parse(steps["tools"]);
  ASSERT_FALSE(tools.error()) << steps["tools"];
  EXPECT_EQ(std::string_view(tools["finish"]), "tool_calls") << steps["tools"];
  EXPECT_EQ(std::string_view(tools["name"]), "get_weather") << steps["tools"];
  EXPECT_EQ(std::string_view(tools["arguments"]), R"({"city":"Paris"})") << steps["tools"];
  if (!id.empty()) {
    EXPECT_EQ(std::string_view(tools["id"]), id) << steps["tools"];
  }

  simdjson::dom::parser stream_parser;
  auto streamed = stream_parser.parse(steps["tools-stream"]);
  ASSERT_FALSE(streamed.error()) << steps["tools-stream"];
  EXPECT_EQ(std::string_view(streamed["finish"]), "tool_calls") << steps["tools-stream"];
  auto call = streamed["tools"].at(0);
  EXPECT_EQ(std::string_view(call["name"]), "get_weather") << steps["tools-stream"];
  if (!id.empty()) {
    EXPECT_EQ(std::string_view(call["id"]), id) << steps["tools-stream"];
  }
  simdjson::dom::parser arguments_parser;
  auto arguments = arguments_parser.parse(std::string(std::string_view(call["arguments"])));
  ASSERT_FALSE(arguments.error()) << steps["tools-stream"];
  EXPECT_EQ(std::string_view(arguments["city"]), "Paris") << steps["tools-stream"];
}

std::vector<std::string> E2eFixture::upstream_requests() const {
  return read_ndjson_lines(upstream_requests_file_);
}

void E2eFixture::start_receiver(const std::string& plan, std::uint16_t port) {
  receiver_ = start_server(
      {fault_receiver_binary(),
       {"--host", "127.0.0.1", "--port", std::to_string(port), "--out", received_file(),
        "--requests-out", dir_.file("receiver-requests.ndjson"), "--plan", plan},
       {}});
  ASSERT_TRUE(receiver_.ok()) << receiver_.error;
}

void E2eFixture::set_plan(const std::string& plan) {
  const HttpReply reply = http_request(receiver_.port, "POST", "/__plan", {}, plan);
  ASSERT_EQ(reply.status, 200) << reply.error << reply.body;
}

std::string E2eFixture::receiver_url() const {
  return "http://127.0.0.1:" + std::to_string(receiver_.port) + "/logs";
}

std::vector<std::string> E2eFixture::receiver_requests() const {
  return read_ndjson_lines(dir_.file("receiver-requests.ndjson"));
}

std::multiset<std::string> E2eFixture::received_ids(const std::string& file) {
  std::multiset<std::string> ids;
  for (const auto& line : read_ndjson_lines(file)) {
    auto doc = parser_.parse(line);
    std::string_view id;
    if (!doc.error() && !doc["litellm_call_id"].get(id)) ids.insert(std::string(id));
  }
  return ids;
}

bool E2eFixture::received_all(const std::string& file, const std::set<std::string>& expected) {
  const auto got = received_ids(file);
  return std::all_of(expected.begin(), expected.end(),
                     [&](const std::string& id) { return got.count(id) > 0; });
}

}  // namespace llmtap::test
