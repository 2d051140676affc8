#include "delivery/segment_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kMagic = 0x4B50544C;  // "LTPK" read as little-endian bytes
constexpr std::size_t kHeaderBytes = 12;
constexpr std::size_t kBodyFixedBytes = 8 + 1 + 2;
constexpr std::uint32_t kMaxBodyBytes = 256u * 1024 * 1024;
constexpr std::size_t kResyncChunk = 64 * 1024;

template <typename T>
T load(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

template <typename T>
void store(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

std::uint32_t crc_of(const char* data, std::size_t n) {
  return static_cast<std::uint32_t>(::crc32(0L, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

// Checks the frame at data[0..avail): its total size when valid, 0 when not (bad magic, length,
// CRC, or the frame runs past `avail`).
std::size_t valid_frame(const char* data, std::size_t avail) {
  if (avail < kHeaderBytes || load<std::uint32_t>(data) != kMagic) return 0;
  const std::uint32_t len = load<std::uint32_t>(data + 4);
  if (len < kBodyFixedBytes || len > kMaxBodyBytes || len > avail - kHeaderBytes) return 0;
  if (crc_of(data + kHeaderBytes, len) != load<std::uint32_t>(data + 8)) return 0;
  const std::uint16_t id_len = load<std::uint16_t>(data + kHeaderBytes + 9);
  if (kBodyFixedBytes + id_len > len) return 0;
  return kHeaderBytes + len;
}

SpoolRecord decode_body(const char* body, std::size_t len) {
  SpoolRecord r;
  r.seq = load<std::uint64_t>(body);
  r.status = static_cast<std::uint8_t>(body[8]);
  const std::uint16_t id_len = load<std::uint16_t>(body + 9);
  r.call_id.assign(body + kBodyFixedBytes, id_len);
  r.json.assign(body + kBodyFixedBytes + id_len, len - kBodyFixedBytes - id_len);
  return r;
}

std::uint64_t seq_of_frame(const char* frame) { return load<std::uint64_t>(frame + kHeaderBytes); }

bool read_all(int fd, std::string& out) {
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// pread until `n` bytes or end of file; the bytes read.
std::size_t pread_full(int fd, char* out, std::size_t n, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

std::string segment_name(std::uint64_t first_seq, const char* ext) { return fmt::format("seg-{:016x}.{}", first_seq, ext); }

std::string random_hex() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}", rd(), rd());
}

}  // namespace

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileHandle::sync() const { return ::fdatasync(fd_) == 0; }

SegmentLog::SegmentLog(SegmentLogOptions options) : options_(std::move(options)) {}

SegmentLog::~SegmentLog() = default;

std::unique_ptr<SegmentLog> SegmentLog::open(SegmentLogOptions options, std::string* error) {
  std::unique_ptr<SegmentLog> log(new SegmentLog(std::move(options)));
  if (!log->recover(error)) return nullptr;
  return log;
}

bool SegmentLog::recover(std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = fmt::format("{}: {}", options_.dir, why);
    return false;
  };
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec) return fail("cannot create the buffer folder: " + ec.message());
  const std::string lock_path = options_.dir + "/lock";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return fail(std::string("cannot open lock file: ") + std::strerror(errno));
  lock_file_ = std::make_shared<FileHandle>(lock_fd);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) return fail("in use by another llmtap process (lock held)");

  const std::string id_path = options_.dir + "/id";
  if (int fd = ::open(id_path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    FileHandle h(fd);
    read_all(fd, instance_id_);
    while (!instance_id_.empty() && (instance_id_.back() == '\n' || instance_id_.back() == ' ')) instance_id_.pop_back();
  }
  if (instance_id_.empty()) {
    instance_id_ = random_hex();
    int fd = ::open(id_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail(std::string("cannot write id file: ") + std::strerror(errno));
    FileHandle h(fd);
    const std::string line = instance_id_ + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return fail("cannot write id file");
  }

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
  if (ec) return fail("cannot list the buffer folder: " + ec.message());

  for (auto it = segments_.begin(); it != segments_.end();) {
    scan_segment(it->second);
    next_seq_ = std::max(next_seq_, it->first);
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
    spdlog::info("{}: recovered {} undelivered record(s) in {} segment(s){}", options_.dir, counters_.recovered,
                 counters_.segments,
                 counters_.corrupt_frames ? fmt::format("; skipped {} corrupt frame(s)", counters_.corrupt_frames) : "");
  }
  return true;
}

void SegmentLog::scan_segment(Segment& seg) {
  std::string acks;
  if (int fd = ::open(seg.ack_path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    FileHandle h(fd);
    read_all(fd, acks);
  }
  std::set<std::uint64_t> acked_file;
  for (std::size_t i = 0; i + 8 <= acks.size(); i += 8) acked_file.insert(load<std::uint64_t>(acks.data() + i));

  std::string data;
  if (int fd = ::open(seg.path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    FileHandle h(fd);
    read_all(fd, data);
  }
  seg.bytes = data.size();
  bool in_bad_region = false;
  std::size_t at = 0;
  while (at < data.size()) {
    const std::size_t size = valid_frame(data.data() + at, data.size() - at);
    if (size == 0) {
      // One count per damaged stretch; resync on the next magic number.
      if (!in_bad_region) ++counters_.corrupt_frames;
      in_bad_region = true;
      const char magic[4] = {'L', 'T', 'P', 'K'};
      auto next = std::search(data.begin() + static_cast<std::ptrdiff_t>(at) + 1, data.end(), magic, magic + 4);
      at = static_cast<std::size_t>(next - data.begin());
      continue;
    }
    in_bad_region = false;
    const std::uint64_t seq = seq_of_frame(data.data() + at);
    ++seg.records;
    if (acked_file.count(seq)) seg.acked.insert(seq);
    next_seq_ = std::max(next_seq_, seq + 1);
    at += size;
  }
}

bool SegmentLog::roll() {
  if (active_ && options_.fsync == config::FsyncPolicy::batch) unsynced_.push_back(active_);
  active_.reset();
  Segment seg;
  seg.first_seq = next_seq_;
  seg.path = options_.dir + "/" + segment_name(next_seq_, "log");
  seg.ack_path = options_.dir + "/" + segment_name(next_seq_, "ack");
  int fd = ::open(seg.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    spdlog::error("{}: cannot create segment: {}", seg.path, std::strerror(errno));
    return false;
  }
  active_ = std::make_shared<FileHandle>(fd);
  // The previous active segment may now be fully acked: it is no longer written, so it can go.
  const std::uint64_t previous = segments_.empty() ? 0 : segments_.rbegin()->first;
  const bool had_previous = !segments_.empty();
  segments_.emplace(seg.first_seq, std::move(seg));
  counters_.segments = segments_.size();
  if (had_previous) maybe_delete(segments_.find(previous));
  return true;
}

AppendResult SegmentLog::append(std::uint8_t status, std::string_view call_id, std::string_view json) {
  const std::size_t id_len = std::min<std::size_t>(call_id.size(), 0xFFFF);
  const std::size_t body_len = kBodyFixedBytes + id_len + json.size();
  if (body_len > kMaxBodyBytes || counters_.bytes + kHeaderBytes + body_len > options_.max_bytes) {
    return {AppendStatus::full, 0};
  }
  if (!active_ || segments_.empty() || segments_.rbegin()->second.bytes >= options_.segment_bytes) {
    if (!roll()) {
      ++counters_.write_errors;
      return {AppendStatus::io_error, 0};
    }
  }
  const std::uint64_t seq = next_seq_;
  frame_.clear();
  store<std::uint32_t>(frame_, kMagic);
  store<std::uint32_t>(frame_, static_cast<std::uint32_t>(body_len));
  store<std::uint32_t>(frame_, 0);  // CRC, filled below
  store<std::uint64_t>(frame_, seq);
  frame_.push_back(static_cast<char>(status));
  store<std::uint16_t>(frame_, static_cast<std::uint16_t>(id_len));
  frame_.append(call_id.substr(0, id_len));
  frame_.append(json);
  const std::uint32_t crc = crc_of(frame_.data() + kHeaderBytes, body_len);
  std::memcpy(frame_.data() + 8, &crc, sizeof crc);

  Segment& seg = segments_.rbegin()->second;
  ssize_t written;
  do {
    written = ::write(active_->fd(), frame_.data(), frame_.size());
  } while (written < 0 && errno == EINTR);
  if (written != static_cast<ssize_t>(frame_.size())) {
    // A torn frame may be on disk: its CRC fails on reading. Never append after it.
    if (written > 0) {
      seg.bytes += static_cast<std::uint64_t>(written);
      counters_.bytes += static_cast<std::uint64_t>(written);
    }
    ++counters_.write_errors;
    active_.reset();
    return {AppendStatus::io_error, 0};
  }
  seg.bytes += frame_.size();
  seg.records += 1;
  counters_.bytes += frame_.size();
  counters_.records += 1;
  counters_.unread += 1;
  next_seq_ = seq + 1;
  if (options_.fsync == config::FsyncPolicy::always) {
    active_->sync();
  } else if (options_.fsync == config::FsyncPolicy::batch && (unsynced_.empty() || unsynced_.back() != active_)) {
    unsynced_.push_back(active_);
  }
  return {AppendStatus::ok, seq};
}

void SegmentLog::skip_to_end() {
  if (segments_.empty()) return;
  read_segment_ = segments_.rbegin()->first;
  read_offset_ = segments_.rbegin()->second.bytes;
  counters_.unread = 0;
}

std::optional<SpoolRecord> SegmentLog::read_next() {
  std::string buf;
  while (counters_.unread > 0) {
    auto it = segments_.lower_bound(read_segment_);
    if (it == segments_.end()) {
      counters_.unread = 0;  // the books disagree with the files: nothing more to read
      return std::nullopt;
    }
    if (it->first != read_segment_) {
      read_segment_ = it->first;
      read_offset_ = 0;
    }
    Segment& seg = it->second;
    if (read_offset_ >= seg.bytes) {
      auto next = std::next(it);
      if (next == segments_.end()) {
        counters_.unread = 0;
        return std::nullopt;
      }
      read_segment_ = next->first;
      read_offset_ = 0;
      continue;
    }
    int fd = ::open(seg.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      read_offset_ = seg.bytes;  // unreadable segment: skip it
      continue;
    }
    FileHandle h(fd);
    char header[kHeaderBytes];
    std::size_t size = 0;
    if (pread_full(fd, header, kHeaderBytes, read_offset_) == kHeaderBytes && load<std::uint32_t>(header) == kMagic) {
      const std::uint32_t len = load<std::uint32_t>(header + 4);
      if (len >= kBodyFixedBytes && len <= kMaxBodyBytes && read_offset_ + kHeaderBytes + len <= seg.bytes) {
        buf.resize(kHeaderBytes + len);
        std::memcpy(buf.data(), header, kHeaderBytes);
        if (pread_full(fd, buf.data() + kHeaderBytes, len, read_offset_ + kHeaderBytes) == len) {
          size = valid_frame(buf.data(), buf.size());
        }
      }
    }
    if (size == 0) {
      // Damaged (already counted by open()): find the next magic number in this segment.
      std::string chunk(kResyncChunk, '\0');
      std::uint64_t from = read_offset_ + 1;
      bool found = false;
      while (from < seg.bytes && !found) {
        const std::size_t got = pread_full(fd, chunk.data(), chunk.size(), from);
        if (got == 0) break;
        const char magic[4] = {'L', 'T', 'P', 'K'};
        auto hit = std::search(chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got), magic, magic + 4);
        if (hit != chunk.begin() + static_cast<std::ptrdiff_t>(got)) {
          from += static_cast<std::uint64_t>(hit - chunk.begin());
          found = true;
        } else {
          from += got > 3 ? got - 3 : got;
        }
      }
      read_offset_ = found ? from : seg.bytes;
      continue;
    }
    read_offset_ += size;
    SpoolRecord record = decode_body(buf.data() + kHeaderBytes, size - kHeaderBytes);
    if (seg.acked.count(record.seq)) continue;  // delivered before a restart
    counters_.unread -= 1;
    return record;
  }
  return std::nullopt;
}

SegmentLog::Segment* SegmentLog::segment_of(std::uint64_t seq) {
  auto it = segments_.upper_bound(seq);
  if (it == segments_.begin()) return nullptr;
  return &std::prev(it)->second;
}

void SegmentLog::ack(std::span<const std::uint64_t> seqs) {
  std::string pending;
  Segment* pending_seg = nullptr;
  auto flush = [&] {
    if (!pending_seg || pending.empty()) return;
    if (!pending_seg->ack_file) {
      int fd = ::open(pending_seg->ack_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd >= 0) pending_seg->ack_file = std::make_shared<FileHandle>(fd);
    }
    // A lost ack only means the record is sent again after a restart (at-least-once).
    if (pending_seg->ack_file && ::write(pending_seg->ack_file->fd(), pending.data(), pending.size()) < 0) {
      ++counters_.write_errors;
    }
    pending.clear();
  };
  std::vector<std::uint64_t> touched;
  for (std::uint64_t seq : seqs) {
    Segment* seg = segment_of(seq);
    if (!seg || seq >= next_seq_ || !seg->acked.insert(seq).second) continue;
    if (seg != pending_seg) {
      flush();
      pending_seg = seg;
      touched.push_back(seg->first_seq);
    }
    store<std::uint64_t>(pending, seq);
    counters_.records -= 1;
  }
  flush();
  for (std::uint64_t first : touched) {
    auto it = segments_.find(first);
    if (it != segments_.end()) maybe_delete(it);
  }
}

void SegmentLog::maybe_delete(std::map<std::uint64_t, Segment>::iterator it) {
  if (it == segments_.end()) return;
  Segment& seg = it->second;
  const bool is_active = active_ && std::next(it) == segments_.end();
  if (is_active || seg.acked.size() < seg.records) return;
  std::error_code ec;
  fs::remove(seg.path, ec);
  fs::remove(seg.ack_path, ec);
  counters_.bytes -= std::min<std::uint64_t>(counters_.bytes, seg.bytes);
  if (read_segment_ == seg.first_seq) {
    auto next = std::next(it);
    read_segment_ = next == segments_.end() ? next_seq_ : next->first;
    read_offset_ = 0;
  }
  segments_.erase(it);
  counters_.segments = segments_.size();
}

std::vector<std::shared_ptr<FileHandle>> SegmentLog::take_unsynced() { return std::exchange(unsynced_, {}); }

}  // namespace llmtap::delivery
