#include "delivery/disk/file_ops.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace llmtap::delivery::disk {
namespace {

class SystemFileOps final : public FileOps {
 public:
  ssize_t write(int fd, const void* data, std::size_t n) override { return ::write(fd, data, n); }
  ssize_t read(int fd, void* out, std::size_t n) override { return ::read(fd, out, n); }
  ssize_t pread(int fd, void* out, std::size_t n, off_t offset) override {
    return ::pread(fd, out, n, offset);
  }
  int ftruncate(int fd, off_t length) override { return ::ftruncate(fd, length); }
};

}  // namespace

std::shared_ptr<FileOps> system_file_ops() {
  static const std::shared_ptr<FileOps> kOps = std::make_shared<SystemFileOps>();
  return kOps;
}

ssize_t SlowFileOps::write(int fd, const void* data, std::size_t n) {
  std::this_thread::sleep_for(write_delay_);
  return ::write(fd, data, n);
}

ssize_t SlowFileOps::read(int fd, void* out, std::size_t n) {
  std::this_thread::sleep_for(read_delay_);
  return ::read(fd, out, n);
}

ssize_t SlowFileOps::pread(int fd, void* out, std::size_t n, off_t offset) {
  std::this_thread::sleep_for(read_delay_);
  return ::pread(fd, out, n, offset);
}

int SlowFileOps::ftruncate(int fd, off_t length) { return ::ftruncate(fd, length); }

namespace {

std::chrono::microseconds micros_from_environment(const char* name) {
  const char* text = std::getenv(name);
  long long us = 0;
  if (text) std::from_chars(text, text + std::strlen(text), us);
  return std::chrono::microseconds(std::max(us, 0LL));
}

}  // namespace

std::shared_ptr<FileOps> file_ops_from_environment() {
  const auto both = micros_from_environment("LLMTAP_TEST_DISK_DELAY_US");
  const auto reads = both + micros_from_environment("LLMTAP_TEST_DISK_READ_DELAY_US");
  if (both.count() == 0 && reads.count() == 0) return system_file_ops();
  return std::make_shared<SlowFileOps>(both, reads);
}

std::size_t write_fully(FileOps& ops, int fd, const char* data, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t wrote = ops.write(fd, data + done, n - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) break;
    if (wrote == 0) {
      errno = EIO;  // no progress and no error: give up rather than spin
      break;
    }
    done += static_cast<std::size_t>(wrote);
  }
  return done;
}

}  // namespace llmtap::delivery::disk
