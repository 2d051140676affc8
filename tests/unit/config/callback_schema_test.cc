// The callback key table (config/callback_schema.h) against README.md's
// `callback_settings.<name>` table, and the key lists unknown-key errors print from it.
#include "config/callback_schema.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace llmtap::config {
namespace {

std::string strip_backticks(std::string text) {
  std::erase(text, '`');
  return text;
}

// key → default of every row of README's `callback_settings.<name>` table; a row may name
// several keys ("`tls.cert_file`, `tls.key_file`").
std::map<std::string, std::string> readme_callback_table() {
  std::ifstream in(LLMTAP_SOURCE_DIR "/README.md");
  std::map<std::string, std::string> rows;
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.starts_with("### ")) {
      inside = line.find("`callback_settings.<name>`") != std::string::npos;
      continue;
    }
    if (!inside || !line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) {
      const auto first = cell.find_first_not_of(' ');
      const auto last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    if (cells.size() < 3) continue;
    std::stringstream keys(cells[0]);
    for (std::string key; std::getline(keys, key, ',');) {
      rows[strip_backticks(std::string(key.substr(key.find_first_not_of(' '))))] =
          strip_backticks(cells[1]);
    }
  }
  return rows;
}

// Verifies that README documents every key of the table with the table's default, and no other.
TEST(CallbackSchemaTest, ReadmeTableMatchesTheKeyTable) {
  const auto readme = readme_callback_table();
  ASSERT_FALSE(readme.empty()) << "README.md's callback_settings table not found";
  std::map<std::string, std::string> table;
  for (const CallbackKey& key : callback_keys()) table[std::string(key.name)] = default_text(key);
  EXPECT_EQ(readme, table);
}

// Verifies the sorted key lists that unknown-key errors print.
TEST(CallbackSchemaTest, KnownKeyListsComeFromTheTable) {
  EXPECT_EQ(tls_key_names(),
            (std::vector<std::string_view>{"ca_file", "cert_file", "key_file", "verify"}));
  const auto& entry = callback_settings_key_names();
  EXPECT_TRUE(std::is_sorted(entry.begin(), entry.end()));
  EXPECT_NE(std::find(entry.begin(), entry.end(), "tls"), entry.end());
  EXPECT_EQ(std::find(entry.begin(), entry.end(), "tls.verify"), entry.end());
  const auto& preset = preset_key_names();
  EXPECT_NE(std::find(preset.begin(), preset.end(), "docs"), preset.end());
  EXPECT_EQ(std::find(preset.begin(), preset.end(), "tls"), preset.end());
  EXPECT_TRUE(is_logger_scalar_key("max_batch_bytes"));
  EXPECT_FALSE(is_logger_scalar_key("headers"));
  EXPECT_FALSE(is_logger_scalar_key("tls.verify"));
}

// Verifies that defaults print as README writes them: plain values from CallbackConfig{}, and
// the table's words where the default is not a value.
TEST(CallbackSchemaTest, DefaultsPrintAsReadmeWritesThem) {
  EXPECT_EQ(default_text(*find_callback_key("flush_interval")), "60");
  EXPECT_EQ(default_text(*find_callback_key("log_format")), "json_array");
  EXPECT_EQ(default_text(*find_callback_key("max_queue_bytes")), "268435456");
  EXPECT_EQ(default_text(*find_callback_key("tls.verify")), "true");
  EXPECT_EQ(default_text(*find_callback_key("signing_secret")), "none");
  EXPECT_EQ(default_text(*find_callback_key("buffer_path")), "./.llmtap/<name>");
}

}  // namespace
}  // namespace llmtap::config
