// Encoder: turns a batch of Records into one HTTP request body for a callback's log_format, by
// concatenating the records' already-serialized bytes (never re-parsing or re-serializing them):
//   json_array  `[r1,r2]`        application/json
//   ndjson      `r1\nr2\n`       application/x-ndjson (final newline included)
//   single      `r1`             application/json (the Batcher gives single batches one record)
// The body is allocated once at its exact size. Compression and envelopes (Splunk HEC…) belong
// here later, as further steps over the same bytes.
//
// Lifecycle: a small value; thread-safety: const methods, safe from any thread.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "config/config.h"
#include "payload/record.h"

namespace llmtap::delivery {

class Encoder {
 public:
  explicit Encoder(config::LogFormat format) : format_(format) {}

  config::LogFormat format() const { return format_; }
  // The Content-Type the body is sent with unless the callback's headers set one.
  std::string_view content_type() const;
  // Exact size of encode(records).
  std::size_t encoded_size(std::span<const payload::Record> records) const;
  std::string encode(std::span<const payload::Record> records) const;

 private:
  config::LogFormat format_;
};

}  // namespace llmtap::delivery
