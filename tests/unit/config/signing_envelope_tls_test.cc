// The keys that shape a request beyond LiteLLM's logger (README "callback_settings.<name>"):
// signing_secret, compression, envelope + envelope_fields, tls; the splunk and datadog presets
// that use them; check-config masking the secret.
#include <gtest/gtest.h>

#include "config/describe.h"
#include "config/loader.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

using testing::load;
using testing::strings;

std::string entry(const std::string& keys) {
  return "litellm_settings: {callbacks: [a]}\n"
         "callback_settings:\n"
         "  a:\n"
         "    callback_type: generic_api\n"
         "    endpoint: https://logs.example.com/in\n" +
         keys;
}

// Verifies every new key lands in CallbackConfig, secrets resolved from the environment.
TEST(SigningEnvelopeTlsTest, ReadsSigningCompressionEnvelopeAndTls) {
  const std::string readable = LLMTAP_SOURCE_DIR "/README.md";
  LoadResult result =
      load(entry("    log_format: ndjson\n"
                 "    signing_secret: os.environ/HOOK_SECRET\n"
                 "    compression: zstd\n"
                 "    envelope: splunk_hec\n"
                 "    envelope_fields:\n"
                 "      sourcetype: llmtap\n"
                 "      index: ${SPLUNK_INDEX}\n"
                 "    tls:\n"
                 "      ca_file: " +
                 readable +
                 "\n"
                 "      cert_file: " +
                 readable +
                 "\n"
                 "      key_file: " +
                 readable +
                 "\n"
                 "      verify: false\n"),
           {{"HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, {"SPLUNK_INDEX", "ai"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const CallbackConfig& cb = result.config->callbacks.at(0);
  EXPECT_EQ(cb.signing_secret, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  EXPECT_EQ(cb.compression, Compression::zstd);
  EXPECT_EQ(cb.envelope, Envelope::splunk_hec);
  EXPECT_EQ(cb.envelope_fields, (HeaderList{{"sourcetype", "llmtap"}, {"index", "ai"}}));
  EXPECT_EQ(cb.tls.ca_file, readable);
  EXPECT_EQ(cb.tls.cert_file, readable);
  EXPECT_FALSE(cb.tls.verify);

  const std::string report = describe(*result.config);
  EXPECT_EQ(report.find("MfKQ9r8"), std::string::npos) << report;
  EXPECT_NE(report.find("signing_secret whse****"), std::string::npos) << report;
  EXPECT_NE(report.find("compression zstd, envelope splunk_hec sourcetype=llmtap index=ai"),
            std::string::npos);
  EXPECT_NE(report.find("tls.verify false"), std::string::npos);
}

// Verifies that without the keys nothing is signed, compressed, wrapped, and TLS verifies.
TEST(SigningEnvelopeTlsTest, DefaultsAreOff) {
  LoadResult result = load(entry(""));
  ASSERT_TRUE(result.config);
  const CallbackConfig& cb = result.config->callbacks.at(0);
  EXPECT_TRUE(cb.signing_secret.empty());
  EXPECT_EQ(cb.compression, Compression::none);
  EXPECT_EQ(cb.envelope, Envelope::none);
  EXPECT_TRUE(cb.tls.verify);
  EXPECT_TRUE(cb.tls.ca_file.empty());
}

// Verifies the exact messages, each naming file:line:col and the key path.
TEST(SigningEnvelopeTlsTest, EveryBadValueIsAnErrorWithItsKeyPath) {
  LoadResult result =
      load(entry("    signing_secret: hunter2\n"
                 "    compression: brotli\n"
                 "    envelope: splunk_hec\n"
                 "    envelope_fields: [x]\n"
                 "    tls:\n"
                 "      ca_file: /nonexistent/ca.pem\n"
                 "      cert_file: " LLMTAP_SOURCE_DIR "/README.md\n"
                 "      verify: maybe\n"
                 "      pin: abc\n"));
  EXPECT_FALSE(result.config);
  // Messages split in pieces to fit 100 columns, not missing commas.
  // NOLINTBEGIN(bugprone-suspicious-missing-comma)
  EXPECT_EQ(
      strings(result.errors),
      (std::vector<std::string>{
          "config.yaml:9:5: callback_settings.a.envelope_fields: expected a map of field names to "
          "strings, got a list",
          "config.yaml:14:7: callback_settings.a.tls.pin: unknown key 'pin' (known: ca_file, "
          "cert_file, key_file, verify)",
          "config.yaml:6:5: callback_settings.a.signing_secret: expected a Standard Webhooks "
          "secret 'whsec_<base64>'",
          "config.yaml:7:5: callback_settings.a.compression: expected one of none, gzip, zstd, got "
          "'brotli'",
          "config.yaml:8:5: callback_settings.a.envelope: envelope splunk_hec needs log_format "
          "ndjson or single "
          "(HEC reads concatenated event objects, not a JSON array)",
          "config.yaml:11:7: callback_settings.a.tls.ca_file: cannot read file "
          "'/nonexistent/ca.pem'",
          "config.yaml:13:7: callback_settings.a.tls.verify: expected true or false, got 'maybe'",
          "config.yaml:12:7: callback_settings.a.tls.cert_file: mutual TLS needs both "
          "tls.cert_file and tls.key_file"}));
  // NOLINTEND(bugprone-suspicious-missing-comma)
}

// Verifies that fields with no envelope to put them in are a config error, not silently dropped.
TEST(SigningEnvelopeTlsTest, EnvelopeFieldsNeedAnEnvelope) {
  LoadResult result = load(entry("    envelope_fields: {service: x}\n"));
  EXPECT_EQ(strings(result.errors),
            std::vector<std::string>{
                "config.yaml:6:23: callback_settings.a.envelope_fields.service: envelope_fields "
                "needs an envelope (splunk_hec or datadog)"});
}

// Verifies the built-in presets resolve to HEC events and Datadog logs with their limits.
TEST(SigningEnvelopeTlsTest, SplunkAndDatadogPresetsUseTheirEnvelopes) {
  LoadResult result = load("litellm_settings: {callbacks: [splunk, datadog]}\n",
                           {{"SPLUNK_HEC_URL", "https://splunk:8088/services/collector/event"},
                            {"SPLUNK_HEC_TOKEN", "tok"},
                            {"DD_SITE", "datadoghq.eu"},
                            {"DD_API_KEY", "ddkey"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& splunk = result.config->callbacks.at(0);
  EXPECT_EQ(splunk.envelope, Envelope::splunk_hec);
  EXPECT_EQ(splunk.log_format, LogFormat::ndjson);
  EXPECT_EQ(splunk.envelope_fields, (HeaderList{{"sourcetype", "llmtap"}, {"source", "llmtap"}}));
  const auto& datadog = result.config->callbacks.at(1);
  EXPECT_EQ(datadog.endpoint, "https://http-intake.logs.datadoghq.eu/api/v2/logs");
  EXPECT_EQ(datadog.envelope, Envelope::datadog);
  EXPECT_EQ(datadog.compression, Compression::gzip);
  EXPECT_EQ(datadog.batch_size, 1000u);
  EXPECT_EQ(datadog.max_batch_bytes, 5000000u);
  EXPECT_EQ(datadog.envelope_fields, (HeaderList{{"ddsource", "llmtap"}, {"service", "llmtap"}}));
}

// Verifies envelope_fields merge by name over a preset's, like headers.
TEST(SigningEnvelopeTlsTest, AnEntryOverridesPresetEnvelopeFieldsOneByOne) {
  LoadResult result = load(
      "litellm_settings: {callbacks: [datadog]}\n"
      "callback_settings:\n"
      "  datadog:\n"
      "    callback_type: generic_api\n"
      "    envelope_fields: {service: billing-gateway}\n",
      {{"DD_SITE", "datadoghq.com"}, {"DD_API_KEY", "ddkey"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_EQ(result.config->callbacks.at(0).envelope_fields,
            (HeaderList{{"ddsource", "llmtap"}, {"service", "billing-gateway"}}));
}

}  // namespace
}  // namespace llmtap::config
