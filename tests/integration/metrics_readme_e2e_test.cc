// The metric names README.md's "Metrics" section documents against the families GET /metrics
// really renders, both ways: a documented name that is not rendered, or a rendered one that is
// not documented, fails. Names are read from the README's tables, so a new metric needs only its
// README row.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

// Every `llmtap_…` name in the first column of a table row of README's "## Metrics" section.
std::set<std::string> readme_metric_names() {
  std::ifstream in(std::string(LLMTAP_SOURCE_DIR) + "/README.md");
  std::set<std::string> names;
  std::string line;
  bool in_section = false;
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) in_section = line.starts_with("## Metrics");
    if (!in_section || !line.starts_with("| `llmtap_")) continue;
    const std::size_t end = line.find('`', 3);
    if (end != std::string::npos) names.insert(line.substr(3, end - 3));
  }
  return names;
}

// The family names of every `# TYPE <name> <type>` line.
std::set<std::string> rendered_metric_names(const std::string& text) {
  std::set<std::string> names;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("# TYPE ")) continue;
    names.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  return names;
}

using MetricsReadmeE2eTest = E2eFixture;

// Verifies that README's Metrics tables name exactly the families /metrics renders, with a disk
// buffer configured so the buffer-only families render too.
TEST_F(MetricsReadmeE2eTest, ReadmeNamesEveryRenderedMetricAndNothingElse) {
  const std::string config =
      ConfigBuilder()
          .mock("gpt-3.5-turbo", "Hi")
          .callback_settings("buffer: disk\nbuffer_path: " + dir_.path() + "/buffer")
          .yaml();
  start(config);
  ASSERT_EQ(chat("gpt-3.5-turbo").status, 200);
  const HttpReply reply = http_request(llmtap_.port, "GET", "/metrics");
  ASSERT_EQ(reply.status, 200) << reply.error;

  const std::set<std::string> documented = readme_metric_names();
  const std::set<std::string> rendered = rendered_metric_names(reply.body);
  ASSERT_FALSE(documented.empty());
  for (const auto& name : documented)
    EXPECT_TRUE(rendered.count(name)) << "in README, not rendered: " << name;
  for (const auto& name : rendered)
    EXPECT_TRUE(documented.count(name)) << "rendered, not in README: " << name;
}

}  // namespace
}  // namespace llmtap::test
