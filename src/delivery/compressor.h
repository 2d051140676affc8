// compress(): a request body in a callback's `compression` (gzip or zstd), sent with the matching
// Content-Encoding. Applied to the encoded body, after batching: max_batch_bytes bounds the
// uncompressed size, and a signature (webhook_signer.h) covers the uncompressed bytes too.
//
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace llmtap::delivery {

// "gzip", "zstd", or "" for none.
std::string_view content_encoding(config::Compression compression);

// The compressed body; nullopt only when the library fails (out of memory). For none, a copy.
std::optional<std::string> compress(config::Compression compression, std::string_view body);

}  // namespace llmtap::delivery
