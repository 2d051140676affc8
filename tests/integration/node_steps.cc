#include "integration/node_steps.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string_view>

namespace llmtap::test {

std::map<std::string, std::string> run_node_steps(const std::string& script,
                                                  const std::vector<std::string>& args,
                                                  std::size_t steps, const EnvVars& env) {
  std::vector<std::string> argv{"node",
                                std::string(LLMTAP_SOURCE_DIR) + "/tests/integration/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  Process node(ProcessOptions{"/usr/bin/env", argv, env});
  auto code = node.wait_exit(std::chrono::seconds{60});
  EXPECT_TRUE(code.has_value()) << node.err();
  EXPECT_EQ(code.value_or(-1), 0) << node.err() << node.out();
  std::map<std::string, std::string> out;
  const std::string text = node.out();
  simdjson::dom::parser parser;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    auto doc = parser.parse(line);
    if (doc.error()) continue;
    std::string_view step;
    if (doc["step"].get(step)) continue;
    out[std::string(step)] = line;
  }
  EXPECT_EQ(out.size(), steps) << text << node.err();
  return out;
}

}  // namespace llmtap::test
