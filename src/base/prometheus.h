// Prometheus text exposition (format 0.0.4) for GET /metrics: HELP/TYPE lines, samples with
// labels, and histograms with cumulative `le` buckets. Number formats are the caller's: integers
// print as integers, and a caller that wants "0.000000" passes the formatted text.
//
// A Writer appends to a string it does not own; use one per render. Not thread-safe: the caller
// snapshots its counters first and renders on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace llmtap::prometheus {

// One label pair. The value is escaped when written; the name must be a valid label name.
struct Label {
  std::string_view name;
  std::string_view value;
};
using Labels = std::initializer_list<Label>;

// Index of the histogram bucket `value` falls in: the first upper bound >= value, or
// upper_bounds.size() (the +Inf bucket) when it exceeds them all.
std::size_t bucket_index(std::span<const double> upper_bounds, double value);

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  // "# HELP name help" and "# TYPE name type"; type is counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);

  // name{labels} value
  void sample(std::string_view name, Labels labels, std::uint64_t value);
  void sample(std::string_view name, Labels labels, std::string_view formatted_value);

  // name_bucket{labels,le="…"} per bound and +Inf (cumulative), then name_sum and name_count.
  // `counts` holds upper_bounds.size() + 1 per-bucket (not cumulative) counts.
  void histogram(std::string_view name, Labels labels, std::span<const double> upper_bounds,
                 std::span<const std::uint64_t> counts, std::string_view formatted_sum);

 private:
  void write_labels(Labels labels, const Label* extra = nullptr);

  std::string& out_;
};

}  // namespace llmtap::prometheus
