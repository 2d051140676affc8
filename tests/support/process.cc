#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include "support/wait.h"

extern char** environ;

namespace llmtap::test {
namespace {

std::system_error sys_error(const std::string& what) {
  return {errno, std::generic_category(), what};
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// This process's environment with `extra` added, a variable in `extra` replacing one of the same
// name.
std::vector<std::string> child_environment(const EnvVars& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    bool overridden = false;
    for (const auto& [key, value] : extra) overridden = overridden || key == name;
    if (!overridden) env.emplace_back(text);
  }
  for (const auto& [key, value] : extra) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Process::Process(ProcessOptions options) {
  std::array<int, 2> out_pipe{-1, -1};
  std::array<int, 2> err_pipe{-1, -1};
  std::array<int, 2> wake_pipe{-1, -1};
  // O_CLOEXEC: children spawned concurrently by other tests must not inherit our pipe ends.
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0 || ::pipe2(err_pipe.data(), O_CLOEXEC) != 0 ||
      ::pipe2(wake_pipe.data(), O_CLOEXEC) != 0) {
    const auto error = sys_error("pipe2");
    for (int fd :
         {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], wake_pipe[0], wake_pipe[1]}) {
      if (fd >= 0) ::close(fd);
    }
    throw error;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);

  // The child starts with default signal handling and nothing blocked, whatever the test runner
  // did.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal : {SIGTERM, SIGINT, SIGPIPE, SIGHUP}) sigaddset(&defaults, signal);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> argv_strings{options.program};
  argv_strings.insert(argv_strings.end(), options.args.begin(), options.args.end());
  std::vector<std::string> env_strings = child_environment(options.env);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);

  const int rc =
      ::posix_spawnp(&pid_, options.program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    for (int fd : {out_pipe[0], err_pipe[0], wake_pipe[0], wake_pipe[1]}) ::close(fd);
    throw std::system_error(rc, std::generic_category(), "posix_spawn " + options.program);
  }
  wake_read_fd_ = wake_pipe[0];
  wake_write_fd_ = wake_pipe[1];
  reader_ = std::thread(
      [this, out_fd = out_pipe[0], err_fd = err_pipe[0]] { read_loop(out_fd, err_fd); });
}

Process::~Process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds{10});
  }
  // A grandchild may still hold the pipes open; do not wait for their EOF.
  const char stop = 'x';
  [[maybe_unused]] const ssize_t ignored = ::write(wake_write_fd_, &stop, 1);
  if (reader_.joinable()) reader_.join();
  close_fd(wake_write_fd_);
  close_fd(wake_read_fd_);
}

void Process::read_loop(int out_fd, int err_fd) {
  std::array<pollfd, 3> fds{pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0},
                            pollfd{wake_read_fd_, POLLIN, 0}};
  std::array<Captured*, 2> targets{&out_, &err_};
  std::array<char, 64 * 1024> buffer{};
  int open_streams = 2;
  while (open_streams > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents != 0) break;
    for (std::size_t i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard lock(mu_);
      Captured& target = *targets[i];
      if (n <= 0) {
        target.closed = true;
        ::close(fds[i].fd);
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_streams;
      } else {
        const std::size_t size = static_cast<std::size_t>(n);
        const std::size_t room =
            kMaxCapturedBytes - std::min(kMaxCapturedBytes, target.text.size());
        target.text.append(buffer.data(), std::min(room, size));
        target.dropped += size - std::min(room, size);
      }
      changed_.notify_all();
    }
  }
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < 2; ++i) {
    if (fds[i].fd >= 0) ::close(fds[i].fd);
    targets[i]->closed = true;
  }
  changed_.notify_all();
}

std::string Process::out() const {
  std::lock_guard lock(mu_);
  return out_.text;
}

std::string Process::err() const {
  std::lock_guard lock(mu_);
  return err_.text;
}

std::optional<LineMatch> Process::wait_for_line(Stream stream, const std::regex& pattern,
                                                std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // How far each stream has been searched: only complete lines, each once.
  std::array<std::size_t, 2> scanned{0, 0};
  std::array<const Captured*, 2> sources{&out_, &err_};
  std::unique_lock lock(mu_);
  while (true) {
    bool all_closed = true;
    for (std::size_t i = 0; i < 2; ++i) {
      if ((stream == Stream::out && i == 1) || (stream == Stream::err && i == 0)) continue;
      const std::string& text = sources[i]->text;
      all_closed = all_closed && sources[i]->closed;
      for (std::size_t end = text.find('\n', scanned[i]); end != std::string::npos;
           end = text.find('\n', scanned[i])) {
        std::string line = text.substr(scanned[i], end - scanned[i]);
        scanned[i] = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::smatch match;
        if (std::regex_search(line, match, pattern)) {
          LineMatch result;
          for (const auto& group : match) result.groups.push_back(group.str());
          result.line = std::move(line);
          return result;
        }
      }
    }
    if (all_closed) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) return std::nullopt;
  }
}

std::optional<std::string> Process::wait_for_text(Stream stream, const std::string& text,
                                                  std::chrono::milliseconds timeout) {
  std::string escaped;
  for (char c : text) {
    if (std::strchr("\\^$.|?*+()[]{}", c) != nullptr) escaped += '\\';
    escaped += c;
  }
  auto match = wait_for_line(stream, std::regex(escaped), timeout);
  if (!match) return std::nullopt;
  return std::move(match->line);
}

bool Process::send_signal(int signal) {
  std::lock_guard lock(wait_mu_);
  if (exit_code_) return false;
  return ::kill(pid_, signal) == 0;
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds timeout) {
  std::lock_guard lock(wait_mu_);
  if (exit_code_) return exit_code_;
  wait_until(
      [this] {
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
          exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        } else if (done < 0 && errno == ECHILD) {
          exit_code_ = -1;  // reaped elsewhere; nothing more to learn
        }
        return exit_code_.has_value();
      },
      timeout);
  if (exit_code_ && !drained_) {
    drained_ = true;
    // The child is gone, but the reader thread may not have drained its pipes yet: a caller that
    // reads out()/err() next must see everything the child wrote. Bounded, since a grandchild
    // may still hold the pipes open.
    constexpr std::chrono::seconds kDrainWait{5};
    std::unique_lock output_lock(mu_);
    changed_.wait_for(output_lock, kDrainWait, [this] { return out_.closed && err_.closed; });
  }
  return exit_code_;
}

bool Process::running() { return !wait_exit(std::chrono::milliseconds{0}).has_value(); }

}  // namespace llmtap::test
