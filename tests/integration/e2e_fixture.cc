#include "integration/e2e_fixture.h"

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

void E2eFixture::start(const std::string& config_template, EnvVars env, bool with_upstream) {
  records_file_ = dir_.file("records.ndjson");
  requests_file_ = dir_.file("sink-requests.ndjson");
  sink_ = start_sink(records_file_, {"--requests-out", requests_file_});
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
