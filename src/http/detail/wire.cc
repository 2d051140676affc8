#include "http/detail/wire.h"

#include <boost/beast/http/status.hpp>
#include <charconv>

#include "base/ascii.h"

namespace llmtap::http::wire {
namespace {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool framing_header(std::string_view name) {
  return ascii::iequals(name, "content-length") || ascii::iequals(name, "transfer-encoding") ||
         ascii::iequals(name, "connection");
}

void append_number(std::string& out, std::size_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

void append_headers(std::string& out, const Headers& headers) {
  for (const Header& header : headers) {
    if (!framing_header(header.name) && writable(header))
      append_header(out, header.name, header.value);
  }
}

void append_content_length(std::string& out, std::size_t length) {
  out.append("Content-Length: ");
  append_number(out, length);
  out.append("\r\n");
}

bool method_has_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

bool writable(const Header& header) {
  if (header.name.empty()) return false;
  for (char c : header.name) {
    if (!is_token_char(c)) return false;
  }
  for (char c : header.value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

namespace {

void append_status_line(std::string& out, unsigned version, unsigned status) {
  out.append(version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ");
  append_number(out, status);
  out.push_back(' ');
  const auto reason =
      boost::beast::http::obsolete_reason(boost::beast::http::int_to_status(status));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
}

void append_connection(std::string& out, unsigned version, bool keep_alive) {
  // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
  if (version >= 11 && !keep_alive) out.append("Connection: close\r\n");
  if (version < 11 && keep_alive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
}

}  // namespace

void append_response_head(std::string& out, unsigned version, unsigned status,
                          const Headers& headers, std::size_t content_length, bool keep_alive) {
  append_status_line(out, version, status);
  append_headers(out, headers);
  if (!status_without_body(status)) append_content_length(out, content_length);
  append_connection(out, version, keep_alive);
}

void append_stream_head(std::string& out, unsigned version, unsigned status, const Headers& headers,
                        bool chunked, bool keep_alive) {
  append_status_line(out, version, status);
  append_headers(out, headers);
  if (chunked) out.append("Transfer-Encoding: chunked\r\n");
  append_connection(out, version, keep_alive);
}

void append_chunk_size(std::string& out, std::size_t size) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, size, 16);
  out.append(buf, result.ptr);
  out.append("\r\n");
}

void append_request_head(std::string& out, std::string_view method, std::string_view target,
                         const Headers& headers, std::string_view host, std::string_view user_agent,
                         std::size_t content_length) {
  out.append(method).push_back(' ');
  out.append(target).append(" HTTP/1.1\r\n");
  append_headers(out, headers);
  if (find_header(headers, "host").empty()) append_header(out, "Host", host);
  if (find_header(headers, "user-agent").empty() && !user_agent.empty())
    append_header(out, "User-Agent", user_agent);
  if (content_length != 0 || method_has_body(method)) append_content_length(out, content_length);
  out.append("\r\n");
}

}  // namespace llmtap::http::wire
