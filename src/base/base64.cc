#include "base/base64.h"

#include <openssl/evp.h>

#include <cctype>

namespace llmtap {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > (1u << 20)) return std::nullopt;
  const std::size_t data_end = text.find_last_not_of('=') + 1;
  const std::size_t padding = text.size() - data_end;
  if (padding > 2) return std::nullopt;
  // EVP_DecodeBlock skips leading/trailing whitespace, so check the alphabet ourselves.
  for (std::size_t i = 0; i < data_end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!(std::isalnum(c) || c == '+' || c == '/')) return std::nullopt;
  }
  std::string out(3 * (text.size() / 4), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) -
             padding);  // EVP_DecodeBlock counts padding as zero bytes
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  out.erase(out.find_last_not_of('=') + 1);
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1 || text.size() > (1u << 20)) return std::nullopt;
  if (text.empty()) return std::string();
  std::string standard(text);
  for (char& c : standard) {
    // '+', '/' and '=' are not in the URL-safe alphabet; base64_decode checks the rest.
    if (c == '+' || c == '/' || c == '=') return std::nullopt;
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  standard.append((4 - standard.size() % 4) % 4, '=');
  return base64_decode(standard);
}

}  // namespace llmtap
