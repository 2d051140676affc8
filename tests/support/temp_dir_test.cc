#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace llmtap::test {
namespace {

// Verifies that files written into a TempDir read back, and the directory is removed afterwards.
TEST(TempDirTest, WritesReadsAndCleansUp) {
  std::string path;
  {
    TempDir dir;
    path = dir.path();
    const std::string file = dir.write_file("config.yaml", "a: 1\n");
    EXPECT_EQ(file, path + "/config.yaml");
    EXPECT_EQ(read_file(file), "a: 1\n");
    EXPECT_TRUE(std::filesystem::is_directory(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

// Verifies that NDJSON reading skips blank lines and leaves out a last line still being written.
TEST(TempDirTest, ReadsCompleteNdjsonLines) {
  TempDir dir;
  const std::string file = dir.write_file("out.ndjson", "{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":");
  EXPECT_EQ(read_ndjson_lines(file), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_TRUE(read_ndjson_lines(dir.file("missing")).empty());
  EXPECT_EQ(read_file(dir.file("missing")), "");
}

}  // namespace
}  // namespace llmtap::test
