#include "config/env_resolver.h"

#include <cstdlib>
#include <utility>

namespace llmtap::config {
namespace {

constexpr std::string_view kOsEnvironPrefix = "os.environ/";
constexpr std::string_view kPlaceholderOpen = "{{";
constexpr std::string_view kPlaceholderScope = "environment_variables.";

bool is_name_start(char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    const char* value = std::getenv(key.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvResolver::EnvResolver(EnvLookup base, HeaderList overlay)
    : base_(std::move(base)), overlay_(std::move(overlay)) {}

bool EnvResolver::is_variable_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

std::optional<std::string> EnvResolver::get(std::string_view name) const {
  // Later overlay entries win, as they would when set one after another.
  for (auto it = overlay_.rbegin(); it != overlay_.rend(); ++it) {
    if (it->first == name) {
      if (it->second.empty()) return std::nullopt;
      return it->second;
    }
  }
  if (!base_) return std::nullopt;
  auto value = base_(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

EnvResolver::Expansion EnvResolver::expand(std::string_view text, bool placeholders) const {
  Expansion out;
  if (text.substr(0, kOsEnvironPrefix.size()) == kOsEnvironPrefix) {
    const std::string_view name = trim(text.substr(kOsEnvironPrefix.size()));
    if (is_variable_name(name)) {
      if (auto value = get(name)) {
        out.value = std::move(*value);
      } else {
        out.value = std::string(text);
        out.missing.emplace_back(name);
      }
      return out;
    }
  }
  out.value.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const std::size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        const std::string_view inner = text.substr(i + 2, close - i - 2);
        const std::size_t sep = inner.find(":-");
        const std::string_view name = inner.substr(0, sep);
        if (is_variable_name(name)) {
          if (auto value = get(name)) {
            out.value += *value;
          } else if (sep != std::string_view::npos) {
            out.value += inner.substr(sep + 2);
          } else {
            out.value += text.substr(i, close + 1 - i);
            out.missing.emplace_back(name);
          }
          i = close + 1;
          continue;
        }
      }
    }
    if (placeholders && text.substr(i, kPlaceholderOpen.size()) == kPlaceholderOpen) {
      const std::size_t close = text.find("}}", i + 2);
      if (close != std::string_view::npos) {
        const std::string_view inner = trim(text.substr(i + 2, close - i - 2));
        if (inner.substr(0, kPlaceholderScope.size()) == kPlaceholderScope &&
            is_variable_name(inner.substr(kPlaceholderScope.size()))) {
          const std::string_view name = inner.substr(kPlaceholderScope.size());
          if (auto value = get(name)) {
            out.value += *value;
          } else {
            out.value += text.substr(i, close + 2 - i);
            out.missing.emplace_back(name);
          }
          i = close + 2;
          continue;
        }
      }
    }
    out.value += text[i];
    ++i;
  }
  return out;
}

}  // namespace llmtap::config
