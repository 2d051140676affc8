#include "base/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <initializer_list>
#include <memory>

namespace llmtap {
namespace {

constexpr std::size_t kBlockSize = 64;  // SHA-256's block, the HMAC key's padded length

// Fetched once and never freed: it lives as long as the process (OpenSSL frees providers at
// exit), and fetching per call is what makes the one-shot APIs slow.
const EVP_MD* sha256_md() {
  static EVP_MD* const kSha256 = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) std::abort();  // no default provider: nothing here can work
    return fetched;
  }();
  return kSha256;
}

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

// One context per thread, initialised again for each digest.
EVP_MD_CTX* thread_context() {
  thread_local std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(EVP_MD_CTX_new());
  if (!context) std::abort();
  return context.get();
}

// SHA-256 over the concatenation of `parts`.
Sha256Digest digest_of(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* context = thread_context();
  Sha256Digest digest{};
  unsigned int length = 0;
  bool ok = EVP_DigestInit_ex2(context, sha256_md(), nullptr) == 1;
  for (const std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(context, part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(context, digest.data(), &length) == 1;
  if (!ok || length != kSha256Size) std::abort();  // only on allocation failure inside OpenSSL
  return digest;
}

std::string_view as_chars(std::span<const unsigned char> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

Sha256Digest sha256(std::string_view bytes) { return digest_of({bytes}); }

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  // RFC 2104: H((K ^ opad) || H((K ^ ipad) || message)), K zero-padded to the block size.
  std::array<unsigned char, kBlockSize> padded{};
  if (key.size() > kBlockSize) {
    const Sha256Digest hashed = sha256(key);
    std::copy(hashed.begin(), hashed.end(), padded.begin());
  } else {
    std::copy(key.begin(), key.end(), padded.begin());
  }
  std::array<unsigned char, kBlockSize> inner_pad{};
  std::array<unsigned char, kBlockSize> outer_pad{};
  for (std::size_t i = 0; i < kBlockSize; ++i) {
    inner_pad[i] = static_cast<unsigned char>(padded[i] ^ 0x36U);
    outer_pad[i] = static_cast<unsigned char>(padded[i] ^ 0x5cU);
  }
  const Sha256Digest inner = digest_of({as_chars(inner_pad), message});
  const Sha256Digest outer = digest_of({as_chars(outer_pad), as_chars(inner)});
  // The padded key is the secret itself (or its hash): leave no copy on the stack.
  OPENSSL_cleanse(padded.data(), padded.size());
  OPENSSL_cleanse(inner_pad.data(), inner_pad.size());
  OPENSSL_cleanse(outer_pad.data(), outer_pad.size());
  return outer;
}

Sha256Digest hmac_sha256(const Sha256Digest& key, std::string_view message) {
  return hmac_sha256(as_chars(key), message);
}

void append_hex_lower(std::string& out, std::span<const unsigned char> bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  const std::size_t start = out.size();
  out.resize(start + 2 * bytes.size());
  char* cursor = out.data() + start;
  for (const unsigned char byte : bytes) {
    *cursor++ = kDigits[byte >> 4U];
    *cursor++ = kDigits[byte & 0xfU];
  }
}

std::string hex_lower(std::span<const unsigned char> bytes) {
  std::string out;
  append_hex_lower(out, bytes);
  return out;
}

}  // namespace llmtap
