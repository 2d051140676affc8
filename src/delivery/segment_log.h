// SegmentLog: the disk buffer of one callback — an append-only FIFO of records in numbered segment
// files, each record one length + CRC-32 framed entry (delivery/disk/frame.h) written with write(2)
// calls that either complete the frame or take it back (ftruncate to the frame's start), so the
// log is always a sequence of whole frames and a record survives kill -9 as soon as append()
// returns (fdatasync per FsyncPolicy guards power loss).
//
//   <dir>/seg-<16 hex first seq>.log   frames, see delivery/disk/frame.h
//   <dir>/seg-<…>.ack                  acknowledged seqs of that segment, 8 bytes each, appended
//   <dir>/lock                         flock()ed while open: one process per buffer
//   <dir>/id                           random id of the buffer (stable idempotency keys)
//
// Records get a sequence number that never changes (also across restarts), so a record is acked by
// it from any batch. A segment is deleted once every record in it is acked and the log has moved on
// to a newer segment; nothing is ever rewritten. open() scans every segment: a frame with a bad
// magic, length or CRC, or one cut short, is counted (corrupt_frames) and skipped to the next valid
// frame — never a crash. A segment or .ack file that exists but cannot be opened or read fails
// open() with errc::segment_unreadable (the file is logged and left untouched): recovery never
// deletes what it could not read. Writing always starts a fresh segment after open(), so a torn
// tail is never appended to.
//
// Reading is a cursor over the unacked records not yet handed out. The consumer peeks the record
// at the cursor (peek_next(), a pread on the segment's one read descriptor) and claims it once it
// has taken it into memory (claim()); a record just appended while the cursor is right before it
// can be claimed at once without being read back (the memory window's normal case).
//
// Thread-safety: two sides that never wait on each other's I/O. The writer side, append(), is
// serialised by its own mutex; the consumer side — peek_next(), ack(), read_next() — by another.
// Each side holds a third mutex, over the in-memory books only (segment list, cursor, counters),
// for a few instructions; claim(), counters() and take_unsynced() take only that one. So a
// request thread in append() never waits for a read or an .ack write, only for another append.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "delivery/disk/file_ops.h"
#include "delivery/disk/frame.h"
#include "delivery/errc.h"

namespace llmtap::delivery {

using disk::DiskRecord;

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
  std::shared_ptr<disk::FileOps> file_ops;  // default: the real system calls
};

struct SegmentLogCounters {
  std::uint64_t records = 0;  // unacked records on disk (handed out or not)
  std::uint64_t unread = 0;   // unacked records not yet handed out
  std::uint64_t bytes = 0;    // live segment file bytes
  std::uint64_t segments = 0;
  std::uint64_t corrupt_frames = 0;  // frames skipped: bad magic / length / CRC, or cut short
  std::uint64_t recovered = 0;       // unacked records found by open()
  std::uint64_t write_errors = 0;    // failed writes of a frame or an .ack (ENOSPC included)
  std::uint64_t read_errors = 0;     // segments that could not be opened for reading while running
  std::uint64_t short_writes = 0;    // frames whose write(2) wrote only part (completed or undone)
};

// Where a frame lies: its segment (by first seq) and byte range.
struct DiskPosition {
  std::uint64_t segment = 0;
  std::uint64_t start = 0;
  std::uint64_t end = 0;
};

// full: the budget (max_bytes) is spent or the file system has no space (ENOSPC);
// io_error: any other failed write. Neither leaves any part of the frame in the log.
enum class AppendStatus { ok, full, io_error };
struct AppendResult {
  AppendStatus status = AppendStatus::ok;
  std::uint64_t seq = 0;
  DiskPosition at;
};

// A record at the read cursor, not yet claimed.
struct PeekedRecord {
  DiskRecord record;
  DiskPosition at;
};

class SegmentLog {
 public:
  // Creates `dir` if needed, locks it, recovers what is there. Fails (and logs the path and the
  // system error) when the folder cannot be created, written or locked, or a segment cannot be
  // read.
  static Result<std::unique_ptr<SegmentLog>> open(SegmentLogOptions options);
  ~SegmentLog();
  SegmentLog(const SegmentLog&) = delete;
  SegmentLog& operator=(const SegmentLog&) = delete;

  // Writer side: one frame (plus fdatasync under FsyncPolicy::always).
  AppendResult append(std::uint8_t status, std::string_view call_id, std::string_view json);

  // Consumer side: the next unacked record not yet handed out, in append order, without handing
  // it out; nullopt at the end. Frames that fail their check here are counted and skipped.
  std::optional<PeekedRecord> peek_next();
  // Hands out the record at `at` when the cursor is there (from peek_next(), or append() when
  // nothing older is waiting); false when it is not (someone else took it, or older records wait).
  bool claim(const DiskPosition& at);
  // peek_next() + claim().
  std::optional<DiskRecord> read_next();

  // The records are delivered or dead-lettered: they leave the log. Unknown seqs are ignored.
  void ack(std::span<const std::uint64_t> seqs);

  // True when every unacked record has been handed out (the cursor is at the end).
  bool caught_up() const;
  // Files written since the last call that FsyncPolicy::batch wants synced (empty otherwise).
  std::vector<std::shared_ptr<FileHandle>> take_unsynced();

  SegmentLogCounters counters() const;  // a snapshot
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
    std::uint64_t records = 0;              // valid frames
    std::set<std::uint64_t> acked;          // seqs of this segment acked so far
    std::shared_ptr<FileHandle> ack_file;   // consumer side: opened on first ack
    std::shared_ptr<FileHandle> read_file;  // consumer side: opened on first read
  };
  using Segments = std::map<std::uint64_t, Segment>;

  explicit SegmentLog(SegmentLogOptions options);
  Result<void> recover();
  Result<void> read_instance_id();
  Result<void> list_segments();
  Result<void> scan_segment(Segment& segment);
  bool roll();
  AppendStatus write_frame(Segment& segment, std::uint64_t start);
  bool read_frame(int fd, std::uint64_t offset, std::uint64_t limit, std::string& frame,
                  std::uint64_t& next_offset);
  void normalise_cursor_locked();
  bool advance_cursor_locked(std::uint64_t segment, std::uint64_t from, std::uint64_t to);
  std::vector<Segment> take_finished_locked();
  Segment* segment_of_locked(std::uint64_t seq);

  const SegmentLogOptions options_;
  disk::FileOps& ops_;
  std::string instance_id_;
  std::shared_ptr<FileHandle> lock_file_;

  std::mutex append_mu_;   // the writer side
  std::mutex consume_mu_;  // the consumer side
  mutable std::mutex books_mu_;
  // Writer side, guarded by append_mu_.
  std::shared_ptr<FileHandle> active_;  // write handle of the segment written to, if any
  std::string frame_;                   // reused frame buffer
  bool failing_ = false;                // the last append failed (log once per failing stretch)
  // Guarded by books_mu_.
  Segments segments_;                  // by first seq
  std::uint64_t written_segment_ = 0;  // first seq of the segment append() writes to (0: none)
  std::uint64_t next_seq_ = 1;
  std::uint64_t read_segment_ = 0;  // read cursor: segment (by first seq) and byte offset
  std::uint64_t read_offset_ = 0;
  std::vector<std::shared_ptr<FileHandle>> unsynced_;
  SegmentLogCounters counters_;
};

}  // namespace llmtap::delivery
