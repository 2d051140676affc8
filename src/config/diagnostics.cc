#include "config/diagnostics.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "base/ascii.h"

namespace llmtap::config {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each cost one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string out = file;
  if (line > 0) out += fmt::format(":{}:{}", line, column);
  out += ": ";
  if (!key_path.empty()) {
    out += key_path;
    out += ": ";
  }
  out += message;
  return out;
}

std::optional<std::string_view> closest_spelling(std::string_view word,
                                                 std::span<const std::string_view> candidates) {
  // Long keys would make the table big; nobody mistypes a 64-letter key into a known one.
  constexpr std::size_t kMaxLength = 64;
  if (word.empty() || word.size() > kMaxLength) return std::nullopt;
  const std::string lower_word = ascii::lower(word);
  std::optional<std::string_view> best;
  std::size_t best_distance = 0;
  bool tie = false;
  for (std::string_view candidate : candidates) {
    if (candidate == word || candidate.size() > kMaxLength) continue;
    const std::size_t distance = edit_distance(lower_word, ascii::lower(candidate));
    if (distance * 3 > std::max<std::size_t>(candidate.size(), 3)) continue;
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
      tie = false;
    } else if (distance == best_distance) {
      tie = true;
    }
  }
  if (tie) return std::nullopt;
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  auto close = closest_spelling(word, candidates);
  return close ? fmt::format("; did you mean '{}'?", *close) : std::string();
}

std::string unknown_key_message(std::string_view key, std::span<const std::string_view> known) {
  return fmt::format("unknown key '{}'{} (known: {})", key, did_you_mean(key, known),
                     fmt::join(known, ", "));
}

}  // namespace llmtap::config
