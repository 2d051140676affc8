// FileOps: the few file system calls the disk buffer and the dead-letter store make on a file
// they have open — write(2), read(2), pread(2), ftruncate(2) — behind one small interface, so tests
// can make a disk that writes short, runs out of space (ENOSPC), fails reads (EIO) or is slow,
// which no real folder does on demand (tests run as root). Production uses system_file_ops().
//
// SlowFileOps adds a fixed delay to every write and to every read: the slow disk of
// docs/PERFORMANCE.md, switched on for a benchmark run by the environment variables
// LLMTAP_TEST_DISK_DELAY_US (writes and reads) and LLMTAP_TEST_DISK_READ_DELAY_US (reads only; see
// file_ops_from_environment()). Never set them in production.
//
// Thread-safety: system_file_ops() and SlowFileOps are safe from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <memory>

namespace llmtap::delivery::disk {

class FileOps {
 public:
  virtual ~FileOps() = default;
  // Each returns what the system call returns and leaves errno set the same way.
  virtual ssize_t write(int fd, const void* data, std::size_t n) = 0;
  virtual ssize_t read(int fd, void* out, std::size_t n) = 0;
  virtual ssize_t pread(int fd, void* out, std::size_t n, off_t offset) = 0;
  virtual int ftruncate(int fd, off_t length) = 0;
};

// The real calls.
std::shared_ptr<FileOps> system_file_ops();

class SlowFileOps final : public FileOps {
 public:
  SlowFileOps(std::chrono::microseconds write_delay, std::chrono::microseconds read_delay)
      : write_delay_(write_delay), read_delay_(read_delay) {}
  ssize_t write(int fd, const void* data, std::size_t n) override;
  ssize_t read(int fd, void* out, std::size_t n) override;
  ssize_t pread(int fd, void* out, std::size_t n, off_t offset) override;
  int ftruncate(int fd, off_t length) override;

 private:
  std::chrono::microseconds write_delay_;
  std::chrono::microseconds read_delay_;
};

// SlowFileOps when either variable is a positive number, else system_file_ops().
std::shared_ptr<FileOps> file_ops_from_environment();

// write(2) until all of `n` is written, retrying EINTR and short writes. Returns the bytes
// written: `n`, or fewer when a call failed (errno set by that call).
std::size_t write_fully(FileOps& ops, int fd, const char* data, std::size_t n);

}  // namespace llmtap::delivery::disk
