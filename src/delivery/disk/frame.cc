#include "delivery/disk/frame.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace llmtap::delivery::disk {
namespace {

template <typename T>
T load(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

std::uint32_t crc_of(const char* data, std::size_t n) {
  return static_cast<std::uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

std::size_t call_id_bytes(std::string_view call_id) {
  return std::min<std::size_t>(call_id.size(), 0xFFFF);
}

}  // namespace

std::size_t body_bytes(std::string_view call_id, std::string_view json) {
  return kBodyFixedBytes + call_id_bytes(call_id) + json.size();
}

void encode_frame(std::string& out, std::uint64_t seq, std::uint8_t status,
                  std::string_view call_id, std::string_view json) {
  const std::size_t id_len = call_id_bytes(call_id);
  const std::size_t body_len = body_bytes(call_id, json);
  const std::size_t start = out.size();
  put<std::uint32_t>(out, kMagic);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(body_len));
  put<std::uint32_t>(out, 0);  // CRC, filled below
  put<std::uint64_t>(out, seq);
  out.push_back(static_cast<char>(status));
  put<std::uint16_t>(out, static_cast<std::uint16_t>(id_len));
  out.append(call_id.substr(0, id_len));
  out.append(json);
  const std::uint32_t crc = crc_of(out.data() + start + kHeaderBytes, body_len);
  std::memcpy(out.data() + start + 8, &crc, sizeof crc);
}

std::uint32_t announced_body_bytes(const char* header) {
  if (load<std::uint32_t>(header) != kMagic) return 0;
  const std::uint32_t len = load<std::uint32_t>(header + 4);
  return len < kBodyFixedBytes || len > kMaxBodyBytes ? 0 : len;
}

std::size_t check_frame(const char* data, std::size_t avail) {
  if (avail < kHeaderBytes) return 0;
  const std::uint32_t len = announced_body_bytes(data);
  if (len == 0 || len > avail - kHeaderBytes) return 0;
  if (crc_of(data + kHeaderBytes, len) != load<std::uint32_t>(data + 8)) return 0;
  const std::uint16_t id_len = load<std::uint16_t>(data + kHeaderBytes + 9);
  if (kBodyFixedBytes + id_len > len) return 0;
  return kHeaderBytes + len;
}

DiskRecord decode_frame(const char* frame, std::size_t size) {
  const char* body = frame + kHeaderBytes;
  const std::size_t len = size - kHeaderBytes;
  DiskRecord r;
  r.seq = load<std::uint64_t>(body);
  r.status = static_cast<std::uint8_t>(body[8]);
  const std::uint16_t id_len = load<std::uint16_t>(body + 9);
  r.call_id.assign(body + kBodyFixedBytes, id_len);
  r.json.assign(body + kBodyFixedBytes + id_len, len - kBodyFixedBytes - id_len);
  return r;
}

std::uint64_t seq_of_frame(const char* frame) { return load<std::uint64_t>(frame + kHeaderBytes); }

std::size_t find_magic(const char* data, std::size_t n, std::size_t from) {
  char magic[sizeof kMagic];
  std::memcpy(magic, &kMagic, sizeof magic);
  if (from >= n) return n;
  const char* hit = std::search(data + from, data + n, magic, magic + sizeof magic);
  return static_cast<std::size_t>(hit - data);
}

}  // namespace llmtap::delivery::disk
