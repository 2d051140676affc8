// DeadLetterSink: where a batch goes when the Pipeline gives up on it (a 3xx/4xx answer, a bad
// URL, or a retry budget spent). LoggingDeadLetterSink only logs the batch's key, size, status and
// a body excerpt; FileDeadLetterSink (the dead-letter store of README's `dead_letter_path`) also
// keeps the batch on disk, one file per batch, so `llmtap replay --dead-letter` can send it again:
//
//   <dir>/dl-<unix ms, 13 digits>-<sequence, 6 digits>-<idempotency key>.ndjson
//     line 1: {"callback":…,"idempotency_key":…,"status":401,"reason":"HTTP 401",
//              "body_excerpt":…,"budget_exhausted":false,"time":<unix s>,"records":N}
//     then N lines: the records' JSON exactly as they were sent (compact, one line each)
//
// Each file is written to a temporary name, fdatasync'ed and renamed, so a reader never sees half a
// file. store() fails (errc::dead_letter_unwritable, logged with the folder and the system error)
// when the folder cannot be created or the file cannot be written (not a directory, no space, …);
// the caller then keeps the batch and tries again later (see Pipeline).
// Thread-safety: store() is called from runtime threads, concurrently for different batches.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "base/result.h"
#include "delivery/batcher.h"
#include "delivery/disk/file_ops.h"
#include "delivery/errc.h"

namespace llmtap::delivery {

struct RejectInfo {
  int status = 0;            // HTTP status, 0 when no response came
  std::string reason;        // "HTTP 400", "timeout: … (retry budget of 300s spent …)"
  std::string body_excerpt;  // start of the response body, printable
  bool budget_exhausted = false;
};

class DeadLetterSink {
 public:
  virtual ~DeadLetterSink() = default;
  // Success once the batch is kept (or, for a sink that only logs, logged).
  virtual Result<void> store(const std::string& callback, const Batch& batch,
                             const RejectInfo& info) = 0;
  // Records kept durably so far (llmtap_callback_records_dead_lettered_total); 0 for sinks that
  // only log.
  virtual std::uint64_t stored_records() const { return 0; }
  // Failed stores so far (llmtap_callback_dead_letter_errors_total).
  virtual std::uint64_t write_errors() const { return 0; }
};

class LoggingDeadLetterSink final : public DeadLetterSink {
 public:
  Result<void> store(const std::string& callback, const Batch& batch,
                     const RejectInfo& info) override;
};

class FileDeadLetterSink final : public DeadLetterSink {
 public:
  // `dir` is created on the first store(). `file_ops`: the write seam (default: the real calls).
  explicit FileDeadLetterSink(std::string dir, std::shared_ptr<disk::FileOps> file_ops = nullptr);
  Result<void> store(const std::string& callback, const Batch& batch,
                     const RejectInfo& info) override;
  std::uint64_t stored_records() const override { return stored_.load(std::memory_order_relaxed); }
  std::uint64_t write_errors() const override {
    return write_errors_.load(std::memory_order_relaxed);
  }

 private:
  // Writes `text` to `path` through a temporary file; the system error when it fails.
  std::error_code write_file(const std::string& path, const std::string& text);

  const std::string dir_;
  const std::shared_ptr<disk::FileOps> ops_;
  std::atomic<std::uint64_t> stored_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  std::atomic<std::uint64_t> sequence_{0};  // keeps file names unique within a millisecond
};

// One dead-letter file read back (replay).
struct DeadLetterFile {
  std::string path;
  std::string callback;
  std::string idempotency_key;
  int status = 0;
  std::string reason;
  std::vector<std::string> records;  // each one record's JSON
};

// The dead-letter files in `dir`, oldest first (by name).
std::vector<std::string> list_dead_letter_files(const std::string& dir);
// One file read back: errc::dead_letter_unreadable when it cannot be read or is empty,
// errc::dead_letter_bad_header when its first line is not the expected header.
Result<DeadLetterFile> read_dead_letter_file(const std::string& path);

}  // namespace llmtap::delivery
