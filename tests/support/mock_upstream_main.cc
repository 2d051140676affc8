// llmtap_mock_upstream: runs MockUpstream (mock_upstream.h) until SIGINT/SIGTERM.
//   llmtap_mock_upstream [--host H] [--port P] [--requests-out FILE] [--threads N]
// Prints `mock upstream listening on <host>:<port>` to stderr once bound.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "support/mock_upstream.h"

int main(int argc, char** argv) {
  llmtap::test::MockUpstreamOptions options;
  unsigned threads = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--host" && has_value) {
      options.host = argv[++i];
    } else if (arg == "--port" && has_value) {
      options.port = static_cast<std::uint16_t>(std::stoul(argv[++i]));
    } else if (arg == "--requests-out" && has_value) {
      options.requests_out_path = argv[++i];
    } else if (arg == "--threads" && has_value) {
      threads = static_cast<unsigned>(std::stoul(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: %s [--host H] [--port P] [--requests-out FILE] [--threads N]\n",
                   argv[0]);
      return 2;
    }
  }
  llmtap::http::Runtime runtime(threads);
  try {
    llmtap::test::MockUpstream mock(runtime, options);
    mock.listen();
    // Handlers first: a test may send SIGTERM as soon as it reads the line below.
    runtime.on_signals({SIGINT, SIGTERM}, [&runtime](int) { runtime.stop(); });
    std::fprintf(stderr, "mock upstream listening on %s:%u\n", options.host.c_str(),
                 static_cast<unsigned>(mock.port()));
    std::fflush(stderr);
    runtime.run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "mock upstream: %s\n", error.what());
    return 1;
  }
  return 0;
}
