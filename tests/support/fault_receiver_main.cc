// llmtap_fault_receiver: runs FaultReceiver (fault_receiver.h) until SIGINT/SIGTERM.
//   llmtap_fault_receiver [--host H] [--port P] [--out FILE] [--requests-out FILE] [--plan PLAN]
// Prints `fault receiver listening on <host>:<port>` to stderr once bound.
#include <csignal>
#include <cstdio>
#include <string>

#include "support/fault_receiver.h"

int main(int argc, char** argv) {
  llmtap::test::FaultReceiverOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--host" && has_value) {
      options.host = argv[++i];
    } else if (arg == "--port" && has_value) {
      options.port = static_cast<std::uint16_t>(std::stoul(argv[++i]));
    } else if (arg == "--out" && has_value) {
      options.out_path = argv[++i];
    } else if (arg == "--requests-out" && has_value) {
      options.requests_out_path = argv[++i];
    } else if (arg == "--plan" && has_value) {
      options.plan = argv[++i];
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--host H] [--port P] [--out FILE] [--requests-out FILE] [--plan PLAN]\n",
          argv[0]);
      return 2;
    }
  }
  llmtap::http::Runtime runtime(1);
  try {
    llmtap::test::FaultReceiver receiver(runtime, options);
    receiver.listen();
    runtime.on_signals({SIGINT, SIGTERM}, [&runtime](int) { runtime.stop(); });
    std::fprintf(stderr, "fault receiver listening on %s:%u\n", options.host.c_str(),
                 static_cast<unsigned>(receiver.port()));
    std::fflush(stderr);
    runtime.run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fault receiver: %s\n", error.what());
    return 1;
  }
  return 0;
}
