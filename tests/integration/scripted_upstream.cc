#include "integration/scripted_upstream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string_view>

namespace llmtap::test {
namespace {

constexpr int kPollMs = 50;
constexpr auto kRequestDeadline = std::chrono::seconds{5};
constexpr std::size_t kMaxRequestBytes = 1 << 20;

// The request's Content-Length, or 0.
std::size_t content_length(std::string_view head) {
  for (std::string_view name : {"Content-Length:", "content-length:"}) {
    if (auto at = head.find(name); at != std::string_view::npos) {
      return static_cast<std::size_t>(std::strtoull(head.data() + at + name.size(), nullptr, 10));
    }
  }
  return 0;
}

}  // namespace

std::string ScriptedUpstream::http_200(std::string_view content_type, std::string_view body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(content_type) +
         "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

ScriptedUpstream::ScriptedUpstream(std::string response) : response_(std::move(response)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return;
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

ScriptedUpstream::~ScriptedUpstream() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void ScriptedUpstream::serve() {
  while (!stop_.load()) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (::poll(&ready, 1, kPollMs) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    answer(fd);
    ::close(fd);
  }
}

void ScriptedUpstream::answer(int fd) {
  const auto deadline = std::chrono::steady_clock::now() + kRequestDeadline;
  std::string request;
  char buffer[4096];
  for (;;) {
    const std::size_t head_end = request.find("\r\n\r\n");
    if (head_end != std::string::npos &&
        request.size() >=
            head_end + 4 + content_length(std::string_view(request).substr(0, head_end))) {
      break;
    }
    if (stop_.load() || std::chrono::steady_clock::now() > deadline ||
        request.size() > kMaxRequestBytes)
      return;
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, kPollMs) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return;
    request.append(buffer, static_cast<std::size_t>(n));
  }
  requests_.fetch_add(1);
  std::string_view out = response_;
  while (!out.empty()) {
    const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    out.remove_prefix(static_cast<std::size_t>(n));
  }
  ::shutdown(fd, SHUT_WR);
}

}  // namespace llmtap::test
