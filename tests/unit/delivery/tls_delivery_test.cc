// Delivery over HTTPS with the callback's tls settings, against a real TLS receiver run inside the
// test (OpenSSL, blocking) that has its own CA and demands a client certificate (mutual TLS). The
// test checks the request the receiver got: decompresses the body and computes the Standard
// Webhooks HMAC itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "delivery/dispatcher.h"
#include "delivery/webhook_signer.h"
#include "http/runtime.h"
#include "sink/decompress.h"

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;

// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, all from that CA.
class MutualTlsFiles {
 public:
  MutualTlsFiles() : dir_(fs::temp_directory_path() / ("llmtap-mtls-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
    auto leaf = [&](const std::string& name, const std::string& ext) {
      return " && openssl req" + key + "-keyout " + name + ".key -out " + name + ".csr -subj '/CN=" + name + "'" +
             " && printf '" + ext + "\\n' > " + name + ".cnf" + " && openssl x509 -req -in " + name +
             ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -out " + name + ".pem -days 2 -extfile " + name + ".cnf";
    };
    const std::string script = "cd '" + dir_.string() + "' && openssl req -x509" + key +
                               "-keyout ca.key -out ca.pem -days 2 -subj '/CN=llmtap mtls test CA'" +
                               leaf("server", "subjectAltName=DNS:localhost,IP:127.0.0.1") +
                               leaf("client", "extendedKeyUsage=clientAuth");
    ok_ = std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
  }
  ~MutualTlsFiles() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  bool ok() const { return ok_; }
  std::string path(const char* name) const { return (dir_ / name).string(); }

 private:
  fs::path dir_;
  bool ok_ = false;
};

struct Received {
  std::string head;  // request line and headers, lower-cased names
  std::string body;
  std::string header(const std::string& name) const {
    const std::string key = "\r\n" + name + ": ";
    auto pos = head.find(key);
    if (pos == std::string::npos) return {};
    pos += key.size();
    return head.substr(pos, head.find("\r\n", pos) - pos);
  }
};

// Accepts TLS connections that present a client certificate from the CA; answers each request 200.
class MutualTlsReceiver {
 public:
  MutualTlsReceiver(const MutualTlsFiles& files) {
    context_ = SSL_CTX_new(TLS_server_method());
    ok_ = SSL_CTX_use_certificate_chain_file(context_, files.path("server.pem").c_str()) == 1 &&
          SSL_CTX_use_PrivateKey_file(context_, files.path("server.key").c_str(), SSL_FILETYPE_PEM) == 1 &&
          SSL_CTX_load_verify_locations(context_, files.path("ca.pem").c_str(), nullptr) == 1;
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ok_ = ok_ && ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
          ::listen(listener_, 16) == 0 && ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~MutualTlsReceiver() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
    SSL_CTX_free(context_);
  }
  bool ok() const { return ok_; }
  std::uint16_t port() const { return port_; }

  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  int failed_handshakes() {
    std::lock_guard lock(mu_);
    return failed_handshakes_;
  }

 private:
  void serve() {
    for (;;) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      timeval limit{10, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
      SSL* ssl = SSL_new(context_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) {
        serve_one(ssl);
      } else {
        std::lock_guard lock(mu_);
        ++failed_handshakes_;
      }
      ERR_clear_error();
      SSL_free(ssl);
      ::close(fd);
    }
  }

  void serve_one(SSL* ssl) {
    std::string data;
    char buffer[16384];
    std::size_t head_end = std::string::npos;
    std::size_t need = 0;
    for (;;) {
      if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
        std::string head = data.substr(0, head_end);
        std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
        const auto pos = head.find("content-length: ");
        need = head_end + 4 + (pos == std::string::npos ? 0 : std::stoul(head.substr(pos + 16)));
      }
      if (head_end != std::string::npos && data.size() >= need) break;
      const int n = SSL_read(ssl, buffer, sizeof buffer);
      if (n <= 0) return;
      data.append(buffer, static_cast<std::size_t>(n));
    }
    Received r;
    // Names lower-cased so lookups do not depend on how the client spelled them; values kept.
    std::string head = data.substr(0, head_end + 2);
    for (std::size_t line = head.find("\r\n"); line != std::string::npos; line = head.find("\r\n", line + 2)) {
      for (std::size_t i = line + 2; i < head.size() && head[i] != ':'; ++i) {
        head[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(head[i])));
      }
    }
    r.head = head;
    r.body = data.substr(head_end + 4, need - head_end - 4);
    {
      std::lock_guard lock(mu_);
      received_.push_back(std::move(r));
    }
    static constexpr std::string_view kAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    SSL_write(ssl, kAnswer.data(), static_cast<int>(kAnswer.size()));
    SSL_shutdown(ssl);
  }

  SSL_CTX* context_ = nullptr;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  bool ok_ = false;
  std::mutex mu_;
  std::vector<Received> received_;
  int failed_handshakes_ = 0;
  std::thread thread_;  // last: it uses everything above
};

payload::Record record(std::string json) {
  payload::Record r;
  r.json = std::make_shared<const std::string>(std::move(json));
  return r;
}

// Dispatches `records` to `callback` and waits for the drain; returns records delivered.
std::uint64_t deliver(http::Runtime& runtime, const config::CallbackConfig& callback, std::vector<std::string> records) {
  Dispatcher dispatcher(runtime, {callback});
  for (auto& json : records) dispatcher.dispatch(record(std::move(json)));
  std::mutex mu;
  std::condition_variable cv;
  std::optional<DrainReport> report;
  dispatcher.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5), [&](DrainReport r) {
    std::lock_guard lock(mu);
    report = std::move(r);
    cv.notify_all();
  });
  std::unique_lock lock(mu);
  if (!cv.wait_for(lock, std::chrono::seconds(20), [&] { return report.has_value(); })) return 0;
  return report->callbacks.at(0).delivered;
}

class TlsDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(files_.ok()) << "the openssl command is needed to make test certificates";
    receiver_ = std::make_unique<MutualTlsReceiver>(files_);
    ASSERT_TRUE(receiver_->ok());
    runner_ = std::thread([this] { runtime_.run(); });
    callback_.name = "mtls";
    callback_.endpoint = "https://localhost:" + std::to_string(receiver_->port()) + "/in";
    callback_.log_format = config::LogFormat::json_array;
    callback_.timeout_seconds = 5;
    callback_.max_retry_time_seconds = 0;  // a failed handshake is final here: no retries to wait out
    callback_.tls.ca_file = files_.path("ca.pem");
  }
  void TearDown() override {
    runtime_.stop();
    if (runner_.joinable()) runner_.join();
  }

  MutualTlsFiles files_;
  std::unique_ptr<MutualTlsReceiver> receiver_;
  http::Runtime runtime_{2};
  std::thread runner_;
  config::CallbackConfig callback_;
};

TEST_F(TlsDeliveryTest, DeliversSignedGzipBatchesOverMutualTls) {
  // Verifies that with tls.ca_file + cert_file/key_file the batch reaches a receiver that demands a
  // client certificate, gzip-encoded, with a webhook-signature the test recomputes by hand.
  callback_.tls.cert_file = files_.path("client.pem");
  callback_.tls.key_file = files_.path("client.key");
  callback_.compression = config::Compression::gzip;
  callback_.signing_secret = "whsec_" + base64_encode("a test key of 24 bytes..");
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})", R"({"b":2})"}), 2u);

  const auto received = receiver_->received();
  ASSERT_EQ(received.size(), 1u);
  const Received& r = received[0];
  EXPECT_EQ(r.header("content-encoding"), "gzip");
  const auto body = sink::decompress(r.body, "gzip");
  ASSERT_TRUE(body.ok()) << body.message;
  EXPECT_EQ(body.bytes, R"([{"a":1},{"b":2}])");
  EXPECT_EQ(r.header("webhook-id"), r.header("idempotency-key"));
  const std::string content = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + body.bytes;
  const std::string key = "a test key of 24 bytes..";
  unsigned char digest[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), digest, &length);
  EXPECT_EQ(r.header("webhook-signature"), "v1," + base64_encode(std::string(reinterpret_cast<char*>(digest), length)));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  EXPECT_NEAR(static_cast<double>(std::stoll(r.header("webhook-timestamp"))), static_cast<double>(now.count()), 60.0);
}

TEST_F(TlsDeliveryTest, WithoutAClientCertificateTheReceiverRefuses) {
  // Verifies the receiver really demands mutual TLS: no client certificate, no delivery.
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})"}), 0u);
  EXPECT_TRUE(receiver_->received().empty());
  EXPECT_GE(receiver_->failed_handshakes(), 1);
}

TEST_F(TlsDeliveryTest, AnUnknownCaIsRefusedUnlessVerifyIsOff) {
  // Verifies that tls.verify defaults to checking the server (system CAs do not know this one),
  // and that verify: false skips the check.
  callback_.tls.ca_file.clear();
  callback_.tls.cert_file = files_.path("client.pem");
  callback_.tls.key_file = files_.path("client.key");
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"a":1})"}), 0u);
  EXPECT_TRUE(receiver_->received().empty());
  callback_.tls.verify = false;
  EXPECT_EQ(deliver(runtime_, callback_, {R"({"b":2})"}), 1u);
  EXPECT_EQ(receiver_->received().size(), 1u);
}

}  // namespace
}  // namespace llmtap::delivery
