#include "base/json_escape.h"

#include <simdjson.h>

namespace llmtap::json {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  return simdjson::validate_utf8(bytes.data(), bytes.size());
}

// Decodes UTF-8 by hand and replaces each maximal invalid subpart (Unicode §3.9, as WHATWG does)
// with U+FFFD. The slow path: taken only when a fast validity check has failed.
void append_utf8_repaired(std::string& out, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::size_t need = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c == 0xE0) {
      need = 2, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      need = 2;
    } else if (c == 0xED) {
      need = 2, hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      need = 3, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      need = 3;
    } else if (c == 0xF4) {
      need = 3, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      out.append(kReplacement);
      ++i;
      continue;
    }
    std::size_t j = 1;
    for (; j <= need && i + j < n; ++j) {
      const unsigned char cc = p[i + j];
      if (cc < (j == 1 ? lo : 0x80) || cc > (j == 1 ? hi : 0xBF)) break;
    }
    if (j == need + 1) {
      out.append(bytes.data() + i, need + 1);
    } else {
      out.append(kReplacement);
    }
    i += j;
  }
}

void append_escaped(std::string& out, std::string_view text) { escape_into(out, text); }

void append_quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  escape_into(out, text);
  out.push_back('"');
}

}  // namespace llmtap::json
