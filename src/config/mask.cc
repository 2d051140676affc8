#include "config/mask.h"

#include <algorithm>
#include <cctype>

namespace llmtap::config {
namespace {

constexpr std::size_t kShortSecret = 8;
constexpr std::size_t kKeptPrefix = 4;
// Path segments this long made of token characters are treated as secrets (Sumo Logic and
// similar put the credential in the path).
constexpr std::size_t kTokenSegment = 20;

bool is_token_like(std::string_view segment) {
  return segment.size() >= kTokenSegment && std::all_of(segment.begin(), segment.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '=' ||
                  c == '.' || c == '%';
         });
}

}  // namespace

std::string mask_secret(std::string_view value) {
  if (value.size() <= kShortSecret) return "****";
  return std::string(value.substr(0, kKeptPrefix)) + "****";
}

std::string mask_url(std::string_view url) {
  std::string out;
  const std::size_t scheme_end = url.find("://");
  std::size_t pos = 0;
  if (scheme_end != std::string_view::npos) {
    pos = scheme_end + 3;
    out += url.substr(0, pos);
  }
  const std::size_t authority_end = std::min(url.find_first_of("/?#", pos), url.size());
  std::string_view authority = url.substr(pos, authority_end - pos);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    out += userinfo.substr(0, colon);
    if (colon != std::string_view::npos) out += ":****";
    out += '@';
    authority = authority.substr(at + 1);
  }
  out += authority;
  pos = authority_end;
  // Path: mask token-like segments.
  const std::size_t path_end = std::min(url.find_first_of("?#", pos), url.size());
  while (pos < path_end) {
    std::size_t next = url.find('/', pos + 1);
    if (next == std::string_view::npos || next > path_end) next = path_end;
    std::string_view segment = url.substr(pos, next - pos);  // starts with '/'
    if (!segment.empty() && segment.front() == '/' && is_token_like(segment.substr(1))) {
      out += '/';
      out += mask_secret(segment.substr(1));
    } else {
      out += segment;
    }
    pos = next;
  }
  // Query: keep names, mask values.
  if (pos < url.size() && url[pos] == '?') {
    out += '?';
    ++pos;
    const std::size_t query_end = std::min(url.find('#', pos), url.size());
    std::string_view query = url.substr(pos, query_end - pos);
    bool first = true;
    while (!query.empty() || first) {
      const std::size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      if (!first) out += '&';
      first = false;
      const std::size_t eq = pair.find('=');
      out += pair.substr(0, eq);
      if (eq != std::string_view::npos) out += "=****";
      if (amp == std::string_view::npos) break;
      query = query.substr(amp + 1);
    }
    pos = query_end;
  }
  out += url.substr(std::min(pos, url.size()));
  return out;
}

}  // namespace llmtap::config
