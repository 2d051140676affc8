// HTTPS client tests against a tiny blocking OpenSSL server run inside the test, with a CA and a
// server certificate (for DNS:localhost only) generated at test time by the openssl command.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "test_peer.h"

namespace llmtap::http::testing {
namespace {

namespace fs = std::filesystem;

// Writes ca.pem, server.pem and server.key into a fresh temporary directory.
class TestCertificates {
 public:
  TestCertificates() : dir_(fs::temp_directory_path() / ("llmtap-tls-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
    const std::string script =
        "cd '" + d + "' && openssl req -x509" + ec + "-keyout ca.key -out ca.pem -days 2 -subj '/CN=llmtap test CA'" +
        " && openssl req" + ec + "-keyout server.key -out server.csr -subj '/CN=localhost'" +
        " && printf 'subjectAltName=DNS:localhost\\n' > ext.cnf" +
        " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2"
        " -extfile ext.cnf";
    ok_ = std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
  }
  ~TestCertificates() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  bool ok() const { return ok_; }
  std::string path(const char* name) const { return (dir_ / name).string(); }

 private:
  fs::path dir_;
  bool ok_ = false;
};

// Answers every TLS connection on 127.0.0.1 with "200 ok" and closes it. Blocking, one thread.
class TinyTlsServer {
 public:
  TinyTlsServer(const std::string& cert, const std::string& key) {
    context_ = SSL_CTX_new(TLS_server_method());
    ok_ = SSL_CTX_use_certificate_chain_file(context_, cert.c_str()) == 1 &&
          SSL_CTX_use_PrivateKey_file(context_, key.c_str(), SSL_FILETYPE_PEM) == 1;
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ok_ = ok_ && ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
          ::listen(listener_, 16) == 0 &&
          ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyTlsServer() {
    ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(listener_);
    SSL_CTX_free(context_);
  }
  bool ok() const { return ok_; }
  std::uint16_t port() const { return port_; }

 private:
  void serve() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      timeval limit{10, 0};  // a stuck client must not hang the test's teardown
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
      SSL* ssl = SSL_new(context_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) {
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
          const int n = SSL_read(ssl, buffer, sizeof buffer);
          if (n <= 0) break;
          request.append(buffer, static_cast<std::size_t>(n));
        }
        static constexpr std::string_view kAnswer =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
        SSL_write(ssl, kAnswer.data(), static_cast<int>(kAnswer.size()));
        SSL_shutdown(ssl);
      }
      ERR_clear_error();
      SSL_free(ssl);
      ::close(fd);
    }
  }

  SSL_CTX* context_ = nullptr;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  bool ok_ = false;
  std::thread thread_;  // last: it uses everything above
};

class TlsTest : public RuntimeTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(certificates_.ok()) << "the openssl command is needed to make test certificates";
    server_ = std::make_unique<TinyTlsServer>(certificates_.path("server.pem"), certificates_.path("server.key"));
    ASSERT_TRUE(server_->ok());
  }
  ClientRequest request_for(const std::string& host) {
    ClientRequest request;
    request.method = "GET";
    request.url = "https://" + host + ":" + std::to_string(server_->port()) + "/";
    return request;
  }

  TestCertificates certificates_;
  std::unique_ptr<TinyTlsServer> server_;
};

TEST_F(TlsTest, VerifiesTheServerAgainstTheGivenCa) {
  // Verifies that an HTTPS exchange succeeds when the certificate chains to ca_file and names the host.
  ClientOptions options;
  options.tls.ca_file = certificates_.path("ca.pem");
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
  options.tls.ca_file = certificates_.path("ca.pem");
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
