// HTTP message values shared by the server and the client.
//
// Plain owning value types: a Request or Response can be moved across threads and kept after the
// connection that produced it is gone. Header lookup is case-insensitive, as HTTP requires.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace llmtap::http {

struct Header {
  std::string name;
  std::string value;
  bool operator==(const Header&) const = default;
};
using Headers = std::vector<Header>;

// Value of the first header named `name` (case-insensitive), or an empty view when absent.
std::string_view find_header(const Headers& headers, std::string_view name);

// Replaces every header named `name` (case-insensitive) with one `name: value`.
void set_header(Headers& headers, std::string_view name, std::string_view value);

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as received, e.g. "/v1/chat/completions"
  Headers headers;
  std::string body;
  std::string remote_address;  // peer IP, for requester_ip_address

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
  // The path without its query string.
  std::string_view path() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  std::string_view header(std::string_view name) const { return find_header(headers, name); }
};

}  // namespace llmtap::http
