// decompress(): turns a request body sent with `Content-Encoding: gzip | deflate | zstd` back into
// the bytes the sender encoded, refusing to produce more than a caller-given bound (so a small
// "decompression bomb" cannot exhaust memory).
//
// Pure function: no state, no I/O; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace llmtap::sink {

inline constexpr std::size_t kDefaultMaxDecompressedBytes = 64 * 1024 * 1024;

enum class DecompressError {
  none,
  unsupported,  // a Content-Encoding we do not decode (e.g. br, or a list of several)
  corrupt,      // not a valid stream in that encoding, or truncated
  too_large,    // the decoded bytes would exceed the bound
};
const char* to_string(DecompressError error);

struct Decompressed {
  DecompressError error = DecompressError::none;
  std::string message;  // human-readable detail when error != none
  std::string bytes;    // the decoded body when error == none
  bool ok() const { return error == DecompressError::none; }
};

// True when `content_encoding` means "no transformation" (absent or `identity`).
bool is_identity_encoding(std::string_view content_encoding);

// Decodes `body` according to `content_encoding` (case-insensitive: gzip, x-gzip, deflate, zstd,
// identity or empty). gzip and deflate (zlib) are both accepted under either name, since senders
// mix them up; concatenated gzip members and zstd frames are decoded one after another.
Decompressed decompress(std::string_view body, std::string_view content_encoding,
                        std::size_t max_bytes = kDefaultMaxDecompressedBytes);

}  // namespace llmtap::sink
