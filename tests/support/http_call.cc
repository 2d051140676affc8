#include "support/http_call.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace llmtap::test {
namespace {

using Clock = std::chrono::steady_clock;

// Responses bigger than this are a test bug, not something to buffer.
constexpr std::size_t kMaxResponseBytes = 256 * 1024 * 1024;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

bool has_header(const HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

// A connected socket and a read buffer, every operation bounded by one deadline.
class Connection {
 public:
  Connection(std::uint16_t port, Clock::time_point deadline) : deadline_(deadline) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) {
      error_ = std::string("socket: ") + std::strerror(errno);
      return;
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 &&
        errno != EINPROGRESS) {
      error_ = std::string("connect: ") + std::strerror(errno);
      return;
    }
    if (!wait_for(POLLOUT)) return;
    int so_error = 0;
    socklen_t length = sizeof(so_error);
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &so_error, &length);
    if (so_error != 0) error_ = std::string("connect: ") + std::strerror(so_error);
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& error() const { return error_; }

  bool send_all(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (!wait_for(POLLOUT)) return false;
      } else {
        return fail(std::string("send: ") + std::strerror(errno));
      }
    }
    return true;
  }

  // Reads more bytes into buffer(); false at EOF (eof() tells) or on error / deadline.
  bool read_more() {
    std::array<char, 64 * 1024> chunk{};
    while (true) {
      const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
      if (n > 0) {
        if (buffer_.size() + static_cast<std::size_t>(n) > kMaxResponseBytes)
          return fail("response too large");
        buffer_.append(chunk.data(), static_cast<std::size_t>(n));
        return true;
      }
      if (n == 0) {
        eof_ = true;
        return false;
      }
      if (errno != EAGAIN && errno != EINTR)
        return fail(std::string("recv: ") + std::strerror(errno));
      if (!wait_for(POLLIN)) return false;
    }
  }

  // The next line (without CRLF) from the buffer, reading as needed.
  std::optional<std::string> read_line() {
    while (true) {
      const std::size_t end = buffer_.find("\r\n", consumed_);
      if (end != std::string::npos) {
        std::string line = buffer_.substr(consumed_, end - consumed_);
        consumed_ = end + 2;
        return line;
      }
      if (!read_more()) return std::nullopt;
    }
  }

  // Exactly `size` bytes from the buffer, reading as needed.
  std::optional<std::string> read_exactly(std::size_t size) {
    while (buffer_.size() - consumed_ < size) {
      if (!read_more()) return std::nullopt;
    }
    std::string out = buffer_.substr(consumed_, size);
    consumed_ += size;
    return out;
  }

  std::string read_to_eof() {
    while (read_more()) {
    }
    std::string out = buffer_.substr(consumed_);
    consumed_ = buffer_.size();
    return out;
  }

  bool eof() const { return eof_; }

  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

 private:
  bool wait_for(short events) {
    while (true) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
      if (left.count() <= 0) return fail("timeout");
      pollfd pfd{fd_, events, 0};
      const int rc =
          ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count() + 1, 1000 * 1000)));
      if (rc > 0) return true;
      if (rc < 0 && errno != EINTR) return fail(std::string("poll: ") + std::strerror(errno));
    }
  }

  int fd_ = -1;
  Clock::time_point deadline_;
  std::string error_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  bool eof_ = false;
};

bool read_chunked(Connection& connection, HttpReply& reply) {
  while (true) {
    const auto size_line = connection.read_line();
    if (!size_line) return connection.fail("truncated chunked body");
    std::size_t size = 0;
    const std::string_view digits =
        trim(std::string_view(*size_line).substr(0, size_line->find(';')));
    if (digits.empty()) return connection.fail("bad chunk size line: " + *size_line);
    for (char c : digits) {
      const int value = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                        : (lower(c) >= 'a' && lower(c) <= 'f')      ? lower(c) - 'a' + 10
                                                                    : -1;
      if (value < 0 || size > kMaxResponseBytes)
        return connection.fail("bad chunk size line: " + *size_line);
      size = size * 16 + static_cast<std::size_t>(value);
    }
    if (size == 0) break;
    auto data = connection.read_exactly(size);
    const auto crlf = connection.read_line();
    if (!data || !crlf || !crlf->empty()) return connection.fail("truncated or malformed chunk");
    reply.body += *data;
    reply.chunks.push_back(std::move(*data));
  }
  // Trailers, up to the empty line.
  while (true) {
    const auto line = connection.read_line();
    if (!line) return connection.fail("truncated chunked trailer");
    if (line->empty()) return true;
  }
}

}  // namespace

std::string HttpReply::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

HttpReply http_exchange_raw(std::uint16_t port, std::string_view raw,
                            std::chrono::milliseconds timeout, bool head_request) {
  HttpReply reply;
  Connection connection(port, Clock::now() + timeout);
  if (!connection.error().empty() || !connection.send_all(raw)) {
    reply.error = connection.error();
    return reply;
  }
  // Interim 1xx responses (100 Continue) are skipped.
  do {
    reply.headers.clear();
    const auto status_line = connection.read_line();
    if (!status_line) {
      reply.error =
          connection.error().empty() ? "connection closed before a response" : connection.error();
      return reply;
    }
    // HTTP/1.1 200 OK
    const std::size_t first = status_line->find(' ');
    if (status_line->rfind("HTTP/1.", 0) != 0 || first == std::string::npos) {
      reply.error = "bad status line: " + *status_line;
      return reply;
    }
    reply.status = std::atoi(status_line->c_str() + first + 1);
    const std::size_t second = status_line->find(' ', first + 1);
    reply.reason = second == std::string::npos ? "" : status_line->substr(second + 1);
    while (true) {
      const auto line = connection.read_line();
      if (!line) {
        reply.error = "truncated response head";
        return reply;
      }
      if (line->empty()) break;
      const std::size_t colon = line->find(':');
      if (colon == std::string::npos) {
        reply.error = "bad header line: " + *line;
        return reply;
      }
      reply.headers.emplace_back(line->substr(0, colon),
                                 std::string(trim(std::string_view(*line).substr(colon + 1))));
    }
  } while (reply.status >= 100 && reply.status < 200);

  const bool no_body = head_request || reply.status == 204 || reply.status == 304;
  const std::string encoding = reply.header("Transfer-Encoding");
  const std::string length = reply.header("Content-Length");
  if (no_body) {
    // nothing to read
  } else if (encoding.find("chunked") != std::string::npos) {
    read_chunked(connection, reply);
  } else if (!length.empty()) {
    char* end = nullptr;
    const unsigned long long size = std::strtoull(length.c_str(), &end, 10);
    if (end == length.c_str() || *end != '\0' || size > kMaxResponseBytes) {
      reply.error = "bad Content-Length: " + length;
      return reply;
    }
    auto body = connection.read_exactly(static_cast<std::size_t>(size));
    if (body) {
      reply.body = std::move(*body);
    } else {
      connection.fail("truncated body");
    }
  } else {
    reply.body = connection.read_to_eof();
  }
  reply.error = connection.error();
  return reply;
}

HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view path,
                       const HeaderList& headers, std::string_view body,
                       std::chrono::milliseconds timeout) {
  std::string request;
  request.reserve(256 + body.size());
  request.append(method).append(" ").append(path).append(" HTTP/1.1\r\n");
  if (!has_header(headers, "Host")) request += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  if (!has_header(headers, "Connection")) request += "Connection: close\r\n";
  const bool wants_length =
      !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (wants_length && !has_header(headers, "Content-Length") &&
      !has_header(headers, "Transfer-Encoding")) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  for (const auto& [name, value] : headers)
    request.append(name).append(": ").append(value).append("\r\n");
  request += "\r\n";
  request.append(body);
  return http_exchange_raw(port, request, timeout, method == "HEAD");
}

}  // namespace llmtap::test
