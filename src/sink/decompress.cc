#include "sink/decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <limits>
#include <memory>

#include "base/ascii.h"

namespace llmtap::sink {
namespace {

using llmtap::ascii::iequals;
using llmtap::ascii::trim;

// Output grows by this much at a time, so a bounded result never over-allocates by more.
constexpr std::size_t kOutputStep = 64 * 1024;

Decompressed failure(DecompressError error, std::string message) {
  Decompressed result;
  result.error = error;
  result.message = std::move(message);
  return result;
}

Decompressed too_large(std::size_t max_bytes) {
  return failure(DecompressError::too_large,
                 "decompressed body exceeds " + std::to_string(max_bytes) + " bytes");
}

// Makes room for the next piece of output; false once the bound is reached.
bool grow(std::string& out, std::size_t used, std::size_t max_bytes) {
  if (used >= max_bytes) return false;
  // One byte past the bound lets us tell "exactly max_bytes" from "more than max_bytes".
  const std::size_t limit = max_bytes + 1;
  out.resize(std::min(limit, used + kOutputStep));
  return true;
}

Decompressed inflate_zlib(std::string_view body, std::size_t max_bytes) {
  z_stream stream{};
  // 15 + 32: the largest window, and detect a zlib or gzip header automatically.
  if (inflateInit2(&stream, 15 + 32) != Z_OK)
    return failure(DecompressError::corrupt, "zlib init failed");
  const auto end_stream = [](z_stream* s) { inflateEnd(s); };
  std::unique_ptr<z_stream, decltype(end_stream)> guard(&stream, end_stream);

  constexpr std::size_t kMaxChunk = std::numeric_limits<uInt>::max();
  std::string out;
  std::size_t used = 0;
  std::string_view input = body;
  bool finished = false;
  while (true) {
    if (stream.avail_in == 0 && !input.empty()) {
      const std::size_t take = std::min(input.size(), kMaxChunk);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
      stream.avail_in = static_cast<uInt>(take);
      input.remove_prefix(take);
    }
    if (used == out.size() && !grow(out, used, max_bytes)) return too_large(max_bytes);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    stream.avail_out = static_cast<uInt>(std::min(out.size() - used, kMaxChunk));
    const uInt before = stream.avail_out;
    const int rc = inflate(&stream, Z_NO_FLUSH);
    used += before - stream.avail_out;
    if (used > max_bytes) return too_large(max_bytes);
    if (rc == Z_STREAM_END) {
      finished = true;
      if (stream.avail_in == 0 && input.empty()) break;
      // Another gzip member follows (RFC 1952 allows several).
      if (inflateReset(&stream) != Z_OK)
        return failure(DecompressError::corrupt, "zlib reset failed");
      finished = false;
      continue;
    }
    if (rc == Z_BUF_ERROR && stream.avail_in == 0 && input.empty()) break;  // input ran out
    if (rc != Z_OK) {
      return failure(DecompressError::corrupt, std::string("invalid gzip/deflate data: ") +
                                                   (stream.msg ? stream.msg : "error"));
    }
  }
  if (!finished) return failure(DecompressError::corrupt, "truncated gzip/deflate data");
  out.resize(used);
  Decompressed result;
  result.bytes = std::move(out);
  return result;
}

Decompressed decompress_zstd(std::string_view body, std::size_t max_bytes) {
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!ctx) return failure(DecompressError::corrupt, "zstd init failed");
  std::string out;
  ZSTD_inBuffer in{body.data(), body.size(), 0};
  std::size_t used = 0;
  std::size_t last = 1;  // 0 once a frame is complete
  if (body.empty()) return failure(DecompressError::corrupt, "empty zstd body");
  while (in.pos < in.size || last != 0) {
    if (used == out.size() && !grow(out, used, max_bytes)) return too_large(max_bytes);
    ZSTD_outBuffer output{out.data() + used, out.size() - used, 0};
    const std::size_t in_before = in.pos;
    last = ZSTD_decompressStream(ctx.get(), &output, &in);
    if (ZSTD_isError(last)) {
      return failure(DecompressError::corrupt,
                     std::string("invalid zstd data: ") + ZSTD_getErrorName(last));
    }
    used += output.pos;
    if (used > max_bytes) return too_large(max_bytes);
    // Nothing consumed and nothing produced with room to spare: the input is truncated.
    if (last != 0 && in.pos == in.size && in.pos == in_before && output.pos < output.size) {
      return failure(DecompressError::corrupt, "truncated zstd data");
    }
  }
  out.resize(used);
  Decompressed result;
  result.bytes = std::move(out);
  return result;
}

}  // namespace

const char* to_string(DecompressError error) {
  switch (error) {
    case DecompressError::none:
      return "none";
    case DecompressError::unsupported:
      return "unsupported";
    case DecompressError::corrupt:
      return "corrupt";
    case DecompressError::too_large:
      return "too_large";
  }
  return "unknown";
}

bool is_identity_encoding(std::string_view content_encoding) {
  const std::string_view value = trim(content_encoding);
  return value.empty() || iequals(value, "identity");
}

Decompressed decompress(std::string_view body, std::string_view content_encoding,
                        std::size_t max_bytes) {
  const std::string_view encoding = trim(content_encoding);
  if (is_identity_encoding(encoding)) {
    if (body.size() > max_bytes) return too_large(max_bytes);
    Decompressed result;
    result.bytes.assign(body);
    return result;
  }
  if (iequals(encoding, "gzip") || iequals(encoding, "x-gzip") || iequals(encoding, "deflate")) {
    return inflate_zlib(body, max_bytes);
  }
  if (iequals(encoding, "zstd")) return decompress_zstd(body, max_bytes);
  return failure(DecompressError::unsupported, "unsupported Content-Encoding '" +
                                                   std::string(encoding) +
                                                   "' (supported: gzip, deflate, zstd)");
}

}  // namespace llmtap::sink
