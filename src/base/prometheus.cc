#include "base/prometheus.h"

#include <fmt/format.h>

#include <iterator>

namespace llmtap::prometheus {
namespace {

// Label values escape backslash, double quote and newline.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
}

}  // namespace

std::size_t bucket_index(std::span<const double> upper_bounds, double value) {
  std::size_t bucket = 0;
  while (bucket < upper_bounds.size() && value > upper_bounds[bucket]) ++bucket;
  return bucket;
}

void Writer::family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void Writer::write_labels(Labels labels, const Label* extra) {
  if (labels.size() == 0 && extra == nullptr) return;
  out_.push_back('{');
  bool first = true;
  auto write = [&](const Label& label) {
    if (!first) out_.push_back(',');
    first = false;
    out_.append(label.name);
    out_ += "=\"";
    append_label_value(out_, label.value);
    out_.push_back('"');
  };
  for (const Label& label : labels) write(label);
  if (extra != nullptr) write(*extra);
  out_.push_back('}');
}

void Writer::sample(std::string_view name, Labels labels, std::uint64_t value) {
  out_.append(name);
  write_labels(labels);
  fmt::format_to(std::back_inserter(out_), " {}\n", value);
}

void Writer::sample(std::string_view name, Labels labels, std::string_view formatted_value) {
  out_.append(name);
  write_labels(labels);
  out_.push_back(' ');
  out_.append(formatted_value);
  out_.push_back('\n');
}

void Writer::histogram(std::string_view name, Labels labels, std::span<const double> upper_bounds,
                       std::span<const std::uint64_t> counts, std::string_view formatted_sum) {
  const std::string bucket_name = fmt::format("{}_bucket", name);
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b <= upper_bounds.size(); ++b) {
    if (b < counts.size()) cumulative += counts[b];
    const std::string le = b < upper_bounds.size() ? fmt::format("{}", upper_bounds[b]) : "+Inf";
    const Label le_label{"le", le};
    out_.append(bucket_name);
    write_labels(labels, &le_label);
    fmt::format_to(std::back_inserter(out_), " {}\n", cumulative);
  }
  sample(fmt::format("{}_sum", name), labels, formatted_sum);
  sample(fmt::format("{}_count", name), labels, cumulative);
}

}  // namespace llmtap::prometheus
