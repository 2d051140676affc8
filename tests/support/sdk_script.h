// run_sdk_script(): one of the provider SDK scripts in tests/integration/provider_sdks (each runs
// the provider's official npm SDK against a mock, one step per argument, and prints one JSON
// line {"step": <name>, …} per step) run with node, bounded by a deadline; its lines are kept by
// step name for the *_sdk_test.cc assertions.
//
// Thread-safety: stateless; call from any thread (one node process per call).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.h"

namespace llmtap::test {

struct SdkRun {
  std::string error;                         // non-empty: node failed, timed out or exited non-0
  std::map<std::string, std::string> steps;  // each step's JSON line, by its "step"
};

// Runs `node tests/integration/provider_sdks/<script> <args…>` with `env` added.
SdkRun run_sdk_script(std::string_view script, const std::vector<std::string>& args,
                      const EnvVars& env = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds{60});

}  // namespace llmtap::test
