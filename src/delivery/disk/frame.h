// The disk buffer's frame codec: pure functions over bytes, no I/O. One record is one frame
//
//   magic u32 | body length u32 | crc32(body) u32 | body
//   body: seq u64 | status u8 | call id length u16 | call id | json
//
// in host byte order (the buffer is local to one machine). check_frame() accepts a frame only
// when magic, length and CRC agree, so a torn or damaged frame is never taken for data; after
// damage, find_magic() finds where the next frame may start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmtap::delivery::disk {

inline constexpr std::uint32_t kMagic = 0x4B50544C;  // "LTPK" read as little-endian bytes
inline constexpr std::size_t kHeaderBytes = 12;
inline constexpr std::size_t kBodyFixedBytes = 8 + 1 + 2;
inline constexpr std::uint32_t kMaxBodyBytes = 256u * 1024 * 1024;

// One record as stored in the disk buffer.
struct DiskRecord {
  std::uint64_t seq = 0;
  std::uint8_t status = 0;  // payload::RecordStatus as stored
  std::string call_id;
  std::string json;
};

// The body length of a record with these parts (the call id is cut at 65535 bytes).
std::size_t body_bytes(std::string_view call_id, std::string_view json);

// Appends the frame of one record to `out`.
void encode_frame(std::string& out, std::uint64_t seq, std::uint8_t status,
                  std::string_view call_id, std::string_view json);

// The size of the valid frame at data[0..avail), or 0 when it is not one (bad magic, length or
// CRC, or it runs past `avail`).
std::size_t check_frame(const char* data, std::size_t avail);

// The body length a frame header (kHeaderBytes at `header`) announces, or 0 when the magic or
// the length is impossible.
std::uint32_t announced_body_bytes(const char* header);

// Decodes a frame check_frame() accepted.
DiskRecord decode_frame(const char* frame, std::size_t size);

// The seq of a frame check_frame() accepted.
std::uint64_t seq_of_frame(const char* frame);

// The offset of the first magic number in data[from..n), or n when there is none.
std::size_t find_magic(const char* data, std::size_t n, std::size_t from);

}  // namespace llmtap::delivery::disk
