// MessageReader: Beast's HTTP parser (limits, framing, chunked decoding) that puts what it parses
// straight into our Request or Response. Private to src/http/.
//
// Beast's parser<…, string_body> keeps each header in a basic_fields node (an allocation each),
// which the server and the client then copied again into our own message; this appends method or
// status, headers and body to the message as they are parsed, with one reserve for the headers.
// Feed it with put() or beast::http::async_read like any basic_parser.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "http/message.h"

namespace llmtap::http {

template <bool isRequest>
class MessageReader final : public boost::beast::http::basic_parser<isRequest> {
 public:
  using Message = std::conditional_t<isRequest, Request, Response>;

  Message& message() { return message_; }
  unsigned version() const { return version_; }
  bool head_request() const { return head_request_; }  // requests only: the method was HEAD

 private:
  using string_view = boost::beast::string_view;
  using error_code = boost::system::error_code;

  void on_request_impl(boost::beast::http::verb method, string_view method_string,
                       string_view target, int version, error_code&) override {
    if constexpr (isRequest) {
      message_.method.assign(method_string.data(), method_string.size());
      message_.target.assign(target.data(), target.size());
      head_request_ = method == boost::beast::http::verb::head;
    }
    started(version);
  }
  void on_response_impl(int status, string_view, int version, error_code&) override {
    if constexpr (!isRequest) message_.status = status;
    started(version);
  }
  void on_field_impl(boost::beast::http::field, string_view name, string_view value,
                     error_code&) override {
    message_.headers.push_back(
        Header{std::string(name.data(), name.size()), std::string(value.data(), value.size())});
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code&) override {
    // The parser has checked the length against its body limit already.
    if (content_length) message_.body.reserve(static_cast<std::size_t>(*content_length));
  }
  std::size_t on_body_impl(string_view bytes, error_code&) override {
    message_.body.append(bytes.data(), bytes.size());
    return bytes.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view bytes, error_code&) override {
    message_.body.append(bytes.data(), bytes.size());
    return bytes.size();
  }
  void on_finish_impl(error_code&) override {}

  void started(int version) {
    version_ = static_cast<unsigned>(version);
    message_.headers.reserve(16);  // one allocation for a typical message's headers, not five
  }

  Message message_;
  unsigned version_ = 11;
  bool head_request_ = false;
};

}  // namespace llmtap::http
