// Delivery over HTTPS with the callback's tls settings, against a real TLS receiver run inside the
// test (OpenSSL, blocking) that has its own CA and demands a client certificate (mutual TLS). The
// test checks the request the receiver got: decompresses the body and computes the Standard
// Webhooks HMAC itself. Then the same against llmtap's own sink serving HTTPS / mutual TLS.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/dispatcher_runtime.h"
#include "delivery/webhook_signer.h"
#include "drain_wait.h"
#include "http/runtime.h"
#include "sink/decompress.h"
#include "sink/sink_server.h"
#include "support/temp_dir.h"
#include "support/test_ca.h"
#include "support/test_ca_receiver.h"
#include "support/wait.h"
#include "test_record.h"

namespace llmtap::delivery {
namespace {

// Dispatches `records` to `callback` and waits for the drain; returns records delivered.
std::uint64_t deliver(http::Runtime& runtime, const config::CallbackConfig& callback,
                      std::vector<std::string> records) {
  auto dispatcher_owner = make_dispatcher(runtime, {callback});
  Dispatcher& dispatcher = *dispatcher_owner;
  for (auto& json : records) dispatcher.dispatch(record(std::move(json)));
  const auto report = drain_and_wait(dispatcher, std::chrono::seconds(5), std::chrono::seconds(20));
  if (!report) return 0;
  return report->callbacks.at(0).delivered;
}

class TlsDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ca_.ok()) << "the openssl command is needed to make test certificates";
    receiver_ =
        std::make_unique<test::TlsTestReceiver>(ca_.server_cert(), ca_.server_key(), ca_.ca_file());
    ASSERT_TRUE(receiver_->ok());
    runner_ = std::thread([this] { runtime_.run(); });
    callback_.name = "mtls";
    callback_.endpoint = "https://localhost:" + std::to_string(receiver_->port()) + "/in";
    callback_.log_format = config::LogFormat::json_array;
    callback_.timeout = std::chrono::seconds(5);
    callback_.max_retry_time =
        std::chrono::seconds(0);  // a failed handshake is final here: no retries to wait out
    callback_.tls.ca_file = ca_.ca_file();
  }
  void TearDown() override {
    runtime_.stop();
    if (runner_.joinable()) runner_.join();
  }

  test::TestCa ca_;
  std::unique_ptr<test::TlsTestReceiver> receiver_;
  http::Runtime runtime_{2};
  std::thread runner_;
  config::CallbackConfig callback_;
};

// Verifies that with tls.ca_file + cert_file/key_file the batch reaches a receiver that demands a
// client certificate, gzip-encoded, with a webhook-signature the test recomputes by hand.
TEST_F(TlsDeliveryTest, DeliversSignedGzipBatchesOverMutualTls) {
  callback_.tls.cert_file = ca_.client_cert();
  callback_.tls.key_file = ca_.client_key();
  callback_.compression = config::Compression::gzip;
  callback_.signing_secret = "whsec_" + base64_encode("a test key of 24 bytes..");
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})", R"({"b":2})"}), 2u);

  const auto received = receiver_->received();
  ASSERT_EQ(received.size(), 1u);
  const test::TlsReceived& r = received[0];
  EXPECT_EQ(r.header("content-encoding"), "gzip");
  const auto body = sink::decompress(r.body, "gzip");
  ASSERT_TRUE(body.ok()) << body.message;
  EXPECT_EQ(body.bytes, R"([{"a":1},{"b":2}])");
  EXPECT_EQ(r.header("webhook-id"), r.header("idempotency-key"));
  const std::string content =
      r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + body.bytes;
  const std::string key = "a test key of 24 bytes..";
  unsigned char digest[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest, &length);
  EXPECT_EQ(r.header("webhook-signature"),
            "v1," + base64_encode(std::string(reinterpret_cast<char*>(digest), length)));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  EXPECT_NEAR(static_cast<double>(std::stoll(r.header("webhook-timestamp"))),
              static_cast<double>(now.count()), 60.0);
}

// Verifies the receiver really demands mutual TLS: no client certificate, no delivery.
TEST_F(TlsDeliveryTest, WithoutAClientCertificateTheReceiverRefuses) {
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})"}), 0u);
  EXPECT_TRUE(receiver_->received().empty());
  // With TLS 1.3 the client finishes its side of the handshake before the server checks the
  // certificate: the client's failure can be reported before the receiver has counted its own.
  EXPECT_TRUE(test::wait_until([&] { return receiver_->failed_handshakes() >= 1; }));
}

// Verifies that tls.verify defaults to checking the server (system CAs do not know this one),
// and that verify: false skips the check.
TEST_F(TlsDeliveryTest, AnUnknownCaIsRefusedUnlessVerifyIsOff) {
  callback_.tls.ca_file.clear();
  callback_.tls.cert_file = ca_.client_cert();
  callback_.tls.key_file = ca_.client_key();
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})"}), 0u);
  EXPECT_TRUE(receiver_->received().empty());
  callback_.tls.verify = false;
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"b":2})"}), 1u);
  EXPECT_EQ(receiver_->received().size(), 1u);
}

// The same deliveries against llmtap's own receiver: a SinkServer serving HTTPS with the test CA's
// server certificate and, when asked, demanding client certificates from that CA.
class SinkTlsDeliveryTest : public TlsDeliveryTest {
 protected:
  void start_sink(bool require_client_certificate) {
    sink::SinkOptions options;
    options.port = 0;
    options.out_path = out_.file("records.ndjson");
    options.tls.cert_file = ca_.server_cert();
    options.tls.key_file = ca_.server_key();
    if (require_client_certificate) options.tls.client_ca_file = ca_.ca_file();
    sink_ = std::make_unique<sink::SinkServer>(runtime_, options);
    sink_->listen();
    callback_.endpoint = "https://localhost:" + std::to_string(sink_->port()) + "/in";
  }
  std::vector<std::string> records() const {
    return test::read_ndjson_lines(out_.file("records.ndjson"));
  }

  test::TempDir out_;
  std::unique_ptr<sink::SinkServer> sink_;
};

// Verifies that a callback with tls.ca_file, cert_file and key_file delivers gzip batches to a
// sink that requires client certificates, and the records arrive intact.
TEST_F(SinkTlsDeliveryTest, DeliversToTheSinkOverMutualTls) {
  start_sink(true);
  callback_.tls.cert_file = ca_.client_cert();
  callback_.tls.key_file = ca_.client_key();
  callback_.compression = config::Compression::gzip;
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})", R"({"b":2})"}), 2u);
  EXPECT_EQ(records(), (std::vector<std::string>{R"({"a":1})", R"({"b":2})"}));
  EXPECT_EQ(sink_->counters().tls_handshake_failures, 0u);
}

// Verifies server-only TLS: tls.ca_file is enough when the sink asks for no client certificate.
TEST_F(SinkTlsDeliveryTest, DeliversToAnHttpsSinkWithTheCaFileAlone) {
  start_sink(false);
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})"}), 1u);
  EXPECT_EQ(records(), std::vector<std::string>{R"({"a":1})"});
}

// Verifies that without cert_file/key_file the handshake is refused (counted by the sink) and
// nothing is recorded.
TEST_F(SinkTlsDeliveryTest, ASinkRequiringClientCertificatesRefusesAClientWithout) {
  start_sink(true);
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})"}), 0u);
  EXPECT_TRUE(records().empty());
  // The client may report its failure before the sink has counted its own (TLS 1.3, see above).
  EXPECT_TRUE(test::wait_until([&] { return sink_->counters().tls_handshake_failures >= 1; }));
  EXPECT_EQ(sink_->counters().requests, 0u);
}

}  // namespace
}  // namespace llmtap::delivery
