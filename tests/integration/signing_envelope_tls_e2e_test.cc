// End-to-end tests of what a callback does to its requests beyond LiteLLM's generic API logger
// (README, `callback_settings.<name>`: signing_secret, compression, envelope, tls): Standard
// Webhooks signatures checked by `llmtap sink --signing-secret` (401 for a wrong one), gzip/zstd
// bodies decoded by the sink, the Splunk HEC envelope, truncation under max_batch_bytes,
// check-config masking the signing secret, and delivery over mutual TLS to `llmtap sink --tls-*` —
// the real binary against the real sink.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "integration/e2e_fixture.h"
#include "support/test_ca.h"
#include "support/wait.h"

namespace llmtap::test {
namespace {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kOtherSecret = "whsec_b3RoZXIgc2VjcmV0IGtleSBieXRlcw==";

// The one deployment and the `hook` callback every test here uses, posting to {SINK}/in; tests
// add their settings with callback("hook").
ConfigBuilder config() {
  ConfigBuilder builder;
  builder.mock("gpt-3.5-turbo", "ok");
  builder.callback("hook").endpoint("\"{SINK}/in\"").set("flush_interval", "0.2");
  return builder;
}

class SigningEnvelopeTlsE2eTest : public E2eFixture {
 protected:
  // The sink's request log lines, waiting for at least `count`.
  std::vector<std::string> requests(std::size_t count) {
    std::vector<std::string> lines;
    wait_until(
        [&] {
          lines = sink_requests();
          return lines.size() >= count;
        },
        std::chrono::seconds{10});
    return lines;
  }

  std::string field(const std::string& line, const char* key) {
    auto doc = parser_.parse(line);
    std::string_view text;
    if (doc.error() || doc[key].get(text)) return {};
    return std::string(text);
  }
  std::int64_t number(const std::string& line, const char* key) {
    auto doc = parser_.parse(line);
    std::int64_t n = -1;
    if (doc.error() || doc[key].get(n)) return -1;
    return n;
  }
  std::string header(const std::string& line, const char* name) {
    auto doc = parser_.parse(line);
    std::string_view text;
    if (doc.error() || doc["headers"][name].get(text)) return {};
    return std::string(text);
  }
};

// Verifies that signed, zstd-compressed NDJSON batches pass the sink's signature check, arrive
// decoded, and carry webhook-id equal to Idempotency-Key.
TEST_F(SigningEnvelopeTlsE2eTest, SignedZstdBatchesAreVerifiedByTheSink) {
  ConfigBuilder builder = config();
  builder.callback("hook")
      .set("log_format", "ndjson")
      .set("batch_size", "2")
      .set("signing_secret", "os.environ/HOOK_SECRET")
      .set("compression", "zstd");
  sink_args_ = {"--signing-secret", kSecret};
  start(builder.yaml(), {{"HOOK_SECRET", kSecret}});
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  EXPECT_EQ(records(2).size(), 2u);
  const auto lines = requests(1);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    EXPECT_EQ(number(line, "status"), 200) << line;
    EXPECT_EQ(field(line, "signature"), "ok") << line;
    EXPECT_EQ(field(line, "content_encoding"), "zstd") << line;
    EXPECT_EQ(header(line, "webhook-id"), header(line, "idempotency-key")) << line;
    EXPECT_EQ(header(line, "webhook-signature").substr(0, 3), "v1,") << line;
  }
}

// Verifies that a signature under another secret is refused with 401 and no record is accepted
// (llmtap gives the batch up: a 4xx is not retried).
TEST_F(SigningEnvelopeTlsE2eTest, AWrongSignatureIsRefusedWith401) {
  ConfigBuilder builder = config();
  builder.callback("hook").set("batch_size", "1").set("signing_secret", kOtherSecret);
  sink_args_ = {"--signing-secret", kSecret};
  start(builder.yaml());
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  const auto lines = requests(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(number(lines[0], "status"), 401) << lines[0];
  EXPECT_EQ(field(lines[0], "signature"), "no webhook-signature entry matches") << lines[0];
  EXPECT_EQ(number(lines[0], "records"), 0);
  EXPECT_TRUE(read_ndjson_lines(records_file_).empty());
}

// Verifies that an unsigned request is refused by a sink that requires signatures.
TEST_F(SigningEnvelopeTlsE2eTest, AnUnsignedRequestIsRefusedWith401) {
  ConfigBuilder builder = config();
  builder.callback("hook").set("batch_size", "1");
  sink_args_ = {"--signing-secret", kSecret};
  start(builder.yaml());
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  const auto lines = requests(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(number(lines[0], "status"), 401) << lines[0];
  EXPECT_EQ(field(lines[0], "signature"),
            "missing webhook-id, webhook-timestamp or webhook-signature");
}

// Verifies the Splunk HEC envelope over gzip: each line the sink decodes is
// {"time":<startTime>,"sourcetype":…,"event":<the record>}.
TEST_F(SigningEnvelopeTlsE2eTest, SplunkHecEnvelopeOverGzip) {
  ConfigBuilder builder = config();
  builder.callback("hook")
      .set("log_format", "ndjson")
      .set("batch_size", "1")
      .set("compression", "gzip")
      .set("envelope", "splunk_hec")
      .set("envelope_fields", "{sourcetype: llmtap, index: ai}");
  start(builder.yaml());
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  const auto lines = records(1);
  ASSERT_EQ(lines.size(), 1u);
  auto doc = parser_.parse(lines[0]);
  ASSERT_FALSE(doc.error()) << lines[0];
  EXPECT_EQ(lines[0].substr(0, 8), R"({"time":)");
  double start_time = 0, time = 0;
  ASSERT_FALSE(doc["time"].get(time));
  ASSERT_FALSE(doc["event"]["startTime"].get(start_time));
  EXPECT_EQ(time, start_time);
  EXPECT_EQ(std::string_view(doc["sourcetype"]), "llmtap");
  EXPECT_EQ(std::string_view(doc["index"]), "ai");
  EXPECT_EQ(std::string_view(doc["event"]["model_group"]), "gpt-3.5-turbo");
  EXPECT_EQ(field(requests(1)[0], "content_encoding"), "gzip");
}

// Verifies that a record larger than max_batch_bytes is delivered truncated (marked, valid JSON)
// in a body within the limit, not dropped or sent oversized.
TEST_F(SigningEnvelopeTlsE2eTest, OversizedRecordIsTruncatedUnderMaxBatchBytes) {
  ConfigBuilder builder = config();
  builder.callback("hook")
      .set("log_format", "json_array")
      .set("batch_size", "1")
      .set("max_batch_bytes", "4000");
  start(builder.yaml());
  ASSERT_EQ(chat("gpt-3.5-turbo", std::string(20000, 'x')).status, 200);
  const auto lines = records(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_LE(lines[0].size(), 3998u);
  EXPECT_NE(lines[0].find("...[llmtap: truncated "), std::string::npos);
  EXPECT_FALSE(parser_.parse(lines[0]).error());
  const auto reqs = requests(1);
  EXPECT_LE(number(reqs[0], "body_bytes"), 4000);
  EXPECT_EQ(number(reqs[0], "status"), 200);
}

// Verifies TLS end to end: the sink serves HTTPS and demands a client certificate from the test CA;
// llmtap's callback trusts that CA (tls.ca_file) and presents a client certificate
// (tls.cert_file/key_file); the records arrive, signed and verified.
TEST_F(SigningEnvelopeTlsE2eTest, DeliversOverMutualTlsToTheSink) {
  const TestCa ca;
  ASSERT_TRUE(ca.ok()) << "the openssl command is needed to make test certificates";
  ConfigBuilder builder = config();
  builder.callback("hook")
      .set("batch_size", "2")
      .set("signing_secret", kSecret)
      .set("tls.ca_file", ca.ca_file())
      .set("tls.cert_file", ca.client_cert())
      .set("tls.key_file", ca.client_key());
  sink_args_ = {"--signing-secret", kSecret,         "--tls-cert",      ca.server_cert(),
                "--tls-key",        ca.server_key(), "--tls-client-ca", ca.ca_file()};
  sink_https_ = true;
  start(builder.yaml());
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  const auto lines = records(2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) EXPECT_FALSE(parser_.parse(line).error()) << line;
  const auto reqs = requests(1);
  ASSERT_FALSE(reqs.empty());
  EXPECT_EQ(number(reqs[0], "status"), 200) << reqs[0];
  EXPECT_EQ(field(reqs[0], "signature"), "ok") << reqs[0];
}

// Verifies that check-config never prints the signing secret in full.
TEST_F(SigningEnvelopeTlsE2eTest, CheckConfigMasksTheSigningSecret) {
  ConfigBuilder builder = config();
  builder.callback("hook").set("signing_secret", "os.environ/HOOK_SECRET");
  const std::string path =
      dir_.write_file("config.yaml", fill(builder.yaml(), {{"SINK", "http://127.0.0.1:1"}}));
  Process p(ProcessOptions{
      llmtap_binary(), {"check-config", "--config", path}, {{"HOOK_SECRET", kSecret}}});
  EXPECT_EQ(p.wait_exit(std::chrono::seconds{20}), 0) << p.err();
  EXPECT_EQ((p.out() + p.err()).find("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), std::string::npos)
      << p.out();
  EXPECT_NE(p.out().find("signing_secret whse****"), std::string::npos) << p.out();
}

}  // namespace
}  // namespace llmtap::test
