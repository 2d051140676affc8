#include "support/sdk_script.h"

#include <simdjson.h>

#include <utility>

namespace llmtap::test {

SdkRun run_sdk_script(std::string_view script, const std::vector<std::string>& args,
                      const EnvVars& env, std::chrono::milliseconds timeout) {
  const std::string dir = std::string(LLMTAP_SOURCE_DIR) + "/tests/integration/provider_sdks";
  std::vector<std::string> argv = {"node", dir + "/" + std::string(script)};
  argv.insert(argv.end(), args.begin(), args.end());
  Process node(ProcessOptions{"/usr/bin/env", std::move(argv), env});
  SdkRun run;
  const auto code = node.wait_exit(timeout);
  if (!code.has_value()) {
    run.error = "node did not exit in time: " + node.err();
    return run;
  }
  const std::string out = node.out();
  if (*code != 0) {
    run.error = "node exited " + std::to_string(*code) + ": " + node.err() + out;
    return run;
  }
  simdjson::dom::parser parser;
  for (std::size_t pos = 0; pos < out.size();) {
    const std::size_t end = out.find('\n', pos);
    std::string line = out.substr(pos, end - pos);
    pos = end == std::string::npos ? out.size() : end + 1;
    simdjson::dom::element doc;
    std::string_view step;
    if (parser.parse(line).get(doc) || doc["step"].get(step)) continue;
    run.steps[std::string(step)] = std::move(line);
  }
  return run;
}

}  // namespace llmtap::test
