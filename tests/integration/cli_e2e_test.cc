// End-to-end tests of the command line (README "Commands"): check-config output and exit codes, and
// serve's refusal to start on an invalid config.
#include <gtest/gtest.h>

#include "integration/e2e_fixture.h"
#include "support/process.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

RunResult run_llmtap(std::vector<std::string> args, EnvVars env = {}) {
  Process p(ProcessOptions{llmtap_binary(), std::move(args), std::move(env)});
  auto code = p.wait_exit(std::chrono::seconds{20});
  return RunResult{code.value_or(-1), p.out(), p.err()};
}

// A valid config with a provider key and a callback header that are secrets.
std::string valid_config() {
  ConfigBuilder builder;
  builder.deployment("gpt-3.5-turbo",
                     "model: openai/gpt-3.5-turbo\napi_key: os.environ/TEST_OPENAI_KEY");
  builder.callback("my_api")
      .endpoint("https://logs.example.com/ingest")
      .header("Authorization", "Bearer ${TEST_LOG_TOKEN}");
  return builder.master_key("").yaml();
}

// Verifies that check-config resolves the config and never prints a secret in full.
TEST(CliE2eTest, CheckConfigPrintsResolvedCallbacksWithSecretsMasked) {
  TempDir dir;
  auto path = dir.write_file("config.yaml", valid_config());
  RunResult run = run_llmtap(
      {"check-config", "--config", path},
      {{"TEST_OPENAI_KEY", "sk-proj-verysecret"}, {"TEST_LOG_TOKEN", "tok-abcdef123456"}});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("my_api"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("https://logs.example.com/ingest"), std::string::npos) << run.out;
  EXPECT_EQ((run.out + run.err).find("tok-abcdef123456"), std::string::npos) << run.out;
  EXPECT_EQ((run.out + run.err).find("sk-proj-verysecret"), std::string::npos) << run.out;
}

// Verifies that an invalid config exits 2 and names the file, line and key path of every error.
TEST(CliE2eTest, InvalidConfigExitsTwoWithEveryError) {
  TempDir dir;
  // Raw YAML, not ConfigBuilder: the errors name its lines and columns.
  auto path = dir.write_file("config.yaml", R"(model_list: []
litellm_settings:
  callbacks: ["my_api", "no_such_callback"]
callback_settings:
  my_api:
    callback_type: generic_api
    endpoint: https://logs.example.com/ingest
    log_format: xml
)");
  RunResult check = run_llmtap({"check-config", "--config", path});
  EXPECT_EQ(check.code, 2);
  EXPECT_NE(check.err.find(path + ":8:5: callback_settings.my_api.log_format: expected one of "
                                  "json_array, ndjson, single, got 'xml'"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find("litellm_settings.callbacks[1]: unknown callback 'no_such_callback'"),
            std::string::npos)
      << check.err;

  RunResult serve = run_llmtap({"--config", path, "--port", "0"});
  EXPECT_EQ(serve.code, 2) << serve.err;
  EXPECT_NE(serve.err.find("log_format"), std::string::npos) << serve.err;
}

// Verifies that a bad command line exits 2 and a port already in use exits 1.
TEST(CliE2eTest, ExitCodesForUsageAndBindFailures) {
  EXPECT_EQ(run_llmtap({"--no-such-flag"}).code, 2);
  EXPECT_EQ(run_llmtap({}).code, 2);

  TempDir dir;
  auto path = dir.write_file("config.yaml", "model_list: []\n");  // the smallest valid config
  StartedServer first = start_llmtap(path);
  ASSERT_TRUE(first.ok()) << first.error;
  RunResult second =
      run_llmtap({"--config", path, "--host", "127.0.0.1", "--port", std::to_string(first.port)});
  EXPECT_EQ(second.code, 1) << second.err;
}

}  // namespace
}  // namespace llmtap::test
