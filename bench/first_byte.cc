// first_byte: time to the first byte of the answer, over one kept-alive connection, one request
// at a time (bench/gateway.sh's time-to-first-token probe).
//
// curl, the earlier probe, starts a process and opens a connection per call, and its clock
// includes its own set-up: on this VM that made the "first byte" of even a direct call ~300 µs
// and buried what a proxy adds to a stream in what a cold core costs. This sends the request with
// one write, stamps the clock, and stamps it again when the first byte of the answer arrives, then
// reads the rest of the answer (Content-Length or chunked) before the next request. Plain POSIX
// sockets, no Asio: the probe must cost the same whatever it measures.
//
//   first_byte --port P --path /v1/chat/completions --body-file F [--header 'K: V']... [--requests
//   N]
// prints: RESULT first_byte_p50_us=… first_byte_p90_us=… first_byte_p99_us=… total_p50_us=…
// total_p99_us=… requests=N
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Whether `bytes` hold one whole answer: its head, then Content-Length bytes or a chunked body
// up to the last chunk (no trailers: neither nginx nor llmtap sends any).
bool answer_complete(std::string_view bytes) {
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return false;
  std::string head(bytes.substr(0, head_end));
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string_view body = bytes.substr(head_end + 4);
  if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos) {
    return body.size() >= std::stoul(head.substr(at + 17));
  }
  if (head.find("chunked") != std::string::npos) {
    return body.size() >= 5 && body.substr(body.size() - 5) == "0\r\n\r\n";
  }
  return false;  // close-delimited: not used here
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1,
                         static_cast<std::size_t>(q * static_cast<double>(values.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"time to the first byte of an answer over one kept-alive connection"};
  int port = 0;
  std::string path = "/";
  std::string body_file;
  std::vector<std::string> headers;
  int requests = 1000;
  int warmup = 100;
  app.add_option("--port", port, "port on 127.0.0.1")->required();
  app.add_option("--path", path, "request target");
  app.add_option("--body-file", body_file, "POST body")->required();
  app.add_option("--header", headers, "extra header line, e.g. 'Authorization: Bearer x'");
  app.add_option("--requests", requests, "measured requests");
  app.add_option("--warmup", warmup, "requests before measuring");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(body_file, std::ios::binary);
  const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string request =
      "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  for (const auto& header : headers) request += header + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;

  const int fd = connect_to(static_cast<std::uint16_t>(port));
  if (fd < 0) {
    std::fprintf(stderr, "first_byte: cannot connect to 127.0.0.1:%d\n", port);
    return 1;
  }
  std::vector<double> first_byte_us;
  std::vector<double> total_us;
  std::string answer;
  char buffer[64 * 1024];
  for (int i = 0; i < warmup + requests; ++i) {
    answer.clear();
    const auto sent = Clock::now();
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      std::fprintf(stderr, "first_byte: send failed at request %d\n", i);
      return 1;
    }
    Clock::time_point first{};
    while (!answer_complete(answer)) {
      const auto n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        std::fprintf(stderr, "first_byte: connection closed at request %d after %zu bytes\n", i,
                     answer.size());
        return 1;
      }
      if (answer.empty()) first = Clock::now();
      answer.append(buffer, static_cast<std::size_t>(n));
    }
    const auto done = Clock::now();
    if (answer.rfind("HTTP/1.1 200", 0) != 0) {
      std::fprintf(stderr, "first_byte: answer %d is not a 200: %.60s\n", i, answer.c_str());
      return 1;
    }
    if (i < warmup) continue;
    first_byte_us.push_back(std::chrono::duration<double, std::micro>(first - sent).count());
    total_us.push_back(std::chrono::duration<double, std::micro>(done - sent).count());
  }
  ::close(fd);
  std::printf(
      "RESULT first_byte_p50_us=%.0f first_byte_p90_us=%.0f first_byte_p99_us=%.0f "
      "total_p50_us=%.0f "
      "total_p99_us=%.0f requests=%d\n",
      percentile(first_byte_us, 0.5), percentile(first_byte_us, 0.9),
      percentile(first_byte_us, 0.99), percentile(total_us, 0.5), percentile(total_us, 0.99),
      requests);
  return 0;
}
