#include "config/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace llmtap::config {
namespace {

constexpr std::string_view kMergeKey = "<<";

}  // namespace

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    error = fmt::format("cannot read file: {}", ec.message());
    return std::nullopt;
  }
  if (size > kMaxFileBytes) {
    error = fmt::format("file is larger than {} MiB", kMaxFileBytes / (1024 * 1024));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read file: {}", std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", node.Scalar());
    case YAML::NodeType::Null:
      return "null";
    default:
      return "nothing";
  }
}

Mark YamlReader::file_mark(std::string key_path) const {
  return Mark{file_, 0, 0, std::move(key_path)};
}

Mark YamlReader::at(const YAML::Node& node, std::string key_path) const {
  Mark mark = file_mark(std::move(key_path));
  const YAML::Mark position = node.Mark();
  if (!position.is_null()) {
    mark.line = position.line + 1;
    mark.column = position.column + 1;
  }
  return mark;
}

void YamlReader::for_each_entry(const YAML::Node& map, const std::string& path, const EntryFn& fn) {
  std::set<std::string> own;
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() != kMergeKey) {
      own.insert(entry.first.Scalar());
    }
  }
  std::set<std::string> seen;
  auto visit = [&](const YAML::Node& key, const YAML::Node& value) {
    if (!key.IsScalar()) {
      diagnostics_.error(at(key, path), fmt::format("expected a string key, got {}", kind_of(key)));
      return;
    }
    const std::string child = path.empty() ? key.Scalar() : path + "." + key.Scalar();
    if (!seen.insert(key.Scalar()).second) {
      diagnostics_.warn(at(key, child), "duplicate key; the last one wins");
    }
    fn(key.Scalar(), key, value, child);
  };
  for (const auto& entry : map) {
    if (!entry.first.IsScalar() || entry.first.Scalar() != kMergeKey) continue;
    std::vector<YAML::Node> sources;
    if (entry.second.IsMap()) sources.push_back(entry.second);
    if (entry.second.IsSequence()) {
      for (const auto& item : entry.second) sources.push_back(item);
    }
    if (sources.empty() || !std::all_of(sources.begin(), sources.end(),
                                        [](const YAML::Node& n) { return n.IsMap(); })) {
      const std::string merge_path =
          path.empty() ? std::string(kMergeKey) : fmt::format("{}.{}", path, kMergeKey);
      diagnostics_.error(
          at(entry.first, merge_path),
          fmt::format("expected a map or a list of maps to merge, got {}", kind_of(entry.second)));
      continue;
    }
    for (const auto& source : sources) {
      for (const auto& merged : source) {
        if (merged.first.IsScalar() && own.count(merged.first.Scalar()) == 0 &&
            seen.count(merged.first.Scalar()) == 0) {
          visit(merged.first, merged.second);
        }
      }
    }
  }
  for (const auto& entry : map) {
    if (entry.first.IsScalar() && entry.first.Scalar() == kMergeKey) continue;
    visit(entry.first, entry.second);
  }
}

bool YamlReader::expect_map(const YAML::Node& node, const Mark& where) {
  if (node.IsMap()) return true;
  diagnostics_.error(where, fmt::format("expected a map, got {}", kind_of(node)));
  return false;
}

std::optional<std::string> YamlReader::text(const YAML::Node& node, const Mark& where,
                                            std::vector<Diagnostic>* unset) {
  if (!node.IsScalar()) {
    diagnostics_.error(where, fmt::format("expected a string, got {}", kind_of(node)));
    return std::nullopt;
  }
  auto expansion = resolver_.expand(node.Scalar());
  if (expansion.missing.empty()) return std::move(expansion.value);
  for (const auto& name : expansion.missing) {
    std::string message = fmt::format("environment variable '{}' is not set", name);
    if (unset != nullptr) {
      unset->push_back(diagnostic_at(where, std::move(message)));
    } else {
      diagnostics_.error(where, std::move(message));
    }
  }
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const Mark& where) {
  auto value = text(node, where);
  if (!value) return std::nullopt;
  return checked(parse_flag(*value), *value, where);
}

std::optional<std::vector<std::string>> YamlReader::string_list(const YAML::Node& node,
                                                                const Mark& where) {
  std::vector<std::string> out;
  if (node.IsNull()) return out;
  if (node.IsScalar()) {
    auto value = text(node, where);
    if (!value) return std::nullopt;
    out.push_back(std::move(*value));
    return out;
  }
  if (!node.IsSequence()) {
    diagnostics_.error(where, fmt::format("expected a list or a string, got {}", kind_of(node)));
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < node.size(); ++i) {
    auto value = text(node[i], at(node[i], fmt::format("{}[{}]", where.key_path, i)));
    if (value) {
      out.push_back(std::move(*value));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> YamlReader::file_path(const YAML::Node& node, const Mark& where) {
  auto value = text(node, where);
  if (!value) return std::nullopt;
  return file_path(*value, where);
}

std::optional<std::string> YamlReader::file_path(const std::string& value, const Mark& where,
                                                 const std::string& prefix) {
  std::filesystem::path p(value);
  if (p.is_relative()) p = std::filesystem::path(file_).parent_path() / p;
  std::error_code ec;
  p = std::filesystem::absolute(p, ec).lexically_normal();
  if (ec || !std::filesystem::is_regular_file(p, ec)) {
    diagnostics_.error(where, fmt::format("{}cannot read file '{}'", prefix, p.string()));
    return std::nullopt;
  }
  return p.string();
}

}  // namespace llmtap::config
