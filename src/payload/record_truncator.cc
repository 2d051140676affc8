#include "payload/record_truncator.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace llmtap::payload {
namespace {

// A string value (quotes included) or a top-level container value, as byte offsets.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

struct Scan {
  std::vector<Span> strings;         // string values at any depth (never keys)
  std::vector<Span> top_containers;  // objects/arrays that are values of the root object
};

// Offset just past the closing quote of the string opening at `begin`.
std::size_t string_end(std::string_view json, std::size_t begin) {
  std::size_t i = begin + 1;
  while (i < json.size()) {
    if (json[i] == '\\') {
      i += 2;
    } else if (json[i] == '"') {
      return i + 1;
    } else {
      ++i;
    }
  }
  return json.size();
}

// One pass over valid JSON, remembering value strings and the root object's container values.
Scan scan(std::string_view json) {
  Scan out;
  std::vector<char> stack;  // '{' or '['
  bool expect_key = false;
  std::size_t top_begin = 0;
  for (std::size_t i = 0; i < json.size();) {
    const char c = json[i];
    if (c == '"') {
      const std::size_t end = string_end(json, i);
      const bool is_key = !stack.empty() && stack.back() == '{' && expect_key;
      if (!is_key) out.strings.push_back({i, end});
      expect_key = false;
      i = end;
      continue;
    }
    if (c == '{' || c == '[') {
      if (stack.size() == 1) top_begin = i;
      stack.push_back(c);
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      if (stack.size() == 1) out.top_containers.push_back({top_begin, i + 1});
      expect_key = false;
    } else if (c == ',') {
      expect_key = !stack.empty() && stack.back() == '{';
    } else if (c == ':') {
      expect_key = false;
    }
    ++i;
  }
  return out;
}

// The longest prefix of escaped string content `s` that is at most `limit` bytes and ends on a
// character boundary: never inside an escape, a UTF-8 sequence or a surrogate pair.
std::size_t safe_prefix(std::string_view s, std::size_t limit) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t step = 1;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      step = (i + 1 < s.size() && s[i + 1] == 'u') ? 6 : 2;
      // A high surrogate escape and its low half stay together.
      if (step == 6 && i + 12 <= s.size() && (s[i + 2] == 'd' || s[i + 2] == 'D') &&
          std::string_view("89abAB").find(s[i + 3]) != std::string_view::npos && s[i + 6] == '\\') {
        step = 12;
      }
    } else if (c >= 0xF0) {
      step = 4;
    } else if (c >= 0xE0) {
      step = 3;
    } else if (c >= 0xC0) {
      step = 2;
    }
    if (i + step > limit) break;
    i += step;
  }
  return std::min(i, s.size());
}

bool is_data_uri(std::string_view content) {
  if (content.substr(0, 5) != "data:") return false;
  const std::size_t comma = content.find(',');
  return comma < 256 && content.substr(0, comma).ends_with(";base64");  // npos is > 256
}

struct Replacement {
  Span span;
  std::string text;
};

std::string apply(std::string_view json, std::vector<Replacement>& replacements) {
  std::sort(replacements.begin(), replacements.end(),
            [](const Replacement& a, const Replacement& b) { return a.span.begin < b.span.begin; });
  std::string out;
  out.reserve(json.size());
  std::size_t at = 0;
  for (const auto& r : replacements) {
    out.append(json.substr(at, r.span.begin - at));
    out.append(r.text);
    at = r.span.end;
  }
  out.append(json.substr(at));
  return out;
}

std::string marker(std::size_t cut_bytes) {
  return fmt::format("{}{} bytes]", kTruncationMarker, cut_bytes);
}

// The longest marker(): the prefix, 20 digits (any size_t) and " bytes]".
constexpr std::size_t kMaxMarkerBytes = kTruncationMarker.size() + 20 + 7;

// Cuts string values (data URIs first, then the longest) until `json` fits or nothing is left to
// cut.
std::string cut_strings(std::string_view json, std::size_t max_bytes, std::size_t& cut_values) {
  Scan s = scan(json);
  std::vector<Span> uris, others;
  for (const Span& span : s.strings) {
    (is_data_uri(json.substr(span.begin + 1, span.size() - 2)) ? uris : others).push_back(span);
  }
  auto longest_first = [](const Span& a, const Span& b) { return a.size() > b.size(); };
  std::sort(uris.begin(), uris.end(), longest_first);
  std::sort(others.begin(), others.end(), longest_first);

  std::size_t size = json.size();
  std::vector<Replacement> replacements;
  auto cut = [&](const Span& span, bool whole_payload) {
    const std::string_view content = json.substr(span.begin + 1, span.size() - 2);
    const std::size_t excess = size - max_bytes;
    std::size_t keep = 0;
    if (whole_payload) {
      keep = content.find(',') + 1;  // "data:image/png;base64," says what was there
    } else {
      // Marker length depends on the digits cut; kMaxMarkerBytes covers any size_t. (Reserving
      // less let a 6-digit marker push the record just over the limit, and the whole container
      // holding the string was then dropped as a last resort.)
      const std::size_t budget =
          content.size() > excess + kMaxMarkerBytes ? content.size() - excess - kMaxMarkerBytes : 0;
      keep = safe_prefix(content, budget);
    }
    const std::string text =
        fmt::format("\"{}{}\"", content.substr(0, keep), marker(content.size() - keep));
    if (text.size() >= span.size()) return;  // too short to gain anything
    size -= span.size() - text.size();
    replacements.push_back({span, text});
    ++cut_values;
  };
  for (const Span& span : uris) {
    if (size <= max_bytes) break;
    cut(span, true);
  }
  for (const Span& span : others) {
    if (size <= max_bytes) break;
    cut(span, false);
  }
  return apply(json, replacements);
}

// Last resort: whole top-level objects and arrays, largest first, become a marker string.
std::string cut_containers(std::string_view json, std::size_t max_bytes, std::size_t& cut_values) {
  std::vector<Span> containers = scan(json).top_containers;
  std::sort(containers.begin(), containers.end(),
            [](const Span& a, const Span& b) { return a.size() > b.size(); });
  std::size_t size = json.size();
  std::vector<Replacement> replacements;
  for (const Span& span : containers) {
    if (size <= max_bytes) break;
    std::string text = fmt::format("\"{}\"", marker(span.size()));
    if (text.size() >= span.size()) continue;
    size -= span.size() - text.size();
    replacements.push_back({span, std::move(text)});
    ++cut_values;
  }
  return apply(json, replacements);
}

}  // namespace

Truncated truncate_record(std::string_view json, std::size_t max_bytes) {
  Truncated out;
  if (json.size() <= max_bytes) {
    out.json = std::string(json);
    out.fits = true;
    return out;
  }
  out.json = cut_strings(json, max_bytes, out.cut_values);
  if (out.json.size() > max_bytes) out.json = cut_containers(out.json, max_bytes, out.cut_values);
  out.fits = out.json.size() <= max_bytes;
  return out;
}

std::optional<std::string_view> top_level_value(std::string_view json, std::string_view key) {
  std::size_t depth = 0;
  bool expect_key = false;
  for (std::size_t i = 0; i < json.size();) {
    const char c = json[i];
    if (c == '"') {
      const std::size_t end = string_end(json, i);
      if (depth == 1 && expect_key && json.substr(i + 1, end - i - 2) == key) {
        std::size_t v = json.find(':', end);
        if (v == std::string_view::npos) return std::nullopt;
        ++v;
        while (v < json.size() &&
               (json[v] == ' ' || json[v] == '\t' || json[v] == '\n' || json[v] == '\r'))
          ++v;
        std::size_t e = v;
        if (e < json.size() && json[e] == '"') {
          e = string_end(json, e);
        } else {
          while (e < json.size() && json[e] != ',' && json[e] != '}' && json[e] != ']' &&
                 json[e] != ' ')
            ++e;
        }
        return json.substr(v, e - v);
      }
      expect_key = false;
      i = end;
      continue;
    }
    if (c == '{') {
      ++depth;
      expect_key = depth == 1;
    } else if (c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;
    } else if (c == ',') {
      expect_key = depth == 1;
    }
    ++i;
  }
  return std::nullopt;
}

}  // namespace llmtap::payload
