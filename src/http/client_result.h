// The values of one client exchange, apart from the Asio client that performs it: the request,
// how it ended (ClientError, classified where the failure happened) and the response. Part of
// llmtap_http_types with message.h and url.h, so modules that only build requests and read
// results (the delivery core and its tests) link no Asio.
//
// ClientError is the http module's errc: registered with LLMTAP_ERROR_CATEGORY ("llmtap.http"), it
// converts to an ErrorCode (`none` is success), so callers can pass it along as one error currency.
// Plain owning value types; thread-safe to move between threads.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/result.h"
#include "http/message.h"
#include "http/url.h"

namespace llmtap::http {

enum class ClientError {
  none,
  bad_url,    // not an http(s) URL we can parse
  resolve,    // DNS failure
  connect,    // TCP connect refused / unreachable
  tls,        // TLS handshake or certificate verification failed
  timeout,    // the request's deadline passed
  io,         // connection reset or closed mid-exchange
  protocol,   // the peer did not speak valid HTTP/1.1
  too_large,  // response body over max_response_bytes
  cancelled,  // a streaming consumer asked to stop
};
const char* to_string(ClientError error);          // "none", "bad_url", …
std::string_view errc_message(ClientError error);  // the same words, for ErrorCode::message()

struct ClientRequest {
  std::string method = "POST";
  std::string url;  // http://host[:port]/path?query or https://…, parsed on each send
  // Instead of `url`, when set: a URL parsed once, for a destination many requests go to.
  std::shared_ptr<const Target> target;
  Headers headers;  // Host, Content-Length and User-Agent are added when missing
  std::string body;
  std::chrono::milliseconds timeout{10000};  // whole exchange, connect included
};

struct ClientResult {
  ClientError error = ClientError::none;
  std::string error_message;  // human-readable detail when error != none
  Response response;          // valid when error == none (any status, 2xx or not)
  bool ok() const { return error == ClientError::none; }
  ErrorCode code() const;  // `error` as an ErrorCode (false when none)
};

}  // namespace llmtap::http

LLMTAP_ERROR_CATEGORY(llmtap::http, ClientError, "llmtap.http");

inline llmtap::ErrorCode llmtap::http::ClientResult::code() const { return error; }
