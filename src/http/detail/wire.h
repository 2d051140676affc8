// HTTP/1.1 message heads written by hand, for the whole-message writes of the server and the
// client. Beast's serializer walks nested buffer views whose bookkeeping cost more instructions
// than the rest of a proxied request (callgrind, docs/PERFORMANCE.md); a head is a few hundred
// bytes, so it is formatted once into a string and written with the body in one gather write.
//
// Framing headers (Content-Length, Transfer-Encoding, Connection) given by the caller are
// dropped: framing is decided from the body actually sent. A header whose name is not an HTTP
// token or whose value holds CR, LF or NUL is dropped too, so nothing can split the message.
// Pure functions; no Asio in this header.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/message.h"

namespace llmtap::http::wire {

// Whether an answer with this status carries no body (1xx, 204, 304; RFC 9110 §6.4.1).
constexpr bool status_without_body(unsigned status) {
  return status < 200 || status == 204 || status == 304;
}

// "HTTP/1.x <status> <reason>", the headers, Content-Length (not for 1xx and 204, which must not
// carry one, nor 304, where it would have to be the length of a body not sent), and the Connection
// header that `keep_alive` needs for `version` (10 or 11), then the blank line.
void append_response_head(std::string& out, unsigned version, unsigned status,
                          const Headers& headers, std::size_t content_length, bool keep_alive);

// The head of a streamed answer: chunked for HTTP/1.1 (`chunked`), else close-delimited (no
// length; the connection closes after the body, so `keep_alive` must be false then).
void append_stream_head(std::string& out, unsigned version, unsigned status, const Headers& headers,
                        bool chunked, bool keep_alive);

// The line that opens one chunk of `size` bytes: hex size and CRLF. The chunk's data follows,
// then CRLF; the last chunk is kLastChunk.
void append_chunk_size(std::string& out, std::size_t size);
inline constexpr std::string_view kChunkEnd = "\r\n";
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// "<method> <target> HTTP/1.1", the headers, Host and User-Agent unless given, and
// Content-Length when there is a body or the method carries one, then the blank line.
void append_request_head(std::string& out, std::string_view method, std::string_view target,
                         const Headers& headers, std::string_view host, std::string_view user_agent,
                         std::size_t content_length);

// Whether a header can be written as is (see above).
bool writable(const Header& header);

}  // namespace llmtap::http::wire
