#include "http/message.h"

#include <algorithm>

namespace llmtap::http {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const Header& header : headers) {
    if (iequals(header.name, name)) return header.value;
  }
  return {};
}

void set_header(Headers& headers, std::string_view name, std::string_view value) {
  std::erase_if(headers, [&](const Header& header) { return iequals(header.name, name); });
  headers.push_back(Header{std::string(name), std::string(value)});
}

std::string_view Request::path() const {
  // A plain loop: find_first_of("?#") runs a memchr over the two-byte set for every byte.
  const std::string_view view(target);
  for (std::size_t i = 0; i < view.size(); ++i) {
    if (view[i] == '?' || view[i] == '#') return view.substr(0, i);
  }
  return view;
}

}  // namespace llmtap::http
