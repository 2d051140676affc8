#include "test_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace llmtap::http::testing {

std::unique_ptr<Server> RuntimeTest::start_server(Handler handler, ServerOptions options) {
  options.host = "127.0.0.1";
  options.port = 0;
  auto server = std::make_unique<Server>(runtime_, options, std::move(handler));
  server->listen();
  return server;
}

std::future<ClientResult> RuntimeTest::send_async(Client& client, ClientRequest request) {
  auto promise = std::make_shared<std::promise<ClientResult>>();
  auto future = promise->get_future();
  client.send(std::move(request),
              [promise](ClientResult result) { promise->set_value(std::move(result)); });
  return future;
}

ClientResult RuntimeTest::send_and_wait(Client& client, ClientRequest request) {
  auto future = send_async(client, std::move(request));
  auto result = wait_for(future);
  if (!result) {
    ADD_FAILURE() << "no answer within the deadline";
    return ClientResult{ClientError::timeout, "test deadline", {}};
  }
  return std::move(*result);
}

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

RawPeer::RawPeer(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  const auto address = loopback(port);
  if (fd_ >= 0 &&
      ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawPeer::~RawPeer() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawPeer::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string RawPeer::read_until(std::string_view needle, int count,
                                std::chrono::milliseconds limit) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int found = 0;
  std::size_t scanned = 0;  // needles ending before here are counted: large reads stay linear
  auto seen = [&] {
    for (auto pos = out.find(needle, scanned); pos != std::string::npos;
         pos = out.find(needle, pos + needle.size())) {
      ++found;
      scanned = pos + needle.size();
    }
    if (out.size() >= needle.size()) scanned = std::max(scanned, out.size() - needle.size() + 1);
    return found >= count;
  };
  while (!seen()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[64 * 1024];
    const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

ClientRequest request_to(const Server& server, std::string_view path) {
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
  return request;
}

std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback(0);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) address.sin_port = 0;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace llmtap::http::testing
