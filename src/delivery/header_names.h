// Case-insensitive header-name comparison for the delivery core. http::iequals does the same, but
// the sans-I/O core must link without the http library (its unit tests need no sockets).
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

namespace llmtap::delivery {

inline bool header_name_equals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace llmtap::delivery
