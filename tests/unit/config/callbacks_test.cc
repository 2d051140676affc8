// Callback resolution (README "Resolving callback names"): lists, presets, env-only generic_api,
// headers, defaults.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

using testing::load;
using testing::strings;

// A copy, so callers may pass a temporary LoadResult.
CallbackConfig only_callback(const LoadResult& result) {
  EXPECT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  if (!result.config || result.config->callbacks.size() != 1) {
    ADD_FAILURE() << "expected exactly one callback";
    return {};
  }
  return result.config->callbacks[0];
}

// Verifies that the reference docs' quick start yields one json_array logger with its header.
TEST(CallbacksTest, ReferenceQuickStartLoads) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: gpt-3.5-turbo\n"
      "    litellm_params:\n"
      "      model: openai/gpt-3.5-turbo\n"
      "      api_key: os.environ/OPENAI_API_KEY\n"
      "litellm_settings:\n"
      "  callbacks: [\"custom_api_name\"]\n"
      "callback_settings:\n"
      "  custom_api_name:\n"
      "    callback_type: generic_api\n"
      "    endpoint: https://your-endpoint.com/logs\n"
      "    headers:\n"
      "      Authorization: Bearer sk-1234\n",
      {{"OPENAI_API_KEY", "sk-openai"}});
  const CallbackConfig& cb = only_callback(result);
  EXPECT_EQ(cb.name, "custom_api_name");
  EXPECT_EQ(cb.endpoint, "https://your-endpoint.com/logs");
  EXPECT_EQ(cb.headers, (HeaderList{{"Content-Type", "application/json"},
                                    {"Authorization", "Bearer sk-1234"}}));
  EXPECT_TRUE(cb.log_success);
  EXPECT_TRUE(cb.log_failure);
  EXPECT_EQ(cb.log_format, LogFormat::json_array);
  EXPECT_EQ(cb.batch_size, 100u);
  EXPECT_EQ(cb.flush_interval, std::chrono::seconds(60));
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
}

// Verifies that every callback_settings key reaches CallbackConfig, fractions included.
TEST(CallbacksTest, AllSettingsAreRead) {
  const CallbackConfig& cb =
      only_callback(load("litellm_settings: {callbacks: a}\n"
                         "callback_settings:\n"
                         "  a:\n"
                         "    callback_type: generic_api\n"
                         "    endpoint: http://127.0.0.1:9000/in\n"
                         "    log_format: ndjson\n"
                         "    batch_size: 7\n"
                         "    flush_interval: 0.25\n"
                         "    timeout: 2.5\n"
                         "    max_in_flight: 2\n"
                         "    max_retry_time: 0\n"
                         "    max_queue_records: 50\n"
                         "    max_queue_bytes: 4096\n"
                         "    max_batch_bytes: 1024\n"
                         "    when_full: block\n"
                         "    event_types: llm_api_failure\n"));
  EXPECT_EQ(cb.log_format, LogFormat::ndjson);
  EXPECT_EQ(cb.headers, (HeaderList{{"Content-Type", "application/x-ndjson"}}));
  EXPECT_EQ(cb.batch_size, 7u);
  EXPECT_EQ(cb.flush_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(cb.timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(cb.max_in_flight, 2u);
  EXPECT_EQ(cb.max_retry_time, std::chrono::milliseconds(0));
  EXPECT_EQ(cb.max_queue_records, 50u);
  EXPECT_EQ(cb.max_queue_bytes, 4096u);
  EXPECT_EQ(cb.max_batch_bytes, 1024u);
  EXPECT_EQ(cb.when_full, WhenFull::block);
  EXPECT_FALSE(cb.log_success);
  EXPECT_TRUE(cb.log_failure);
}

// Verifies that a name in success_callback and failure_callback is one logger with both events.
TEST(CallbacksTest, SuccessAndFailureListsUnionIntoOneLogger) {
  const char* settings =
      "callback_settings:\n"
      "  s: {callback_type: generic_api, endpoint: 'http://h/s'}\n"
      "  f: {callback_type: generic_api, endpoint: 'http://h/f'}\n"
      "  both: {callback_type: generic_api, endpoint: 'http://h/b'}\n";
  LoadResult result = load(std::string("litellm_settings:\n"
                                       "  success_callback: [s, both]\n"
                                       "  failure_callback: [f, both]\n") +
                           settings);
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& cbs = result.config->callbacks;
  ASSERT_EQ(cbs.size(), 3u);
  EXPECT_EQ(cbs[0].name, "s");
  EXPECT_TRUE(cbs[0].log_success);
  EXPECT_FALSE(cbs[0].log_failure);
  EXPECT_EQ(cbs[1].name, "both");
  EXPECT_TRUE(cbs[1].log_success);
  EXPECT_TRUE(cbs[1].log_failure);
  EXPECT_EQ(cbs[2].name, "f");
  EXPECT_FALSE(cbs[2].log_success);
  EXPECT_TRUE(cbs[2].log_failure);
}

// Verifies that a failure-only event_types in success_callback leaves nothing: warned, dropped.
TEST(CallbacksTest, EventTypesNarrowTheLists) {
  LoadResult result = load(
      "litellm_settings: {success_callback: [a]}\n"
      "callback_settings:\n"
      "  a: {callback_type: generic_api, endpoint: 'http://h/', event_types: [llm_api_failure]}\n");
  ASSERT_TRUE(result.config);
  EXPECT_TRUE(result.config->callbacks.empty());
  EXPECT_EQ(
      strings(result.warnings),
      std::vector<std::string>{"config.yaml:3:3: callback_settings.a: callback 'a' receives no "
                               "events: its event_types and the lists naming it do not "
                               "overlap; ignored"});
}

// Verifies that bare `generic_api` is configured from GENERIC_LOGGER_ENDPOINT / _HEADERS.
TEST(CallbacksTest, GenericApiFromEnvironmentOnly) {
  const CallbackConfig& cb =
      only_callback(load("litellm_settings:\n  callbacks: [\"generic_api\"]\n",
                         {{"GENERIC_LOGGER_ENDPOINT", "https://collector.example/v1/logs"},
                          {"GENERIC_LOGGER_HEADERS", "Authorization=Bearer tok, X-Team = ml ,"}}));
  EXPECT_EQ(cb.name, "generic_api");
  EXPECT_EQ(cb.endpoint, "https://collector.example/v1/logs");
  EXPECT_EQ(cb.headers, (HeaderList{{"Content-Type", "application/json"},
                                    {"Authorization", "Bearer tok"},
                                    {"X-Team", "ml"}}));
}

// Verifies that a GENERIC_LOGGER_HEADERS item without '=' is reported with the variable's name.
TEST(CallbacksTest, MalformedGenericLoggerHeadersIsAnError) {
  LoadResult result = load(
      "litellm_settings:\n  callbacks: [generic_api]\n",
      {{"GENERIC_LOGGER_ENDPOINT", "https://c/"}, {"GENERIC_LOGGER_HEADERS", "Authorization"}});
  EXPECT_EQ(strings(result.errors),
            std::vector<std::string>{"config.yaml: $GENERIC_LOGGER_HEADERS: expected name=value "
                                     "pairs separated by commas, got 'Authorization'"});
}

// Verifies the layering: Content-Type default < GENERIC_LOGGER_HEADERS <
// litellm_settings.generic_logger_headers < preset < the entry's headers, names compared
// case-insensitively.
TEST(CallbacksTest, HeaderMergeOrderIsCaseInsensitive) {
  const CallbackConfig& cb =
      only_callback(load("litellm_settings:\n"
                         "  callbacks: [rubrik]\n"
                         "  generic_logger_headers: {x-layer: settings, X-Settings: s}\n"
                         "callback_settings:\n"
                         "  rubrik:\n"
                         "    callback_type: generic_api\n"
                         "    headers:\n"
                         "      AUTHORIZATION: Bearer ${OVERRIDE}\n"
                         "      content-type: application/vnd.custom+json\n",
                         {{"RUBRIK_WEBHOOK_URL", "https://rubrik.example/hook"},
                          {"OVERRIDE", "entry-token"},
                          {"GENERIC_LOGGER_HEADERS", "X-Layer=env,X-Env=e"}}));
  EXPECT_EQ(cb.endpoint, "https://rubrik.example/hook");
  EXPECT_EQ(cb.headers, (HeaderList{{"content-type", "application/vnd.custom+json"},
                                    {"x-layer", "settings"},
                                    {"X-Env", "e"},
                                    {"X-Settings", "s"},
                                    {"AUTHORIZATION", "Bearer entry-token"}}));
  // The preset's RUBRIK_API_KEY is never needed: the entry's Authorization replaced it.
}

// Verifies that litellm_settings.generic_logger_headers may be "k=v,k2=v2" like the variable.
TEST(CallbacksTest, GenericLoggerHeadersAcceptsPairString) {
  const CallbackConfig& cb =
      only_callback(load("litellm_settings:\n"
                         "  callbacks: [a]\n"
                         "  generic_logger_headers: 'X-A=1,X-B=${B}'\n"
                         "callback_settings:\n"
                         "  a: {callback_type: generic_api, endpoint: 'http://h/'}\n",
                         {{"B", "two"}}));
  EXPECT_EQ(cb.headers,
            (HeaderList{{"Content-Type", "application/json"}, {"X-A", "1"}, {"X-B", "two"}}));
}

// Verifies that a preset name alone yields a logger whose placeholders come from the env.
TEST(CallbacksTest, PresetAloneResolvesPlaceholders) {
  const CallbackConfig& cb = only_callback(
      load("litellm_settings:\n  callbacks: [rubrik]\n",
           {{"RUBRIK_WEBHOOK_URL", "https://r.example/w"}, {"RUBRIK_API_KEY", "rk-1"}}));
  EXPECT_EQ(cb.endpoint, "https://r.example/w");
  EXPECT_EQ(cb.headers,
            (HeaderList{{"Content-Type", "application/json"}, {"Authorization", "Bearer rk-1"}}));
  EXPECT_TRUE(cb.log_success);
  EXPECT_FALSE(cb.log_failure);  // rubrik's preset is success-only
}

// Verifies that callback_settings over a preset keeps the preset's other values as defaults.
TEST(CallbacksTest, EntryOverridesPresetKeyByKey) {
  const CallbackConfig& cb = only_callback(
      load("litellm_settings:\n  callbacks: [sumologic]\n"
           "callback_settings:\n"
           "  sumologic:\n"
           "    callback_type: generic_api\n"
           "    batch_size: 500\n"
           "    event_types: [llm_api_success, llm_api_failure]\n",
           {{"SUMOLOGIC_WEBHOOK_URL", "https://collectors.sumologic.com/receiver/v1/http/TOKEN"}}));
  EXPECT_EQ(cb.endpoint, "https://collectors.sumologic.com/receiver/v1/http/TOKEN");
  EXPECT_EQ(cb.log_format, LogFormat::ndjson);
  EXPECT_EQ(cb.batch_size, 500u);
  EXPECT_EQ(cb.headers, (HeaderList{{"Content-Type", "application/x-ndjson"}}));
}

// Verifies the reference docs' rubrik example: with endpoint and Authorization overridden,
// the preset's RUBRIK_* variables are not needed, and its success-only event_types remain.
TEST(CallbacksTest, OverriddenPresetValuesNeedNoVariables) {
  const CallbackConfig& cb =
      only_callback(load("litellm_settings:\n  callbacks: [\"rubrik\"]\n"
                         "callback_settings:\n"
                         "  rubrik:\n"
                         "    callback_type: generic_api\n"
                         "    endpoint: https://your-endpoint.com\n"
                         "    headers:\n"
                         "      Authorization: Bearer ${MY_RUBRIK_KEY}\n",
                         {{"MY_RUBRIK_KEY", "k-1"}}));
  EXPECT_EQ(cb.endpoint, "https://your-endpoint.com");
  EXPECT_EQ(cb.headers,
            (HeaderList{{"Content-Type", "application/json"}, {"Authorization", "Bearer k-1"}}));
  EXPECT_TRUE(cb.log_success);
  EXPECT_FALSE(cb.log_failure);
}

// Verifies that a callback_settings entry without endpoint takes GENERIC_LOGGER_ENDPOINT.
TEST(CallbacksTest, EntryEndpointDefaultsToGenericLoggerEndpoint) {
  const CallbackConfig& cb =
      only_callback(load("litellm_settings: {callbacks: mine}\n"
                         "callback_settings:\n"
                         "  mine: {callback_type: generic_api, log_format: single}\n",
                         {{"GENERIC_LOGGER_ENDPOINT", "http://127.0.0.1:8080/in"}}));
  EXPECT_EQ(cb.endpoint, "http://127.0.0.1:8080/in");
  EXPECT_EQ(cb.log_format, LogFormat::single);
}

// Verifies that litellm_settings.generic_api_presets_file (relative to the config) adds and
// replaces presets by name.
TEST(CallbacksTest, PresetsFileOverridesBuiltins) {
  const std::string dir = std::string(LLMTAP_TEST_DATA_DIR) + "/config";
  LoadResult result = load_config(dir + "/with_presets_file.yaml",
                                  testing::env_of({{"TEAM_URL", "https://team.example/in"}}));
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& cbs = result.config->callbacks;
  ASSERT_EQ(cbs.size(), 2u);
  EXPECT_EQ(cbs[0].name, "team_collector");
  EXPECT_EQ(cbs[0].endpoint, "https://team.example/in");
  EXPECT_EQ(cbs[0].log_format, LogFormat::single);
  EXPECT_EQ(cbs[0].batch_size, 25u);
  EXPECT_EQ(cbs[1].name, "webhook");
  EXPECT_EQ(cbs[1].endpoint, "https://team.example/in/override");
}

// Verifies that DEFAULT_BATCH_SIZE / DEFAULT_FLUSH_INTERVAL_SECONDS set defaults that a
// callback's own keys still override; litellm_settings win over the environment.
TEST(CallbacksTest, DefaultBatchSettingsFromSettingsAndEnvironment) {
  const char* yaml =
      "litellm_settings:\n"
      "  callbacks: [a, b]\n"
      "  DEFAULT_BATCH_SIZE: 10\n"
      "callback_settings:\n"
      "  a: {callback_type: generic_api, endpoint: 'http://h/a'}\n"
      "  b: {callback_type: generic_api, endpoint: 'http://h/b', batch_size: 3, flush_interval: "
      "9}\n";
  LoadResult result =
      load(yaml, {{"DEFAULT_BATCH_SIZE", "99"}, {"DEFAULT_FLUSH_INTERVAL_SECONDS", "1.5"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_EQ(result.config->callbacks[0].batch_size, 10u);
  EXPECT_EQ(result.config->callbacks[0].flush_interval, std::chrono::milliseconds(1500));
  EXPECT_EQ(result.config->callbacks[1].batch_size, 3u);
  EXPECT_EQ(result.config->callbacks[1].flush_interval, std::chrono::seconds(9));
}

// Verifies that an invalid DEFAULT_BATCH_SIZE variable is reported with its name.
TEST(CallbacksTest, BadDefaultBatchSizeVariableIsAnError) {
  LoadResult result = load(
      "litellm_settings: {callbacks: [a]}\n"
      "callback_settings:\n"
      "  a: {callback_type: generic_api, endpoint: 'http://h/a'}\n",
      {{"DEFAULT_BATCH_SIZE", "lots"}});
  EXPECT_EQ(strings(result.errors),
            std::vector<std::string>{
                "config.yaml: $DEFAULT_BATCH_SIZE: expected a positive integer, got 'lots'"});
}

// Verifies that LiteLLM integrations and custom Python callbacks are skipped with a warning.
TEST(CallbacksTest, LiteLlmBuiltinsAndPythonCallbacksWarn) {
  LoadResult result = load(
      "litellm_settings:\n"
      "  success_callback: [langfuse, prometheus]\n"
      "  callbacks: my_module.handler_instance\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_TRUE(result.config->callbacks.empty());
  EXPECT_EQ(strings(result.warnings),
            (std::vector<std::string>{
                "config.yaml:2:22: litellm_settings.success_callback[0]: callback 'langfuse' is "
                "not supported by llmtap; ignored",
                "config.yaml:2:32: litellm_settings.success_callback[1]: callback 'prometheus' is "
                "not supported by llmtap; ignored",
                "config.yaml:3:3: litellm_settings.callbacks: custom Python callback "
                "'my_module.handler_instance' is not supported by llmtap; ignored"}));
}

// Verifies that a listed name whose callback_settings entry is not generic_api is skipped.
TEST(CallbacksTest, OtherCallbackTypeIsWarnedAndIgnored) {
  LoadResult result = load(
      "litellm_settings: {callbacks: [mine]}\n"
      "callback_settings:\n"
      "  mine: {callback_type: otel}\n");
  ASSERT_TRUE(result.config);
  EXPECT_TRUE(result.config->callbacks.empty());
  EXPECT_EQ(strings(result.warnings),
            std::vector<std::string>{"config.yaml:3:10: callback_settings.mine.callback_type: "
                                     "callback_type 'otel' is not supported by llmtap; callback "
                                     "'mine' ignored"});
}

// Verifies that an entry no list names is still checked for typos, then ignored with a warning.
TEST(CallbacksTest, UnlistedEntryIsValidatedAndWarned) {
  LoadResult ok = load(
      "callback_settings:\n"
      "  spare: {callback_type: generic_api, endpoint: 'http://h/'}\n");
  ASSERT_TRUE(ok.config);
  EXPECT_TRUE(ok.config->callbacks.empty());
  EXPECT_EQ(
      strings(ok.warnings),
      std::vector<std::string>{"config.yaml:2:3: callback_settings.spare: callback 'spare' is "
                               "not listed in litellm_settings.callbacks, success_callback or "
                               "failure_callback; ignored"});
  LoadResult bad = load(
      "callback_settings:\n"
      "  spare: {callback_type: generic_api, endpoint: 'http://h/', log_format: csv}\n");
  EXPECT_FALSE(bad.config);
  EXPECT_EQ(bad.errors.size(), 1u);
}

// Verifies that environment_variables are applied before anything else is resolved, and
// returned for the CLI to set.
TEST(CallbacksTest, EnvironmentVariablesOverlayFeedsCallbacks) {
  LoadResult result = load(
      "environment_variables:\n"
      "  LOG_HOST: logs.internal\n"
      "  LOG_TOKEN: os.environ/REAL_TOKEN\n"
      "litellm_settings: {callbacks: [a]}\n"
      "callback_settings:\n"
      "  a:\n"
      "    callback_type: generic_api\n"
      "    endpoint: https://${LOG_HOST}/in\n"
      "    headers: {Authorization: 'Bearer ${LOG_TOKEN}'}\n",
      {{"REAL_TOKEN", "t0k"}, {"LOG_HOST", "ignored.example"}});
  const CallbackConfig& cb = only_callback(result);
  EXPECT_EQ(cb.endpoint, "https://logs.internal/in");
  EXPECT_EQ(cb.headers.back(),
            (std::pair<std::string, std::string>{"Authorization", "Bearer t0k"}));
  EXPECT_EQ(result.config->environment_variables,
            (HeaderList{{"LOG_HOST", "logs.internal"}, {"LOG_TOKEN", "t0k"}}));
}

// Verifies that env references resolve at any depth, including list items.
TEST(CallbacksTest, ExpandsReferencesInsideLists) {
  LoadResult result = load(
      "litellm_settings:\n"
      "  callbacks: [a]\n"
      "  standard_logging_payload_excluded_fields: [messages, '${EXTRA_FIELD}']\n"
      "callback_settings:\n"
      "  a:\n"
      "    callback_type: generic_api\n"
      "    endpoint: http://h/\n"
      "    event_types: ['os.environ/ONLY_EVENT']\n",
      {{"EXTRA_FIELD", "response"}, {"ONLY_EVENT", "llm_api_success"}});
  const CallbackConfig& cb = only_callback(result);
  EXPECT_TRUE(cb.log_success);
  EXPECT_FALSE(cb.log_failure);
  EXPECT_EQ(result.config->excluded_fields, (std::vector<std::string>{"messages", "response"}));
}

// Verifies the llmtap-specific litellm_settings and general_settings keys.
TEST(CallbacksTest, LlmtapSettingsAreRead) {
  const std::string dir = std::string(LLMTAP_TEST_DATA_DIR) + "/config";
  LoadResult result = load_config(dir + "/settings.yaml", testing::env_of({{"MK", "sk-master"}}));
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const Config& c = *result.config;
  EXPECT_EQ(c.master_key, "sk-master");
  EXPECT_TRUE(c.turn_off_message_logging);
  EXPECT_EQ(c.shutdown_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.model_prices_file, dir + "/prices.json");
  EXPECT_EQ(c.excluded_fields, std::vector<std::string>{"messages"});
}

// Verifies that an entry choosing ndjson over a preset's json_array gets application/x-ndjson,
// not the preset's own Content-Type: application/json (which would mislabel the body).
TEST(CallbacksTest, ContentTypeFollowsTheEntrysLogFormatOverAPreset) {
  const CallbackConfig& cb = only_callback(
      load("litellm_settings:\n  callbacks: [rubrik]\n"
           "callback_settings:\n"
           "  rubrik:\n"
           "    callback_type: generic_api\n"
           "    log_format: ndjson\n",
           {{"RUBRIK_WEBHOOK_URL", "https://r.example/w"}, {"RUBRIK_API_KEY", "rk-1"}}));
  EXPECT_EQ(cb.log_format, LogFormat::ndjson);
  EXPECT_EQ(cb.headers, (HeaderList{{"Content-Type", "application/x-ndjson"},
                                    {"Authorization", "Bearer rk-1"}}));
}

// Verifies that the entry's own Content-Type still wins over the one its log_format implies.
TEST(CallbacksTest, EntrysOwnContentTypeWinsOverItsLogFormat) {
  const CallbackConfig& cb = only_callback(
      load("litellm_settings:\n  callbacks: [rubrik]\n"
           "callback_settings:\n"
           "  rubrik:\n"
           "    callback_type: generic_api\n"
           "    log_format: ndjson\n"
           "    headers: {content-type: text/plain}\n",
           {{"RUBRIK_WEBHOOK_URL", "https://r.example/w"}, {"RUBRIK_API_KEY", "rk-1"}}));
  EXPECT_EQ(cb.headers,
            (HeaderList{{"content-type", "text/plain"}, {"Authorization", "Bearer rk-1"}}));
}

}  // namespace
}  // namespace llmtap::config
