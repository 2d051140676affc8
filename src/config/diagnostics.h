// Diagnostic: one config error or warning with its position and key path, and the shared wording
// of an unknown key (with a "did you mean" when one known key is close). Plain values and pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace llmtap::config {

struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when not tied to a position
  int column = 0;
  std::string key_path;  // e.g. "litellm_settings.callbacks[1]"
  std::string message;
  std::string to_string() const;  // "file:line:col: key.path: message"
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
