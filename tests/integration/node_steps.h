// run_node_steps(): runs one of the tests' node scripts (the official SDKs' drivers in
// openai_client/ and provider_sdks/) and collects what it printed: one JSON line per step,
// {"step": <name>, …}, keyed by the step's name. Records a test failure when node does not exit
// 0 within a minute or when the lines are not `steps` distinct steps.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "support/process.h"

namespace llmtap::test {

// `script` is relative to tests/integration ("provider_sdks/gemini.mjs").
std::map<std::string, std::string> run_node_steps(const std::string& script,
                                                  const std::vector<std::string>& args,
                                                  std::size_t steps, const EnvVars& env = {});

}  // namespace llmtap::test
