// http_request(): a tiny blocking HTTP/1.1 client over plain POSIX sockets, for tests that talk to
// a server on 127.0.0.1. Deliberately independent of src/http/ (the code under test) and of Beast
// (so it compiles fast). One request per connection (`Connection: close`), bounded by a deadline.
// Reads Content-Length, chunked and read-until-close bodies; for chunked bodies it also keeps the
// chunks in arrival order, so SSE tests can check that events were streamed separately.
// Thread-safety: stateless; call from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmtap::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  std::string error;  // non-empty when the exchange failed (connect, timeout, bad HTTP…)
  int status = 0;
  std::string reason;
  HeaderList headers;               // as received, in order
  std::string body;                 // de-chunked
  std::vector<std::string> chunks;  // chunked responses only: each chunk's data, in order
  bool ok() const { return error.empty(); }
  // The first header named `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
};

// Sends one request to 127.0.0.1:`port`. Adds Host, Connection: close and (when there is a body or
// the method is POST/PUT/PATCH) Content-Length unless `headers` has them.
HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view path,
                       const HeaderList& headers = {}, std::string_view body = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds{10});

// Sends `raw` bytes as they are (for malformed or hand-built requests) and reads one response.
// `head_request` marks a response to HEAD, which has no body whatever its headers say.
HttpReply http_exchange_raw(std::uint16_t port, std::string_view raw,
                            std::chrono::milliseconds timeout = std::chrono::seconds{10},
                            bool head_request = false);

}  // namespace llmtap::test
