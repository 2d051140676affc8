#include "support/started_server.h"

#include <regex>
#include <system_error>

namespace llmtap::test {

const char* llmtap_binary() { return LLMTAP_BINARY; }
const char* mock_upstream_binary() { return LLMTAP_MOCK_UPSTREAM_BINARY; }

StartedServer start_server(ProcessOptions options, std::chrono::milliseconds timeout) {
  StartedServer started;
  const std::string program = options.program;
  try {
    started.process = std::make_unique<Process>(std::move(options));
  } catch (const std::system_error& error) {
    started.error = error.what();
    return started;
  }
  static const std::regex kListening(R"(listening on (\S+):(\d+)\s*$)");
  const auto match = started.process->wait_for_line(Stream::either, kListening, timeout);
  if (match) {
    const unsigned long port = std::stoul(match->groups[2]);
    if (port > 0 && port <= 65535) started.port = static_cast<std::uint16_t>(port);
  }
  if (started.port == 0) {
    // Its output closing is what ended the wait, usually; the exit itself may lag a moment behind.
    const std::optional<int> code = started.process->wait_exit(std::chrono::seconds{2});
    started.error = program +
                    (code ? " exited with " + std::to_string(*code)
                          : std::string(" printed no listening line")) +
                    "\n--- stderr ---\n" + started.process->err() + "\n--- stdout ---\n" +
                    started.process->out();
  }
  return started;
}

StartedServer start_llmtap(const std::string& config_path, std::vector<std::string> extra_args,
                           EnvVars env) {
  ProcessOptions options{llmtap_binary(),
                         {"--config", config_path, "--host", "127.0.0.1", "--port", "0"},
                         std::move(env)};
  options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
  return start_server(std::move(options));
}

StartedServer start_sink(const std::string& out_file, std::vector<std::string> extra_args) {
  ProcessOptions options{llmtap_binary(), {"sink", "--host", "127.0.0.1", "--port", "0"}, {}};
  if (!out_file.empty()) options.args.insert(options.args.end(), {"--out", out_file});
  options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
  return start_server(std::move(options));
}

StartedServer start_mock_upstream(const std::string& requests_out,
                                  std::vector<std::string> extra_args) {
  ProcessOptions options{mock_upstream_binary(), {"--host", "127.0.0.1", "--port", "0"}, {}};
  if (!requests_out.empty())
    options.args.insert(options.args.end(), {"--requests-out", requests_out});
  options.args.insert(options.args.end(), extra_args.begin(), extra_args.end());
  return start_server(std::move(options));
}

}  // namespace llmtap::test
