// The sub-commands of the llmtap binary (README "Commands"). Each returns the process exit code:
// 0 ok, 2 bad command line or invalid config, 1 any other start-up failure.
#pragma once

#include <cstdint>
#include <string>

namespace llmtap::cli {

struct ServeOptions {
  std::string config_path;
  std::string host = "0.0.0.0";
  std::uint16_t port = 4000;
  unsigned threads = 0;  // 0: one per core
};
int run_serve(const ServeOptions& options);

struct CheckConfigOptions {
  std::string config_path;
  bool strict = false;
};
int run_check_config(const CheckConfigOptions& options);

// `llmtap replay`: re-send a callback's dead-letter files and/or disk buffer (both when neither
// flag is given). 0 when everything was delivered, 1 when some records are left on disk.
struct ReplayOptions {
  std::string config_path;
  std::string callback;  // empty: every callback
  std::string endpoint;  // empty: the callback's own
  bool dead_letter = false;
  bool buffer = false;
  double timeout_seconds = 30;  // per file / per buffer
};
int run_replay(const ReplayOptions& options);

// Logging set-up shared by the commands: human-readable lines on stderr.
void init_logging();

}  // namespace llmtap::cli
