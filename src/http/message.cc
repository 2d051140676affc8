#include "http/message.h"

#include <algorithm>

#include "base/ascii.h"

namespace llmtap::http {

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const Header& header : headers) {
    if (ascii::iequals(header.name, name)) return header.value;
  }
  return {};
}

void set_header(Headers& headers, std::string_view name, std::string_view value) {
  std::erase_if(headers, [&](const Header& header) { return ascii::iequals(header.name, name); });
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
