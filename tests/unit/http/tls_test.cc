// HTTPS client tests against a tiny blocking OpenSSL server (support/test_ca_receiver.h) with a
// throwaway CA whose server certificate names DNS:localhost only (support/test_ca.h); and the
// Server's own TLS (ServerOptions::tls, with and without client certificates) against the Client.
#include <gtest/gtest.h>

#include <memory>

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

// Verifies that an HTTPS exchange succeeds when the certificate chains to ca_file and names the
// host.
TEST_F(TlsTest, VerifiesTheServerAgainstTheGivenCa) {
  ClientOptions options;
  options.tls.ca_file = ca_.ca_file();
  Client client(runtime_, options);
  const auto result = send_and_wait(client, request_for("localhost"));
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, "ok");
}

// Verifies that the system CA store does not accept our private CA.
TEST_F(TlsTest, RejectsACertificateFromAnUnknownCa) {
  Client client(runtime_, {});
  EXPECT_EQ(send_and_wait(client, request_for("localhost")).error, ClientError::tls);
}

// Verifies host name verification: the certificate names localhost, not 127.0.0.1.
TEST_F(TlsTest, RejectsACertificateForAnotherName) {
  ClientOptions options;
  options.tls.ca_file = ca_.ca_file();
  Client client(runtime_, options);
  EXPECT_EQ(send_and_wait(client, request_for("127.0.0.1")).error, ClientError::tls);
}

// Verifies that verify=false accepts any certificate.
TEST_F(TlsTest, SkipsVerificationWhenAskedTo) {
  ClientOptions options;
  options.tls.verify = false;
  Client client(runtime_, options);
  const auto result = send_and_wait(client, request_for("127.0.0.1"));
  EXPECT_TRUE(result.ok()) << result.error_message;
}

// Verifies that an unreadable ca_file fails at construction (start-up), not per request.
TEST(TlsSetupTest, ThrowsOnAMissingCaFile) {
  Runtime runtime(1);
  ClientOptions options;
  options.tls.ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(Client(runtime, options), std::runtime_error);
}

// An https Server with a throwaway CA's certificate; `client_ca` non-empty demands client
// certificates.
class TlsServerTest : public RuntimeTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ca_.ok()) << "the openssl command is needed to make test certificates";
  }
  std::unique_ptr<Server> start_tls_server(bool require_client_certificate) {
    ServerOptions options;
    options.tls.cert_file = ca_.server_cert();
    options.tls.key_file = ca_.server_key();
    if (require_client_certificate) options.tls.client_ca_file = ca_.ca_file();
    return start_server(
        [](Request request, std::shared_ptr<Responder> responder) {
          responder->respond(
              Response{200, {}, request.method + " " + request.target + " " + request.body});
        },
        options);
  }
  ClientOptions trusting_client() {
    ClientOptions options;
    options.tls.ca_file = ca_.ca_file();
    return options;
  }
  static ClientRequest post(const Server& server, std::string body) {
    ClientRequest request;
    request.url = "https://localhost:" + std::to_string(server.port()) + "/in";
    request.body = std::move(body);
    return request;
  }

  test::TestCa ca_;
};

// Verifies that a Server with tls options answers over TLS, reusing the connection for a second
// request.
TEST_F(TlsServerTest, ServesHttpsWithKeepAlive) {
  auto server = start_tls_server(false);
  Client client(runtime_, trusting_client());
  for (const char* body : {"one", "two"}) {
    const auto result = send_and_wait(client, post(*server, body));
    ASSERT_TRUE(result.ok()) << result.error_message;
    EXPECT_EQ(result.response.body, std::string("POST /in ") + body);
  }
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_EQ(server->tls_handshake_failures(), 0u);
}

// Verifies mutual TLS: without a client certificate the handshake fails (counted, no request
// handled); with one issued by client_ca_file the request is served.
TEST_F(TlsServerTest, RequiresAClientCertificateFromTheGivenCa) {
  auto server = start_tls_server(true);
  Client anonymous(runtime_, trusting_client());
  const auto refused = send_and_wait(anonymous, post(*server, "x"));
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(wait_until([&] { return server->tls_handshake_failures() == 1; }));

  ClientOptions options = trusting_client();
  options.tls.cert_file = ca_.client_cert();
  options.tls.key_file = ca_.client_key();
  Client identified(runtime_, options);
  const auto result = send_and_wait(identified, post(*server, "y"));
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.body, "POST /in y");
}

// Verifies that a plain-HTTP client gets no answer from a TLS server and the failure is counted.
TEST_F(TlsServerTest, RefusesPlainHttpOnATlsPort) {
  auto server = start_tls_server(false);
  Client client(runtime_, {});
  ClientRequest request = post(*server, "x");
  request.url = "http://127.0.0.1:" + std::to_string(server->port()) + "/in";
  EXPECT_FALSE(send_and_wait(client, request).ok());
  EXPECT_TRUE(wait_until([&] { return server->tls_handshake_failures() == 1; }));
}

// Verifies that unreadable TLS files fail at construction (start-up), not per connection.
TEST(TlsServerSetupTest, ThrowsOnAMissingCertificate) {
  Runtime runtime(1);
  ServerOptions options;
  options.tls.cert_file = "/nonexistent/server.pem";
  options.tls.key_file = "/nonexistent/server.key";
  EXPECT_THROW(Server(runtime, options, [](Request, std::shared_ptr<Responder>) {}),
               std::runtime_error);
}

}  // namespace
}  // namespace llmtap::http::testing
