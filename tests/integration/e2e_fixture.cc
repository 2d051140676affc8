#include "integration/e2e_fixture.h"

#include <algorithm>

#include "support/wait.h"

namespace llmtap::test {

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    std::string token = "{" + key + "}";
    for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + value.size())) {
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

}  // namespace

ConfigBuilder& ConfigBuilder::deployment(std::string_view name, std::string_view params,
                                         std::string_view model_info) {
  models_ += "  - model_name: " + std::string(name) + "\n    litellm_params:\n" + indented(params, 6);
  if (!model_info.empty()) models_ += "    model_info:\n" + indented(model_info, 6);
  return *this;
}

ConfigBuilder& ConfigBuilder::upstream(std::string_view name, std::string_view upstream_model,
                                       std::string_view params) {
  return deployment(name, "model: openai/" + std::string(upstream_model) +
                              "\napi_key: sk-upstream\napi_base: {UPSTREAM}/v1\n" + std::string(params));
}

ConfigBuilder& ConfigBuilder::mock(std::string_view name, std::string_view answer, std::string_view model) {
  return deployment(name, "model: " + std::string(model) + "\nmock_response: \"" + std::string(answer) + "\"");
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

std::string ConfigBuilder::yaml() const {
  std::string general = general_;
  if (!master_key_.empty()) general = "  master_key: " + master_key_ + "\n" + general;
  return "model_list:\n" + models_ +
         "litellm_settings:\n  callbacks: [\"test_sink\"]\n" + litellm_ +
         "callback_settings:\n  test_sink:\n    callback_type: generic_api\n    endpoint: {SINK}/logs\n"
         "    log_format: ndjson\n    flush_interval: 0.1\n" + callback_ +
         (general.empty() ? std::string() : "general_settings:\n" + general);
}

void E2eFixture::start(const std::string& config_template, EnvVars env, bool with_upstream) {
  records_file_ = dir_.file("records.ndjson");
  requests_file_ = dir_.file("sink-requests.ndjson");
  std::vector<std::string> sink_args = {"--requests-out", requests_file_};
  sink_args.insert(sink_args.end(), sink_args_.begin(), sink_args_.end());
  sink_ = start_sink(records_file_, sink_args);
  ASSERT_TRUE(sink_.ok()) << sink_.error;
  if (with_upstream) {
    upstream_requests_file_ = dir_.file("upstream-requests.ndjson");
    upstream_ = start_mock_upstream(upstream_requests_file_);
    ASSERT_TRUE(upstream_.ok()) << upstream_.error;
  }
  std::string config = fill(config_template, {{"SINK", sink_url()},
                                              {"UPSTREAM", with_upstream ? upstream_url() : ""}});
  std::string path = dir_.write_file("config.yaml", config);
  llmtap_ = start_llmtap(path, {}, std::move(env));
  ASSERT_TRUE(llmtap_.ok()) << llmtap_.error;
}

HttpReply E2eFixture::chat(std::string_view model, std::string_view content, std::string_view key) {
  std::string body = R"({"model":")" + std::string(model) +
                     R"(","messages":[{"role":"user","content":")" + std::string(content) + R"("}]})";
  HeaderList headers = {{"Content-Type", "application/json"}};
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(key));
  return http_request(llmtap_.port, "POST", "/v1/chat/completions", headers, body);
}

HttpReply E2eFixture::post(std::string_view path, std::string_view body, const HeaderList& headers) {
  HeaderList all = {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-1234"}};
  all.insert(all.end(), headers.begin(), headers.end());
  return http_request(llmtap_.port, "POST", path, all, body);
}

simdjson::dom::element E2eFixture::only_record() {
  lines_ = records(1);
  EXPECT_EQ(lines_.size(), 1u);
  if (lines_.size() != 1) return {};
  auto record = parser_.parse(lines_[0]);
  EXPECT_FALSE(record.error()) << lines_[0];
  return record.error() ? simdjson::dom::element() : record.value();
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
  wait_until([&] {
    lines = read_ndjson_lines(records_file_);
    return lines.size() >= count;
  }, timeout);
  return lines;
}

std::vector<std::string> E2eFixture::sink_requests() const { return read_ndjson_lines(requests_file_); }

std::vector<std::string> E2eFixture::upstream_requests() const {
  return read_ndjson_lines(upstream_requests_file_);
}

}  // namespace llmtap::test
