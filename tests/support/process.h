// Process: a child process for integration tests (the llmtap binary, the sink, the mock upstream),
// started with posix_spawn, its stdout and stderr captured through pipes by a background thread.
// Tests wait on what it prints (wait_for_line, with a deadline), signal it, and wait for its exit.
// The child is killed (SIGKILL) and reaped when the Process is destroyed, so a failing test never
// leaves a server behind.
//
// Captured output is bounded (kMaxCapturedBytes per stream; the rest is counted, not kept).
// Thread-safety: all methods may be called from any thread; the reader thread only appends.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace llmtap::test {

using EnvVars = std::vector<std::pair<std::string, std::string>>;

struct ProcessOptions {
  std::string program;            // path to the executable
  std::vector<std::string> args;  // without argv[0]
  EnvVars env;                    // added to (or overriding) this process's environment
};

enum class Stream { out, err, either };

// A line that matched: the whole line, then the regex's groups (groups[0] is the matched text).
struct LineMatch {
  std::string line;
  std::vector<std::string> groups;
};

class Process {
 public:
  static constexpr std::size_t kMaxCapturedBytes = 32 * 1024 * 1024;

  // Starts the child. Throws std::system_error when it cannot be spawned.
  explicit Process(ProcessOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  // What the child printed so far.
  std::string out() const;
  std::string err() const;

  // Waits until a complete line of `stream` matches `pattern` (std::regex_search); std::nullopt if
  // the deadline passes or the child closes that output first. Searches every line printed since
  // the start, not only new ones.
  std::optional<LineMatch> wait_for_line(Stream stream, const std::regex& pattern,
                                         std::chrono::milliseconds timeout = std::chrono::seconds{
                                             10});
  // Same with a plain substring; returns the whole matching line.
  std::optional<std::string> wait_for_text(Stream stream, const std::string& text,
                                           std::chrono::milliseconds timeout = std::chrono::seconds{
                                               10});

  // Sends `signal` (e.g. SIGTERM) to the child; false if it has already been reaped.
  bool send_signal(int signal);
  // Waits for the child to exit: its exit code, or 128 + signal number if a signal killed it;
  // std::nullopt if it is still running at the deadline. Once the child is reaped, out() and err()
  // hold all it wrote (the pipes are drained first, for at most a few seconds).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  bool running();

 private:
  struct Captured {
    std::string text;
    std::size_t dropped = 0;  // bytes beyond kMaxCapturedBytes
    bool closed = false;
  };

  void read_loop(int out_fd, int err_fd);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;  // set once reaped; guarded by wait_mu_
  bool drained_ = false;          // waited for the pipes after reaping; guarded by wait_mu_
  std::mutex wait_mu_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  Captured out_;  // guarded by mu_
  Captured err_;  // guarded by mu_
  // A pipe whose write end tells the reader thread to stop early (closed after the join, so a
  // write never meets a closed read end).
  int wake_read_fd_ = -1;
  int wake_write_fd_ = -1;
  // Declared last: the reader thread uses every member above.
  std::thread reader_;
};

}  // namespace llmtap::test
