#include "support/http_call.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <future>
#include <thread>

namespace llmtap::test {
namespace {

// A one-shot server on a raw socket: accepts one connection, reads the request head and its
// Content-Length body, sends `reply` (in pieces, to exercise reassembly) and closes.
class RawServer {
 public:
  explicit RawServer(std::vector<std::string> reply_pieces, bool answer = true) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(::listen(fd_, 4), 0);
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, pieces = std::move(reply_pieces), answer] {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      std::string request;
      std::array<char, 4096> buffer{};
      while (true) {
        const std::size_t head_end = request.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          const std::size_t at = request.find("Content-Length: ");
          const std::size_t body =
              at == std::string::npos ? 0 : std::stoul(request.substr(at + 16));
          if (request.size() >= head_end + 4 + body) break;
        }
        const ssize_t n = ::recv(client, buffer.data(), buffer.size(), 0);
        if (n <= 0) break;
        request.append(buffer.data(), static_cast<std::size_t>(n));
      }
      received_.set_value(request);
      if (answer) {
        for (const std::string& piece : pieces)
          ::send(client, piece.data(), piece.size(), MSG_NOSIGNAL);
        ::close(client);
      } else {
        // Hold the connection open until the test's client gives up.
        while (::recv(client, buffer.data(), buffer.size(), 0) > 0) {
        }
        ::close(client);
      }
    });
  }
  ~RawServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }

  std::uint16_t port() const { return port_; }
  std::string request() { return received_.get_future().get(); }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::promise<std::string> received_;
  std::thread thread_;
};

// Verifies that the request carries method, path, Host, Content-Length, the caller's headers and
// body.
TEST(HttpCallTest, SendsWellFormedRequest) {
  RawServer server({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"});
  const HttpReply reply = http_request(server.port(), "POST", "/logs?x=1",
                                       {{"Authorization", "Bearer k"}}, R"({"a":1})");
  ASSERT_TRUE(reply.ok()) << reply.error;
  const std::string request = server.request();
  EXPECT_EQ(request.rfind("POST /logs?x=1 HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos);
  EXPECT_NE(request.find("Content-Length: 7\r\n"), std::string::npos);
  EXPECT_NE(request.find("Authorization: Bearer k\r\n"), std::string::npos);
  EXPECT_EQ(request.substr(request.size() - 7), R"({"a":1})");
}

// Verifies that a Content-Length response arriving in pieces is read whole, headers included.
TEST(HttpCallTest, ReadsContentLengthBody) {
  RawServer server(
      {"HTTP/1.1 201 Created\r\nX-Thing:  v \r\nContent-Le", "ngth: 11\r\n\r\nhello", " world"});
  const HttpReply reply = http_request(server.port(), "GET", "/");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 201);
  EXPECT_EQ(reply.reason, "Created");
  EXPECT_EQ(reply.header("x-thing"), "v");
  EXPECT_EQ(reply.body, "hello world");
  EXPECT_TRUE(reply.chunks.empty());
}

// Verifies that a chunked response is de-chunked and its chunks kept in order.
TEST(HttpCallTest, ReadsChunkedBodyKeepingChunks) {
  RawServer server({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "6\r\ndata: \r\n",
                    "A;ext=1\r\n0123456789\r\n", "0\r\nX-Trailer: t\r\n\r\n"});
  const HttpReply reply = http_request(server.port(), "GET", "/stream");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.body, "data: 0123456789");
  ASSERT_EQ(reply.chunks.size(), 2u);
  EXPECT_EQ(reply.chunks[0], "data: ");
  EXPECT_EQ(reply.chunks[1], "0123456789");
}

// Verifies that a body without length or chunking is read until the server closes.
TEST(HttpCallTest, ReadsBodyUntilClose) {
  RawServer server({"HTTP/1.1 200 OK\r\n\r\nall ", "of it"});
  const HttpReply reply = http_request(server.port(), "GET", "/");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.body, "all of it");
}

// Verifies that a 100 Continue before the real response is skipped.
TEST(HttpCallTest, SkipsInterimResponses) {
  RawServer server({"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n"});
  const HttpReply reply = http_request(server.port(), "POST", "/", {}, "x");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 204);
  EXPECT_EQ(reply.header("X-A"), "b");
}

// Verifies that a server closing without answering, or a truncated body, is an error.
TEST(HttpCallTest, ReportsClosedAndTruncatedResponses) {
  {
    RawServer server({});
    EXPECT_FALSE(http_request(server.port(), "GET", "/").ok());
  }
  {
    RawServer server({"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"});
    const HttpReply reply = http_request(server.port(), "GET", "/");
    EXPECT_FALSE(reply.ok());
    EXPECT_EQ(reply.status, 200);
  }
}

// Verifies that a server that never answers makes the call fail at its deadline.
TEST(HttpCallTest, TimesOut) {
  RawServer server({}, /*answer=*/false);
  const HttpReply reply =
      http_request(server.port(), "GET", "/", {}, {}, std::chrono::milliseconds{200});
  EXPECT_EQ(reply.error, "timeout");
}

// Verifies that connecting to a closed port fails with a connect error.
TEST(HttpCallTest, ReportsConnectionRefused) {
  std::uint16_t port = 0;
  {
    RawServer server({"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"});
    port = server.port();
    ASSERT_TRUE(http_request(port, "GET", "/").ok());
  }
  const HttpReply reply = http_request(port, "GET", "/");
  EXPECT_NE(reply.error.find("connect"), std::string::npos) << reply.error;
}

}  // namespace
}  // namespace llmtap::test
