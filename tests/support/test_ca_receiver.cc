#include "support/test_ca_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace llmtap::test {
namespace {

constexpr std::size_t kMaxRequestBytes = 64 * 1024 * 1024;

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

std::string TlsReceived::header(const std::string& name) const {
  const std::string key = "\r\n" + name + ": ";
  auto pos = head.find(key);
  if (pos == std::string::npos) return {};
  pos += key.size();
  return head.substr(pos, head.find("\r\n", pos) - pos);
}

TlsTestReceiver::TlsTestReceiver(const std::string& cert_file, const std::string& key_file,
                                 const std::string& client_ca) {
  context_ = SSL_CTX_new(TLS_server_method());
  ok_ = context_ != nullptr &&
        SSL_CTX_use_certificate_chain_file(context_, cert_file.c_str()) == 1 &&
        SSL_CTX_use_PrivateKey_file(context_, key_file.c_str(), SSL_FILETYPE_PEM) == 1;
  if (ok_ && !client_ca.empty()) {
    ok_ = SSL_CTX_load_verify_locations(context_, client_ca.c_str(), nullptr) == 1;
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ok_ = ok_ && listener_ >= 0 &&
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::listen(listener_, 16) == 0 &&
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

TlsTestReceiver::~TlsTestReceiver() {
  ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
  thread_.join();
  ::close(listener_);
  SSL_CTX_free(context_);
}

std::vector<TlsReceived> TlsTestReceiver::received() {
  std::lock_guard lock(mu_);
  return received_;
}

int TlsTestReceiver::failed_handshakes() {
  std::lock_guard lock(mu_);
  return failed_handshakes_;
}

void TlsTestReceiver::serve() {
  for (;;) {
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    timeval limit{10, 0};  // a stuck client must not hang the test's teardown
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

void TlsTestReceiver::serve_one(SSL* ssl) {
  std::string data;
  char buffer[16384];
  std::size_t head_end = std::string::npos;
  std::size_t need = 0;
  for (;;) {
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      std::string head = data.substr(0, head_end);
      std::transform(head.begin(), head.end(), head.begin(), lower);
      const auto pos = head.find("content-length: ");
      need = head_end + 4 + (pos == std::string::npos ? 0 : std::stoul(head.substr(pos + 16)));
    }
    if (head_end != std::string::npos && data.size() >= need) break;
    if (data.size() > kMaxRequestBytes) return;
    const int n = SSL_read(ssl, buffer, sizeof buffer);
    if (n <= 0) return;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  TlsReceived request;
  // Names lower-cased so lookups do not depend on how the client spelled them; values kept.
  std::string head = data.substr(0, head_end + 2);
  for (std::size_t line = head.find("\r\n"); line != std::string::npos;
       line = head.find("\r\n", line + 2)) {
    for (std::size_t i = line + 2; i < head.size() && head[i] != ':'; ++i) head[i] = lower(head[i]);
  }
  request.head = std::move(head);
  request.body = data.substr(head_end + 4, need - head_end - 4);
  {
    std::lock_guard lock(mu_);
    received_.push_back(std::move(request));
  }
  static constexpr std::string_view kAnswer =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
  SSL_write(ssl, kAnswer.data(), static_cast<int>(kAnswer.size()));
  SSL_shutdown(ssl);
}

}  // namespace llmtap::test
