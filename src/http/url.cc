#include "http/url.h"

#include <charconv>

#include "base/ascii.h"

namespace llmtap::http {
namespace {

constexpr std::uint16_t kHttpPort = 80;
constexpr std::uint16_t kHttpsPort = 443;

std::uint16_t default_port(std::string_view scheme) {
  return scheme == "https" ? kHttpsPort : kHttpPort;
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '%';
}

bool valid_ipv6_char(char c) {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' ||
         c == '.';
}

}  // namespace

std::string Url::authority() const {
  // Appended piece by piece, not with operator+: GCC 12 at -O3 reports a false -Wrestrict on
  // "[" + host + "]" and ":" + std::to_string(port), which -Werror turns into a failed build.
  std::string out;
  if (host.find(':') != std::string::npos) {
    out.reserve(host.size() + 2);
    out.push_back('[');
    out += host;
    out.push_back(']');
  } else {
    out = host;
  }
  if (port != default_port(scheme)) {
    out.push_back(':');
    out += std::to_string(port);
  }
  return out;
}

std::optional<Url> parse_url(std::string_view text) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string_view scheme = text.substr(0, scheme_end);
  if (ascii::iequals(scheme, "http")) {
    url.scheme = "http";
  } else if (ascii::iequals(scheme, "https")) {
    url.scheme = "https";
  } else {
    return std::nullopt;
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (const auto fragment = rest.find('#'); fragment != std::string_view::npos)
    rest = rest.substr(0, fragment);

  const auto authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view target =
      authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host;
  std::string_view port_text;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    if (host.empty() || host.find(':') == std::string_view::npos) return std::nullopt;
    for (char c : host) {
      if (!valid_ipv6_char(c)) return std::nullopt;
    }
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return std::nullopt;
    }
    if (host.empty()) return std::nullopt;
    for (char c : host) {
      if (!valid_host_char(c)) return std::nullopt;
    }
  }
  url.host = std::string(host);

  if (port_text.empty()) {
    url.port = default_port(url.scheme);
  } else {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return std::nullopt;
    }
    url.port = static_cast<std::uint16_t>(value);
  }

  // A leading "/" pushed first rather than insert(0, "/"): the same false -Wrestrict.
  if (target.empty() || target.front() == '?') {
    url.target.reserve(target.size() + 1);
    url.target.push_back('/');
  }
  url.target += target;
  return url;
}

std::shared_ptr<const Target> make_target(std::string_view text) {
  auto url = parse_url(text);
  if (!url) return nullptr;
  auto target = std::make_shared<Target>();
  target->authority = url->authority();
  target->pool_key = url->scheme + "://" + target->authority;
  target->url = std::move(*url);
  return target;
}

}  // namespace llmtap::http
