// SegmentLog: the disk buffer of one callback — an append-only FIFO of records in numbered segment
// files, each record one length + CRC-32 framed entry written with a single write(2), so a record
// survives kill -9 as soon as append() returns (fdatasync per FsyncPolicy guards power loss).
//
//   <dir>/seg-<16 hex first seq>.log   frames: magic u32 | body length u32 | crc32(body) u32 | body
//                                      body:   seq u64 | status u8 | call id length u16 | call id | json
//   <dir>/seg-<…>.ack                  acknowledged seqs of that segment, 8 bytes each, appended
//   <dir>/lock                         flock()ed while open: one process per buffer
//
// Records get a sequence number that never changes (also across restarts), so a record is acked by
// it from any batch. A segment is deleted once every record in it is acked and the log has moved on
// to a newer segment; nothing is ever rewritten. open() scans every segment: a frame with a bad
// magic, length or CRC, or one cut short, is counted (corrupt_frames) and skipped to the next valid
// frame — never a crash. Writing always starts a fresh segment after open(), so a torn tail is never
// appended to. Integers are stored in host byte order (the buffer is local to one machine).
//
// Reading is a cursor over the unacked records not yet handed out (read_next()); records appended
// while the cursor is at the end can be marked as handed out directly (skip_to_end()), so a record
// that fits the memory window is never read back.
//
// Thread-safety: none. The owning Pipeline serialises every call under its mutex; only fdatasync of
// handles from take_unsynced() may run outside it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace llmtap::delivery {

// An open file descriptor, closed when the last holder lets go (fdatasync may outlive a roll).
class FileHandle {
 public:
  explicit FileHandle(int fd) : fd_(fd) {}
  ~FileHandle();
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int fd() const { return fd_; }
  bool sync() const;  // fdatasync; false on error

 private:
  int fd_;
};

struct SegmentLogOptions {
  std::string dir;
  std::size_t segment_bytes = 16 * 1024 * 1024;  // roll to a new segment past this size
  std::size_t max_bytes = std::size_t{1} << 30;  // disk budget: live segment bytes at most
  config::FsyncPolicy fsync = config::FsyncPolicy::batch;
};

struct SpoolRecord {
  std::uint64_t seq = 0;
  std::uint8_t status = 0;  // payload::RecordStatus as stored
  std::string call_id;
  std::string json;
};

struct SegmentLogCounters {
  std::uint64_t records = 0;         // unacked records on disk (handed out or not)
  std::uint64_t unread = 0;          // unacked records not yet handed out by read_next()
  std::uint64_t bytes = 0;           // live segment file bytes
  std::uint64_t segments = 0;
  std::uint64_t corrupt_frames = 0;  // frames skipped: bad magic / length / CRC, or cut short
  std::uint64_t recovered = 0;       // unacked records found by open()
  std::uint64_t write_errors = 0;
};

enum class AppendStatus { ok, full, io_error };
struct AppendResult {
  AppendStatus status = AppendStatus::ok;
  std::uint64_t seq = 0;
};

class SegmentLog {
 public:
  // Creates `dir` if needed, locks it, recovers what is there. nullptr + `error` when the folder
  // cannot be created or locked (another process holds it).
  static std::unique_ptr<SegmentLog> open(SegmentLogOptions options, std::string* error);
  ~SegmentLog();
  SegmentLog(const SegmentLog&) = delete;
  SegmentLog& operator=(const SegmentLog&) = delete;

  // One write(2) of one frame (plus fdatasync under FsyncPolicy::always). `full` when the frame
  // would take the live bytes past max_bytes.
  AppendResult append(std::uint8_t status, std::string_view call_id, std::string_view json);

  // True when every unacked record has been handed out (the cursor is at the end).
  bool caught_up() const { return counters_.unread == 0; }
  // Marks everything appended so far as handed out; only meaningful when caught_up() was true
  // before the last append (the caller keeps those records in memory).
  void skip_to_end();
  // The next unacked record not yet handed out, in append order; nullopt at the end. Frames that
  // fail their check here (the file changed under us) are counted and skipped.
  std::optional<SpoolRecord> read_next();

  // The records are delivered or dead-lettered: they leave the log. Unknown seqs are ignored.
  void ack(std::span<const std::uint64_t> seqs);

  // Files written since the last call that FsyncPolicy::batch wants synced (empty otherwise).
  std::vector<std::shared_ptr<FileHandle>> take_unsynced();

  const SegmentLogCounters& counters() const { return counters_; }
  const SegmentLogOptions& options() const { return options_; }
  // A random id made when the folder was first used, kept in <dir>/id: with a seq it names a
  // record uniquely across restarts (stable idempotency keys).
  const std::string& instance_id() const { return instance_id_; }

 private:
  struct Segment {
    std::uint64_t first_seq = 0;
    std::string path;      // .log
    std::string ack_path;  // .ack
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;  // valid frames
    std::set<std::uint64_t> acked;  // seqs of this segment acked so far
    std::shared_ptr<FileHandle> ack_file;  // opened on first ack
  };

  explicit SegmentLog(SegmentLogOptions options);
  bool recover(std::string* error);
  void scan_segment(Segment& segment);
  bool roll();
  void maybe_delete(std::map<std::uint64_t, Segment>::iterator it);
  Segment* segment_of(std::uint64_t seq);

  SegmentLogOptions options_;
  std::string instance_id_;
  std::shared_ptr<FileHandle> lock_file_;
  std::map<std::uint64_t, Segment> segments_;  // by first seq; the last one is written to
  std::shared_ptr<FileHandle> active_;         // write handle of segments_.rbegin(), if any
  std::uint64_t next_seq_ = 1;
  // Read cursor: the segment (by first seq) and byte offset of the next frame to hand out.
  std::uint64_t read_segment_ = 0;
  std::uint64_t read_offset_ = 0;
  std::vector<std::shared_ptr<FileHandle>> unsynced_;
  std::string frame_;  // reused frame buffer
  SegmentLogCounters counters_;
};

}  // namespace llmtap::delivery
