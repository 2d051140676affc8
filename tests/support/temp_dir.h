// TempDir: a fresh directory under $TMPDIR (or /tmp) for one test, removed with everything in it
// when the object is destroyed. Plus helpers to write a file and read files back (whole, or as
// NDJSON lines) — what tests do with configs, sink output and disk buffers.
// Thread-safety: a TempDir is used by one test thread; the free functions are stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace llmtap::test {

class TempDir {
 public:
  // Creates the directory; throws std::system_error if it cannot.
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name (the file need not exist).
  std::string file(std::string_view name) const;
  // Writes `contents` to path()/name (replacing it) and returns the full path. Throws on failure.
  std::string write_file(std::string_view name, std::string_view contents) const;

 private:
  std::string path_;
};

// The whole file, or an empty string if it does not exist (yet).
std::string read_file(const std::string& path);
// The file's non-empty lines without their line breaks; empty if the file does not exist (yet).
// A last line without its newline is left out: it may still be being written.
std::vector<std::string> read_ndjson_lines(const std::string& path);

}  // namespace llmtap::test
