// decode_body(): turns one POST body received by the sink into the log records it carries, keeping
// each record's exact bytes (no re-serialization), so tests can compare what llmtap sent.
//
// Shapes, after undoing Content-Encoding (gzip / deflate / zstd, bounded):
//   json_array  a JSON array; each element is a record (`[{…},{…}]`, `[]` is zero records)
//   ndjson      Content-Type application/x-ndjson (or jsonl), or several objects one per line
//   single      one JSON object
// Every record must be a valid JSON object (simdjson validates it, UTF-8 included).
// Pure function: no state, no I/O; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sink/decompress.h"

namespace llmtap::sink {

enum class BodyFormat { json_array, ndjson, single };
const char* to_string(BodyFormat format);  // "json_array", "ndjson", "single"

enum class DecodeError {
  none,
  unsupported_encoding,  // Content-Encoding we do not decode        → 415
  too_large,             // decompressed body over the bound          → 413
  bad_encoding,          // corrupt or truncated gzip / zstd          → 400
  empty,                 // nothing but whitespace                    → 400
  bad_json,              // not JSON, or a record that is not an object → 400
};
const char* to_string(DecodeError error);
// The HTTP status the sink answers for `error` (200 for none).
int http_status(DecodeError error);

struct DecodeOptions {
  std::size_t max_decompressed_bytes = kDefaultMaxDecompressedBytes;
};

struct DecodedBody {
  DecodeError error = DecodeError::none;
  std::string message;  // human-readable detail when error != none
  BodyFormat format = BodyFormat::single;
  std::vector<std::string> records;  // each record's bytes exactly as sent (minus line breaks)
  bool ok() const { return error == DecodeError::none; }
};

DecodedBody decode_body(std::string_view body, std::string_view content_type,
                        std::string_view content_encoding, const DecodeOptions& options = {});

}  // namespace llmtap::sink
