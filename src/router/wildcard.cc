#include "router/wildcard.h"

#include <algorithm>

namespace llmtap::router {
namespace {

// Matches pattern[p…] against name[n…], greedy and backtracking like Python's regex engine.
bool match_from(std::string_view pattern, std::string_view name, std::size_t p, std::size_t n,
                std::vector<std::string_view>& captures) {
  while (p < pattern.size() && pattern[p] != '*') {
    if (n >= name.size() || pattern[p] != name[n]) return false;
    ++p;
    ++n;
  }
  if (p == pattern.size()) return true;  // re.match: the rest of the name may follow
  // A `*`: the longest capture for which the rest of the pattern still matches.
  for (std::size_t end = name.size() + 1; end-- > n;) {
    captures.push_back(name.substr(n, end - n));
    if (match_from(pattern, name, p + 1, end, captures)) return true;
    captures.pop_back();
  }
  return false;
}

}  // namespace

bool is_wildcard(std::string_view model_name) {
  return model_name.find('*') != std::string_view::npos;
}

std::optional<std::vector<std::string_view>> match_wildcard(std::string_view pattern,
                                                            std::string_view name) {
  std::vector<std::string_view> captures;
  if (!match_from(pattern, name, 0, 0, captures)) return std::nullopt;
  return captures;
}

std::string fill_wildcard(std::string_view model, std::span<const std::string_view> captures) {
  std::string filled;
  filled.reserve(model.size() + 32);
  std::size_t next = 0;
  for (const char c : model) {
    if (c == '*' && next < captures.size()) {
      filled += captures[next++];
    } else {
      filled += c;
    }
  }
  return filled;
}

bool tried_before(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() > b.size();
  const auto stars_a = std::count(a.begin(), a.end(), '*');
  const auto stars_b = std::count(b.begin(), b.end(), '*');
  if (stars_a != stars_b) return stars_a > stars_b;
  return a < b;
}

}  // namespace llmtap::router
