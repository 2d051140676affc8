#include "delivery/segment_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;
using disk::kHeaderBytes;

constexpr std::size_t kResyncChunk = 64 * 1024;

// The whole file through `ops`; false (errno set) when a read fails.
bool read_all(disk::FileOps& ops, int fd, std::string& out) {
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ops.read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// pread until `n` bytes or end of file; the bytes read.
std::size_t pread_full(disk::FileOps& ops, int fd, char* out, std::size_t n, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ops.pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

std::string segment_name(std::uint64_t first_seq, const char* ext) {
  return fmt::format("seg-{:016x}.{}", first_seq, ext);
}

std::string random_hex() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}", rd(), rd());
}

// Reads `path` whole. A missing file is empty (`missing_ok`); any other failure is logged.
Result<void> read_file(disk::FileOps& ops, const std::string& path, std::string& out,
                       bool missing_ok) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && missing_ok) return {};
  if (fd < 0 || !read_all(ops, fd, out)) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    spdlog::error("{}: cannot read disk buffer file: {}", path, std::strerror(err));
    return errc::segment_unreadable;
  }
  ::close(fd);
  return {};
}

std::uint64_t load_u64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void append_u64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileHandle::sync() const { return ::fdatasync(fd_) == 0; }

SegmentLog::SegmentLog(SegmentLogOptions options)
    : options_(std::move(options)),
      ops_(options_.file_ops ? *options_.file_ops : *disk::system_file_ops()) {}

SegmentLog::~SegmentLog() = default;

Result<std::unique_ptr<SegmentLog>> SegmentLog::open(SegmentLogOptions options) {
  if (!options.file_ops) options.file_ops = disk::system_file_ops();
  std::unique_ptr<SegmentLog> log(new SegmentLog(std::move(options)));
  if (auto recovered = log->recover(); !recovered) return recovered.error();
  return log;
}

Result<void> SegmentLog::recover() {
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec) {
    spdlog::error("{}: cannot create the disk buffer folder: {}", options_.dir, ec.message());
    return errc::buffer_folder_unusable;
  }
  const std::string lock_path = options_.dir + "/lock";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) {
    spdlog::error("{}: cannot open the lock file: {}", lock_path, std::strerror(errno));
    return errc::buffer_folder_unusable;
  }
  lock_file_ = std::make_shared<FileHandle>(lock_fd);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) return errc::buffer_locked;
  if (auto id = read_instance_id(); !id) return id;
  if (auto listed = list_segments(); !listed) return listed;

  // Read everything first: a segment that cannot be read fails start-up before anything is
  // deleted.
  for (auto& [first, seg] : segments_) {
    if (auto scanned = scan_segment(seg); !scanned) return scanned;
    next_seq_ = std::max(next_seq_, first);
  }
  for (auto it = segments_.begin(); it != segments_.end();) {
    const Segment& seg = it->second;
    if (seg.acked.size() >= seg.records) {
      // Nothing left to send: the segment only costs disk.
      fs::remove(seg.path, ec);
      fs::remove(seg.ack_path, ec);
      it = segments_.erase(it);
      continue;
    }
    counters_.records += seg.records - seg.acked.size();
    counters_.bytes += seg.bytes;
    ++it;
  }
  counters_.segments = segments_.size();
  counters_.unread = counters_.records;
  counters_.recovered = counters_.records;
  if (!segments_.empty()) read_segment_ = segments_.begin()->first;
  if (counters_.recovered > 0 || counters_.corrupt_frames > 0) {
    spdlog::info("{}: recovered {} undelivered record(s) in {} segment(s){}", options_.dir,
                 counters_.recovered, counters_.segments,
                 counters_.corrupt_frames
                     ? fmt::format("; skipped {} corrupt frame(s)", counters_.corrupt_frames)
                     : "");
  }
  return {};
}

Result<void> SegmentLog::read_instance_id() {
  const std::string id_path = options_.dir + "/id";
  if (auto read = read_file(ops_, id_path, instance_id_, true); !read) return read;
  while (!instance_id_.empty() && (instance_id_.back() == '\n' || instance_id_.back() == ' ')) {
    instance_id_.pop_back();
  }
  if (!instance_id_.empty()) return {};
  instance_id_ = random_hex();
  int fd = ::open(id_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const std::string line = instance_id_ + "\n";
  const bool ok = fd >= 0 && disk::write_fully(ops_, fd, line.data(), line.size()) == line.size();
  const int err = errno;
  if (fd >= 0) ::close(fd);
  if (!ok) {
    spdlog::error("{}: cannot write the id file: {}", id_path, std::strerror(err));
    return errc::buffer_folder_unusable;
  }
  return {};
}

Result<void> SegmentLog::list_segments() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 24 || name.rfind("seg-", 0) != 0 || name.substr(20) != ".log") continue;
    std::uint64_t first = 0;
    try {
      first = std::stoull(name.substr(4, 16), nullptr, 16);
    } catch (const std::exception&) {
      continue;
    }
    Segment seg;
    seg.first_seq = first;
    seg.path = entry.path().string();
    seg.ack_path = options_.dir + "/" + segment_name(first, "ack");
    segments_.emplace(first, std::move(seg));
  }
  if (ec) {
    spdlog::error("{}: cannot list the disk buffer folder: {}", options_.dir, ec.message());
    return errc::buffer_folder_unusable;
  }
  return {};
}

Result<void> SegmentLog::scan_segment(Segment& seg) {
  std::string acks;
  if (auto read = read_file(ops_, seg.ack_path, acks, true); !read) return read;
  std::set<std::uint64_t> acked_file;
  for (std::size_t i = 0; i + 8 <= acks.size(); i += 8)
    acked_file.insert(load_u64(acks.data() + i));

  std::string data;
  if (auto read = read_file(ops_, seg.path, data, false); !read) return read;
  seg.bytes = data.size();
  bool in_bad_region = false;
  std::size_t at = 0;
  while (at < data.size()) {
    const std::size_t size = disk::check_frame(data.data() + at, data.size() - at);
    if (size == 0) {
      // One count per damaged stretch; resync on the next magic number.
      if (!in_bad_region) ++counters_.corrupt_frames;
      in_bad_region = true;
      at = disk::find_magic(data.data(), data.size(), at + 1);
      continue;
    }
    in_bad_region = false;
    const std::uint64_t seq = disk::seq_of_frame(data.data() + at);
    ++seg.records;
    if (acked_file.count(seq)) seg.acked.insert(seq);
    next_seq_ = std::max(next_seq_, seq + 1);
    at += size;
  }
  return {};
}

// Writer side, append_mu_ held.
bool SegmentLog::roll() {
  std::uint64_t first = 0;
  {
    std::lock_guard books(books_mu_);
    if (active_ && options_.fsync == config::FsyncPolicy::batch) unsynced_.push_back(active_);
    first = next_seq_;
  }
  active_.reset();
  Segment seg;
  seg.first_seq = first;
  seg.path = options_.dir + "/" + segment_name(first, "log");
  seg.ack_path = options_.dir + "/" + segment_name(first, "ack");
  int fd = ::open(seg.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    spdlog::error("{}: cannot create segment: {}", seg.path, std::strerror(errno));
    return false;
  }
  active_ = std::make_shared<FileHandle>(fd);
  std::lock_guard books(books_mu_);
  // The previous segment is no longer written: once fully acked, ack() deletes it.
  written_segment_ = first;
  segments_.emplace(first, std::move(seg));
  counters_.segments = segments_.size();
  return true;
}

// Writer side, append_mu_ held: writes frame_ at `start` of `seg` (the active segment) whole, or
// takes back what a failed write left.
AppendStatus SegmentLog::write_frame(Segment& seg, std::uint64_t start) {
  const std::size_t wrote = disk::write_fully(ops_, active_->fd(), frame_.data(), frame_.size());
  if (wrote == frame_.size()) {
    if (failing_) spdlog::info("{}: appending to the disk buffer works again", seg.path);
    failing_ = false;
    return AppendStatus::ok;
  }
  const int err = errno;
  // Take back the partial frame, so the log stays a sequence of whole frames.
  const bool taken_back =
      wrote == 0 || ops_.ftruncate(active_->fd(), static_cast<off_t>(start)) == 0;
  if (!taken_back) {
    // The partial frame stays (it fails its CRC): count its bytes and never append after it.
    spdlog::error("{}: cannot take back a partial frame: {}", seg.path, std::strerror(errno));
    active_.reset();
  }
  if (!failing_) {
    spdlog::error(
        "{}: cannot append to the disk buffer (records are dropped and counted until it "
        "works again): {}",
        seg.path, std::strerror(err));
  }
  failing_ = true;
  std::lock_guard books(books_mu_);
  ++counters_.write_errors;
  if (wrote > 0) ++counters_.short_writes;
  if (!taken_back) {
    seg.bytes += wrote;
    counters_.bytes += wrote;
    written_segment_ = 0;
  }
  return err == ENOSPC ? AppendStatus::full : AppendStatus::io_error;
}

AppendResult SegmentLog::append(std::uint8_t status, std::string_view call_id,
                                std::string_view json) {
  const std::size_t body_len = disk::body_bytes(call_id, json);
  std::lock_guard writer(append_mu_);
  {
    std::lock_guard books(books_mu_);
    if (body_len > disk::kMaxBodyBytes ||
        counters_.bytes + kHeaderBytes + body_len > options_.max_bytes) {
      return {AppendStatus::full, 0, {}};
    }
  }
  Segment* seg = nullptr;
  std::uint64_t seq = 0;
  std::uint64_t start = 0;
  for (int attempt = 0; attempt < 2 && !seg; ++attempt) {
    {
      std::lock_guard books(books_mu_);
      auto last = segments_.empty() ? segments_.end() : std::prev(segments_.end());
      if (active_ && last != segments_.end() && last->first == written_segment_ &&
          last->second.bytes < options_.segment_bytes) {
        seg = &last->second;
        seq = next_seq_;
        start = seg->bytes;
        break;
      }
    }
    if (!roll()) {
      std::lock_guard books(books_mu_);
      ++counters_.write_errors;
      return {AppendStatus::io_error, 0, {}};
    }
  }
  if (!seg) return {AppendStatus::io_error, 0, {}};
  frame_.clear();
  disk::encode_frame(frame_, seq, status, call_id, json);
  if (const AppendStatus written = write_frame(*seg, start); written != AppendStatus::ok) {
    return {written, 0, {}};
  }
  {
    std::lock_guard books(books_mu_);
    seg->bytes += frame_.size();
    seg->records += 1;
    counters_.bytes += frame_.size();
    counters_.records += 1;
    counters_.unread += 1;
    next_seq_ = seq + 1;
    if (options_.fsync == config::FsyncPolicy::batch &&
        (unsynced_.empty() || unsynced_.back() != active_)) {
      unsynced_.push_back(active_);
    }
  }
  if (options_.fsync == config::FsyncPolicy::always) active_->sync();
  return {AppendStatus::ok, seq, {seg->first_seq, start, start + frame_.size()}};
}

// books_mu_ held: moves the cursor past the end of segments that are no longer written to.
void SegmentLog::normalise_cursor_locked() {
  auto it = segments_.lower_bound(read_segment_);
  if (it == segments_.end()) return;
  if (it->first != read_segment_) {
    read_segment_ = it->first;
    read_offset_ = 0;
  }
  while (read_offset_ >= it->second.bytes && std::next(it) != segments_.end()) {
    ++it;
    read_segment_ = it->first;
    read_offset_ = 0;
  }
}

// books_mu_ held: moves the cursor from `from` to `to` in `segment` when no one moved it since.
bool SegmentLog::advance_cursor_locked(std::uint64_t segment, std::uint64_t from,
                                       std::uint64_t to) {
  normalise_cursor_locked();
  if (read_segment_ != segment || read_offset_ != from) return false;
  read_offset_ = to;
  return true;
}

bool SegmentLog::claim(const DiskPosition& at) {
  std::lock_guard books(books_mu_);
  if (counters_.unread == 0 || !advance_cursor_locked(at.segment, at.start, at.end)) return false;
  counters_.unread -= 1;
  return true;
}

bool SegmentLog::caught_up() const {
  std::lock_guard books(books_mu_);
  return counters_.unread == 0;
}

// Consumer side: the frame at `offset` of segment file `fd` (below `limit`) into `frame`; false
// when it is damaged, with `next_offset` where the next frame may start.
bool SegmentLog::read_frame(int fd, std::uint64_t offset, std::uint64_t limit, std::string& frame,
                            std::uint64_t& next_offset) {
  char header[kHeaderBytes];
  if (pread_full(ops_, fd, header, kHeaderBytes, offset) == kHeaderBytes) {
    const std::uint32_t len = disk::announced_body_bytes(header);
    if (len != 0 && offset + kHeaderBytes + len <= limit) {
      frame.resize(kHeaderBytes + len);
      std::memcpy(frame.data(), header, kHeaderBytes);
      if (pread_full(ops_, fd, frame.data() + kHeaderBytes, len, offset + kHeaderBytes) == len &&
          disk::check_frame(frame.data(), frame.size()) != 0) {
        next_offset = offset + frame.size();
        return true;
      }
    }
  }
  // Damaged (already counted by open()): find the next magic number in this segment.
  std::string chunk(kResyncChunk, '\0');
  std::uint64_t from = offset + 1;
  while (from < limit) {
    const std::size_t got = pread_full(ops_, fd, chunk.data(), chunk.size(), from);
    if (got == 0) break;
    const std::size_t hit = disk::find_magic(chunk.data(), got, 0);
    if (hit < got) {
      next_offset = from + hit;
      return false;
    }
    from += got > 3 ? got - 3 : got;
  }
  next_offset = limit;
  return false;
}

std::optional<PeekedRecord> SegmentLog::peek_next() {
  std::lock_guard consumer(consume_mu_);
  std::string frame;
  for (;;) {
    Segment* seg = nullptr;
    std::uint64_t offset = 0;
    std::uint64_t limit = 0;
    {
      std::lock_guard books(books_mu_);
      if (counters_.unread == 0) return std::nullopt;
      normalise_cursor_locked();
      auto it = segments_.find(read_segment_);
      if (it == segments_.end() || read_offset_ >= it->second.bytes) {
        counters_.unread = 0;  // the books disagree with the files: nothing more to read
        return std::nullopt;
      }
      seg = &it->second;
      offset = read_offset_;
      limit = seg->bytes;  // never past what append() finished writing
    }
    if (!seg->read_file) {
      int fd = ::open(seg->path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        // Left on disk, unacked: the next start-up reads it or names it.
        spdlog::error("{}: cannot open segment for reading: {}", seg->path, std::strerror(errno));
        std::lock_guard books(books_mu_);
        ++counters_.read_errors;
        advance_cursor_locked(seg->first_seq, offset, seg->bytes);
        continue;
      }
      seg->read_file = std::make_shared<FileHandle>(fd);
    }
    std::uint64_t next = 0;
    const bool ok = read_frame(seg->read_file->fd(), offset, limit, frame, next);
    std::lock_guard books(books_mu_);
    if (!ok) {
      advance_cursor_locked(seg->first_seq, offset, next);
      continue;
    }
    DiskRecord record = disk::decode_frame(frame.data(), frame.size());
    if (seg->acked.count(record.seq)) {  // delivered before a restart
      advance_cursor_locked(seg->first_seq, offset, next);
      continue;
    }
    return PeekedRecord{std::move(record), {seg->first_seq, offset, next}};
  }
}

std::optional<DiskRecord> SegmentLog::read_next() {
  while (auto peeked = peek_next()) {
    if (claim(peeked->at)) return std::move(peeked->record);
  }
  return std::nullopt;
}

SegmentLog::Segment* SegmentLog::segment_of_locked(std::uint64_t seq) {
  auto it = segments_.upper_bound(seq);
  if (it == segments_.begin()) return nullptr;
  return &std::prev(it)->second;
}

// books_mu_ held: removes the segments that are fully acked and no longer written to, returning
// them so their files are deleted outside the lock.
std::vector<SegmentLog::Segment> SegmentLog::take_finished_locked() {
  std::vector<Segment> finished;
  for (auto it = segments_.begin(); it != segments_.end();) {
    Segment& seg = it->second;
    if (seg.first_seq == written_segment_ || seg.acked.size() < seg.records) {
      ++it;
      continue;
    }
    counters_.bytes -= std::min<std::uint64_t>(counters_.bytes, seg.bytes);
    if (read_segment_ == seg.first_seq) {
      auto next = std::next(it);
      read_segment_ = next == segments_.end() ? next_seq_ : next->first;
      read_offset_ = 0;
    }
    finished.push_back(std::move(seg));
    it = segments_.erase(it);
  }
  counters_.segments = segments_.size();
  return finished;
}

void SegmentLog::ack(std::span<const std::uint64_t> seqs) {
  std::lock_guard consumer(consume_mu_);
  std::vector<std::pair<Segment*, std::string>> writes;  // .ack bytes per segment, in order
  {
    std::lock_guard books(books_mu_);
    for (std::uint64_t seq : seqs) {
      Segment* seg = segment_of_locked(seq);
      if (!seg || seq >= next_seq_ || !seg->acked.insert(seq).second) continue;
      if (writes.empty() || writes.back().first != seg) writes.emplace_back(seg, std::string());
      append_u64(writes.back().second, seq);
      counters_.records -= 1;
    }
  }
  std::uint64_t failed = 0;
  for (auto& [seg, bytes] : writes) {
    if (!seg->ack_file) {
      int fd = ::open(seg->ack_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd >= 0) seg->ack_file = std::make_shared<FileHandle>(fd);
    }
    // A lost ack only means the record is sent again after a restart (at-least-once).
    if (!seg->ack_file ||
        disk::write_fully(ops_, seg->ack_file->fd(), bytes.data(), bytes.size()) != bytes.size()) {
      ++failed;
    }
  }
  std::vector<Segment> finished;
  {
    std::lock_guard books(books_mu_);
    counters_.write_errors += failed;
    if (!writes.empty()) finished = take_finished_locked();
  }
  std::error_code ec;
  for (const Segment& seg : finished) {
    fs::remove(seg.path, ec);
    fs::remove(seg.ack_path, ec);
  }
}

std::vector<std::shared_ptr<FileHandle>> SegmentLog::take_unsynced() {
  std::lock_guard books(books_mu_);
  return std::exchange(unsynced_, {});
}

SegmentLogCounters SegmentLog::counters() const {
  std::lock_guard books(books_mu_);
  return counters_;
}

}  // namespace llmtap::delivery
