// Every error and warning message the loader produces, pinned exactly.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

using testing::load;
using testing::strings;

struct ErrorCase {
  const char* name;
  const char* yaml;
  std::vector<std::string> errors;
};

const std::vector<ErrorCase>& error_cases() {
  static const std::vector<ErrorCase> kCases = {
      {"bad_log_format",
       "litellm_settings:\n"
       "  callbacks: [my_api]\n"
       "callback_settings:\n"
       "  my_api:\n"
       "    callback_type: generic_api\n"
       "    endpoint: https://logs.example.com/in\n"
       "    log_format: xml\n",
       {"config.yaml:7:5: callback_settings.my_api.log_format: expected one of json_array, "
        "ndjson, single, got 'xml'"}},
      {"unknown_callback",
       "litellm_settings:\n"
       "  callbacks: [my_api, foo]\n"
       "callback_settings:\n"
       "  my_api:\n"
       "    callback_type: generic_api\n"
       "    endpoint: https://logs.example.com/in\n",
       {"config.yaml:2:23: litellm_settings.callbacks[1]: unknown callback 'foo' (known: my_api, "
        "clickhouse, datadog, rubrik, sample_callback, splunk, sumologic, webhook, generic_api)"}},
      {"unknown_key_in_callback_settings",
       "callback_settings:\n"
       "  my_api:\n"
       "    callback_type: generic_api\n"
       "    endpoint: https://logs.example.com/in\n"
       "    batchsize: 10\n",
       {"config.yaml:5:5: callback_settings.my_api.batchsize: unknown key 'batchsize'; did you "
        "mean 'batch_size'? (known: "
        "batch_size, buffer, buffer_max_bytes, buffer_path, callback_type, compression, "
        "dead_letter_path, endpoint, envelope, envelope_fields, event_types, flush_interval, "
        "fsync, "
        "headers, log_format, max_batch_bytes, max_in_flight, max_queue_bytes, max_queue_records, "
        "max_retry_time, signing_secret, timeout, tls, when_full)"}},
      {"misspelt_tls_key",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: https://logs.example.com/in\n"
       "    tls: {verfiy: false}\n",
       {"config.yaml:6:11: callback_settings.a.tls.verfiy: unknown key 'verfiy'; did you mean "
        "'verify'? (known: ca_file, cert_file, key_file, verify)"}},
      {"misspelt_callback_name",
       "litellm_settings:\n"
       "  callbacks: [sumologc]\n",
       {"config.yaml:2:15: litellm_settings.callbacks[0]: unknown callback 'sumologc'; did you "
        "mean 'sumologic'? (known: clickhouse, datadog, rubrik, sample_callback, splunk, "
        "sumologic, "
        "webhook, generic_api)"}},
      {"batch_size_not_a_number",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a: {callback_type: generic_api, endpoint: 'http://h/x', batch_size: abc}\n",
       {"config.yaml:3:59: callback_settings.a.batch_size: expected a positive integer, got "
        "'abc'"}},
      {"batch_size_zero_and_flush_negative",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: http://h/x\n"
       "    batch_size: 0\n"
       "    flush_interval: -1\n",
       {"config.yaml:6:5: callback_settings.a.batch_size: expected a positive integer, got '0'",
        "config.yaml:7:5: callback_settings.a.flush_interval: expected a positive number, got "
        "'-1'"}},
      {"bad_event_type",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: http://h/x\n"
       "    event_types: [llm_api_success, llm_api_sucess]\n",
       {"config.yaml:6:36: callback_settings.a.event_types[1]: expected one of llm_api_success, "
        "llm_api_failure, got 'llm_api_sucess'"}},
      {"bad_endpoint",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: ftp://h/x\n",
       {"config.yaml:5:5: callback_settings.a.endpoint: expected an http:// or https:// URL, got "
        "'ftp://h/x'"}},
      {"missing_endpoint",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n",
       {"config.yaml:3:3: callback_settings.a: missing required key 'endpoint' (or set "
        "GENERIC_LOGGER_ENDPOINT)"}},
      {"missing_callback_type",
       "callback_settings:\n"
       "  a:\n"
       "    endpoint: http://h/x\n",
       {"config.yaml:2:3: callback_settings.a: missing required key 'callback_type' (expected "
        "generic_api)"}},
      {"bad_header_name_and_value",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: http://h/x\n"
       "    headers:\n"
       "      'Bad Name': x\n"
       "      X-Ok: \"a\\r\\nInjected: 1\"\n",
       {"config.yaml:7:7: callback_settings.a.headers.Bad Name: invalid header name 'Bad Name' "
        "(must be an RFC 7230 token)",
        "config.yaml:8:7: callback_settings.a.headers.X-Ok: header 'X-Ok' value contains CR, LF "
        "or NUL"}},
      {"headers_not_a_map",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: http://h/x\n"
       "    headers: [x]\n",
       {"config.yaml:6:5: callback_settings.a.headers: expected a map of header names to values, "
        "got a list"}},
      {"bad_when_full",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: http://h/x\n"
       "    when_full: explode\n"
       "    max_retry_time: soon\n",
       {"config.yaml:6:5: callback_settings.a.when_full: expected one of drop_oldest, "
        "drop_newest, block, got 'explode'",
        "config.yaml:7:5: callback_settings.a.max_retry_time: expected a non-negative number, got "
        "'soon'"}},
      {"model_list_not_a_list",
       "model_list:\n"
       "  gpt: {}\n",
       {"config.yaml:1:1: model_list: expected a list, got a map"}},
      {"deployment_missing_keys",
       "model_list:\n"
       "  - model_name: a\n"
       "  - litellm_params: {api_key: x}\n",
       {"config.yaml:2:5: model_list[0]: missing required key 'litellm_params'",
        "config.yaml:3:5: model_list[1]: missing required key 'model_name'",
        "config.yaml:3:5: model_list[1].litellm_params: missing required key 'model'"}},
      {"deployment_bad_timeout",
       "model_list:\n"
       "  - model_name: a\n"
       "    litellm_params:\n"
       "      model: openai/gpt-4o\n"
       "      timeout: soon\n",
       {"config.yaml:5:7: model_list[0].litellm_params.timeout: expected a positive number, got "
        "'soon'"}},
      {"callbacks_not_a_list",
       "litellm_settings:\n"
       "  callbacks: {a: 1}\n",
       {"config.yaml:2:3: litellm_settings.callbacks: expected a list or a string, got a map"}},
      {"bad_bool",
       "litellm_settings:\n"
       "  turn_off_message_logging: maybe\n",
       {"config.yaml:2:3: litellm_settings.turn_off_message_logging: expected true or false, got "
        "'maybe'"}},
      {"unset_in_callback_settings",
       "litellm_settings: {callbacks: [a]}\n"
       "callback_settings:\n"
       "  a:\n"
       "    callback_type: generic_api\n"
       "    endpoint: os.environ/LOG_URL\n"
       "    headers: {Authorization: 'Bearer ${LOG_TOKEN}'}\n",
       {"config.yaml:5:5: callback_settings.a.endpoint: environment variable 'LOG_URL' is not set",
        "config.yaml:6:15: callback_settings.a.headers.Authorization: environment variable "
        "'LOG_TOKEN' is not set"}},
      {"unset_in_general_settings",
       "general_settings:\n"
       "  master_key: os.environ/LITELLM_MASTER_KEY\n",
       {"config.yaml:2:3: general_settings.master_key: environment variable 'LITELLM_MASTER_KEY' "
        "is not set"}},
      {"unset_in_environment_variables",
       "environment_variables:\n"
       "  LANGFUSE_HOST: os.environ/UPSTREAM_HOST\n",
       {"config.yaml:2:3: environment_variables.LANGFUSE_HOST: environment variable "
        "'UPSTREAM_HOST' is not set"}},
      {"generic_api_without_env",
       "litellm_settings:\n"
       "  success_callback: [generic_api]\n",
       {"config.yaml:2:22: litellm_settings.success_callback[0]: callback 'generic_api' needs "
        "GENERIC_LOGGER_ENDPOINT: environment variable 'GENERIC_LOGGER_ENDPOINT' is not set"}},
      {"preset_variables_unset",
       "litellm_settings:\n"
       "  callbacks: [rubrik]\n",
       {"config.yaml:2:15: litellm_settings.callbacks[0]: preset 'rubrik' endpoint: environment "
        "variable 'RUBRIK_WEBHOOK_URL' is not set",
        "config.yaml:2:15: litellm_settings.callbacks[0]: preset 'rubrik' headers.Authorization: "
        "environment variable 'RUBRIK_API_KEY' is not set"}},
      {"invalid_yaml",
       "model_list:\n"
       "  - model_name: [unclosed\n",
       {"config.yaml:3:1: invalid YAML: end of sequence flow not found"}},
      {"top_level_not_a_map",
       "- a\n- b\n",
       {"config.yaml:1:1: expected a map at the top level, got a list"}},
      {"missing_prices_file",
       "litellm_settings:\n"
       "  model_prices_file: /nonexistent/prices.json\n",
       {"config.yaml:2:3: litellm_settings.model_prices_file: cannot read file "
        "'/nonexistent/prices.json'"}},
  };
  return kCases;
}

class ErrorMessageTest : public ::testing::TestWithParam<ErrorCase> {};

// Verifies that each invalid config yields exactly these errors, in this order, and no Config.
TEST_P(ErrorMessageTest, ReportsExactMessages) {
  const ErrorCase& c = GetParam();
  LoadResult result = load(c.yaml);
  EXPECT_FALSE(result.config.has_value());
  EXPECT_EQ(strings(result.errors), c.errors);
}

INSTANTIATE_TEST_SUITE_P(Table, ErrorMessageTest, ::testing::ValuesIn(error_cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// Verifies the "file:line:col: key: message" shape and its short forms.
TEST(DiagnosticTest, FormatsWithAndWithoutPosition) {
  EXPECT_EQ((Diagnostic{"c.yaml", 3, 7, "a.b", "bad"}).to_string(), "c.yaml:3:7: a.b: bad");
  EXPECT_EQ((Diagnostic{"c.yaml", 0, 0, "a.b", "bad"}).to_string(), "c.yaml: a.b: bad");
  EXPECT_EQ((Diagnostic{"c.yaml", 0, 0, "", "bad"}).to_string(), "c.yaml: bad");
}

// Verifies that errors from every section are collected together, not just the first.
TEST(LoaderTest, ReportsAllErrorsInOnePass) {
  LoadResult result = load(
      "model_list: 5\n"
      "litellm_settings:\n"
      "  callbacks: [nope]\n"
      "  shutdown_timeout: never\n"
      "general_settings:\n"
      "  master_key: os.environ/MK\n");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 4u) << ::testing::PrintToString(strings(result.errors));
  EXPECT_EQ(result.errors[0].key_path, "litellm_settings.shutdown_timeout");
  EXPECT_EQ(result.errors[1].key_path, "general_settings.master_key");
  EXPECT_EQ(result.errors[2].key_path, "model_list");
  EXPECT_EQ(result.errors[3].key_path, "litellm_settings.callbacks[0]");
}

// Verifies that general_settings.request_read_timeout is read in seconds (30 when absent), and
// that zero, a negative number or text is an error naming its line and key.
TEST(LoaderTest, RequestReadTimeoutIsAPositiveNumberOfSeconds) {
  LoadResult absent = load("general_settings: {}\n");
  ASSERT_TRUE(absent.config) << ::testing::PrintToString(strings(absent.errors));
  EXPECT_EQ(absent.config->request_read_timeout, std::chrono::seconds(30));
  LoadResult set = load("general_settings:\n  request_read_timeout: 1.5\n");
  ASSERT_TRUE(set.config) << ::testing::PrintToString(strings(set.errors));
  EXPECT_EQ(set.config->request_read_timeout, std::chrono::milliseconds(1500));
  for (const char* bad : {"0", "-2", "soon"}) {
    LoadResult result =
        load(std::string("general_settings:\n  master_key: sk-1\n  request_read_timeout: ") + bad +
             "\n");
    EXPECT_FALSE(result.config);
    EXPECT_EQ(strings(result.errors),
              std::vector<std::string>{
                  "config.yaml:3:3: general_settings.request_read_timeout: expected a "
                  "positive number, got '" +
                  std::string(bad) + "'"});
  }
}

// Verifies that an unreadable config file is reported as a diagnostic.
TEST(LoaderTest, MissingFileIsAnErrorNotAnException) {
  LoadResult result = load_config("/nonexistent/config.yaml", testing::env_of({}));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].file, "/nonexistent/config.yaml");
  EXPECT_NE(result.errors[0].message.find("cannot read file"), std::string::npos);
}

// Verifies that LiteLLM keys llmtap does not implement warn (never fail), and noise is silent.
TEST(LoaderTest, UnsupportedKeysAreWarningsNamingTheKey) {
  LoadResult result = load(
      "litellm_settings:\n"
      "  cache: true\n"
      "  set_verbose: true\n"
      "router_settings:\n"
      "  routing_strategy: simple-shuffle\n"
      "  redis_host: localhost\n"
      "general_settings:\n"
      "  database_url: os.environ/DATABASE_URL\n"
      "health_check: {enabled: true}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_EQ(
      strings(result.warnings),
      (std::vector<std::string>{
          "config.yaml:9:1: health_check: not supported by llmtap; ignored",
          "config.yaml:2:3: litellm_settings.cache: not supported by llmtap; ignored",
          "config.yaml:6:3: router_settings.redis_host: not supported by llmtap; ignored",
          "config.yaml:8:3: general_settings.database_url: not supported by llmtap; ignored"}));
}

// Verifies that `<<: *anchor` supplies the keys a map does not set itself (yaml-cpp leaves
// merge keys to the application).
TEST(LoaderTest, ExpandsYamlMergeKeys) {
  LoadResult result = load(
      "x-defaults: &defaults {api_base: 'http://vllm:8000/v1', timeout: 7}\n"
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params:\n"
      "      <<: *defaults\n"
      "      model: hosted_vllm/m\n"
      "      timeout: 9\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  ASSERT_EQ(result.config->deployments.size(), 1u);
  EXPECT_EQ(result.config->deployments[0].api_base, "http://vllm:8000/v1");
  EXPECT_EQ(result.config->deployments[0].timeout, std::chrono::seconds(9));
  LoadResult bad = load("litellm_settings:\n  <<: 3\n");
  EXPECT_EQ(
      strings(bad.errors),
      std::vector<std::string>{"config.yaml:2:3: litellm_settings.<<: expected a map or a list "
                               "of maps to merge, got '3'"});
}

// Verifies that a key written twice is reported, and the later value is the one used.
TEST(LoaderTest, DuplicateKeysWarnAndTheLastWins) {
  LoadResult result = load(
      "litellm_settings:\n"
      "  shutdown_timeout: 5\n"
      "  shutdown_timeout: 6\n");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->shutdown_timeout, std::chrono::seconds(6));
  EXPECT_EQ(
      strings(result.warnings),
      std::vector<std::string>{"config.yaml:3:3: litellm_settings.shutdown_timeout: duplicate "
                               "key; the last one wins"});
}

// Verifies that an empty file loads as a config with no models and no callbacks.
TEST(LoaderTest, EmptyFileIsAnEmptyConfig) {
  LoadResult result = load("");
  ASSERT_TRUE(result.config);
  EXPECT_TRUE(result.config->deployments.empty());
  EXPECT_TRUE(result.config->callbacks.empty());
  EXPECT_EQ(result.config->source_path, "config.yaml");
}

// Verifies that a misspelt top-level section is a warning naming the section it resembles, while
// LiteLLM keys inside a section (success_callbacks, one letter from success_callback) get no
// suggestion.
TEST(LoaderTest, MisspeltSectionSuggestsTheSection) {
  LoadResult result = load(
      "litellm_setings:\n  drop_params: true\n"
      "litellm_settings:\n  success_callbacks: [a]\n");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(strings(result.warnings),
            (std::vector<std::string>{
                "config.yaml:1:1: litellm_setings: not supported by llmtap; ignored; did you mean "
                "'litellm_settings'?",
                "config.yaml:4:3: litellm_settings.success_callbacks: not supported by llmtap; "
                "ignored"}));
}

}  // namespace
}  // namespace llmtap::config
