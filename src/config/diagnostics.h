// Diagnostic: one config error or warning with its position and key path; Mark: a position and key
// path alone; Diagnostics: the load's collector of both lists; and the shared wording of an
// unknown key (with a "did you mean" when one known key is close). Diagnostics is one per load
// and not thread-safe; the rest are plain values and pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmtap::config {

struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when not tied to a position
  int column = 0;
  std::string key_path;  // e.g. "litellm_settings.callbacks[1]"
  std::string message;
  std::string to_string() const;  // "file:line:col: key.path: message"
};

// Where a value is: file, 1-based line and column (0 when not tied to a position), key path.
struct Mark {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;
};

inline Diagnostic diagnostic_at(const Mark& where, std::string message) {
  return Diagnostic{where.file, where.line, where.column, where.key_path, std::move(message)};
}

inline Mark position_of(const Diagnostic& d) { return Mark{d.file, d.line, d.column, d.key_path}; }

// Every error and warning of one load, in the order they were found.
class Diagnostics {
 public:
  explicit Diagnostics(bool strict) : strict_(strict) {}

  void error(const Mark& where, std::string message) {
    errors_.push_back(diagnostic_at(where, std::move(message)));
  }
  void warn(const Mark& where, std::string message) {
    warnings_.push_back(diagnostic_at(where, std::move(message)));
  }
  // A reason to leave a deployment out of routing: an error under --strict.
  void deployment_problem(const Mark& where, std::string message) {
    if (strict_) {
      error(where, std::move(message));
    } else {
      warn(where, std::move(message));
    }
  }

  std::size_t error_count() const { return errors_.size(); }
  std::vector<Diagnostic> take_errors() { return std::move(errors_); }
  std::vector<Diagnostic> take_warnings() { return std::move(warnings_); }

 private:
  bool strict_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
};

// The one candidate within a few edits of `word` (case ignored; a swap of two neighbours is one
// edit; at most one edit per three letters of the candidate), or nullopt when none is, or when
// two are equally close.
std::optional<std::string_view> closest_spelling(std::string_view word,
                                                 std::span<const std::string_view> candidates);

// "unknown key 'batchsize'; did you mean 'batch_size'? (known: batch_size, buffer, …)".
std::string unknown_key_message(std::string_view key, std::span<const std::string_view> known);

// "; did you mean 'batch_size'?" when a candidate is close, else empty.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace llmtap::config
