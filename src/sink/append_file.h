// AppendFile: a file opened for appending, written one whole buffer at a time, so what a request
// produced lands together (and is visible to a reader as soon as append() returns: no user-space
// buffering to flush). Used for the sink's --out and --requests-out files.
//
// Lifecycle: open() at start-up (throws std::system_error), append() while serving, closed by the
// destructor. Thread-safety: append() may be called from any thread (a mutex keeps buffers whole).
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace llmtap::sink {

class AppendFile {
 public:
  AppendFile() = default;
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Opens (creating if needed) `path` for appending. Throws std::system_error on failure.
  void open(const std::string& path);
  bool is_open() const { return fd_ >= 0; }

  // Appends `data` whole. False on a write error (disk full…), which the caller counts.
  bool append(std::string_view data);

 private:
  std::mutex mu_;
  int fd_ = -1;
};

}  // namespace llmtap::sink
