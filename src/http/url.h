// Url: the parts of an http:// or https:// URL that a client needs to open a connection.
//
// parse_url() is a pure function (no I/O, thread-safe); other modules use it to validate
// configured endpoints at start-up. User info ("user@host") is rejected rather than silently
// dropped, and the fragment is removed from the target.
//
// Target is a URL parsed once, for a destination many requests go to (a deployment's route): the
// client would otherwise parse the URL and format its Host value and pool key on every request.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace llmtap::http {

struct Url {
  std::string scheme;      // "http" or "https", lower case
  std::string host;        // name or IP; an IPv6 literal without its brackets ("::1")
  std::uint16_t port = 0;  // explicit, or 80 / 443 by scheme
  std::string target;      // path and query, "/" when the URL has no path

  bool tls() const { return scheme == "https"; }
  // Host header value: host, bracketed when IPv6, with ":port" unless it is the scheme's default.
  std::string authority() const;
  bool operator==(const Url&) const = default;
};

// Parses an absolute http(s) URL; nullopt when it is not one we can connect to.
std::optional<Url> parse_url(std::string_view text);

// A parsed URL with what every request to it needs, computed once. Immutable: share it freely.
struct Target {
  Url url;
  std::string authority;  // url.authority(): the Host header's value
  std::string pool_key;   // "scheme://authority": requests with equal keys share idle connections
};

// nullptr when `text` is not a URL parse_url() accepts.
std::shared_ptr<const Target> make_target(std::string_view text);

}  // namespace llmtap::http
