#include "delivery/compressor.h"

#include <zlib.h>
#include <zstd.h>

#include <limits>

namespace llmtap::delivery {
namespace {

// Level 6 / 3: each library's default balance; log JSON shrinks ~5-10x either way.
constexpr int kGzipLevel = 6;
constexpr int kZstdLevel = 3;

std::optional<std::string> gzip(std::string_view body) {
  if (body.size() > std::numeric_limits<uInt>::max()) return std::nullopt;
  z_stream stream{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&stream, kGzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&stream, static_cast<uLong>(body.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::optional<std::string> zstd(std::string_view body) {
  std::string out(ZSTD_compressBound(body.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), body.data(), body.size(), kZstdLevel);
  if (ZSTD_isError(n)) return std::nullopt;
  out.resize(n);
  return out;
}

}  // namespace

std::string_view content_encoding(config::Compression compression) {
  switch (compression) {
    case config::Compression::none:
      return "";
    case config::Compression::gzip:
      return "gzip";
    case config::Compression::zstd:
      return "zstd";
  }
  return "";
}

std::optional<std::string> compress(config::Compression compression, std::string_view body) {
  switch (compression) {
    case config::Compression::none:
      return std::string(body);
    case config::Compression::gzip:
      return gzip(body);
    case config::Compression::zstd:
      return zstd(body);
  }
  return std::nullopt;
}

}  // namespace llmtap::delivery
