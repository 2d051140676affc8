// HTTPS client tests against a tiny blocking OpenSSL server (support/test_ca_receiver.h) with a
// throwaway CA whose server certificate names DNS:localhost only (support/test_ca.h).
#include <memory>

#include <gtest/gtest.h>

#include "support/test_ca.h"
#include "support/test_ca_receiver.h"
#include "test_peer.h"

namespace llmtap::http::testing {
namespace {

class TlsTest : public RuntimeTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ca_.ok()) << "the openssl command is needed to make test certificates";
    server_ = std::make_unique<test::TlsTestReceiver>(ca_.server_cert(), ca_.server_key());
    ASSERT_TRUE(server_->ok());
  }
  ClientRequest request_for(const std::string& host) {
    ClientRequest request;
    request.method = "GET";
    request.url = "https://" + host + ":" + std::to_string(server_->port()) + "/";
    return request;
  }

  test::TestCa ca_{"DNS:localhost"};
  std::unique_ptr<test::TlsTestReceiver> server_;
};

TEST_F(TlsTest, VerifiesTheServerAgainstTheGivenCa) {
  // Verifies that an HTTPS exchange succeeds when the certificate chains to ca_file and names the host.
  ClientOptions options;
  options.tls.ca_file = ca_.ca_file();
  Client client(runtime_, options);
  const auto result = send_and_wait(client, request_for("localhost"));
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, "ok");
}

TEST_F(TlsTest, RejectsACertificateFromAnUnknownCa) {
  // Verifies that the system CA store does not accept our private CA.
  Client client(runtime_, {});
  EXPECT_EQ(send_and_wait(client, request_for("localhost")).error, ClientError::tls);
}

TEST_F(TlsTest, RejectsACertificateForAnotherName) {
  // Verifies host name verification: the certificate names localhost, not 127.0.0.1.
  ClientOptions options;
  options.tls.ca_file = ca_.ca_file();
  Client client(runtime_, options);
  EXPECT_EQ(send_and_wait(client, request_for("127.0.0.1")).error, ClientError::tls);
}

TEST_F(TlsTest, SkipsVerificationWhenAskedTo) {
  // Verifies that verify=false accepts any certificate.
  ClientOptions options;
  options.tls.verify = false;
  Client client(runtime_, options);
  const auto result = send_and_wait(client, request_for("127.0.0.1"));
  EXPECT_TRUE(result.ok()) << result.error_message;
}

TEST(TlsSetupTest, ThrowsOnAMissingCaFile) {
  // Verifies that an unreadable ca_file fails at construction (start-up), not per request.
  Runtime runtime(1);
  ClientOptions options;
  options.tls.ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(Client(runtime, options), std::runtime_error);
}

}  // namespace
}  // namespace llmtap::http::testing
