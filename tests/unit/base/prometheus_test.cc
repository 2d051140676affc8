#include "base/prometheus.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

#include "base/enum_names.h"

namespace llmtap {
namespace {

// Verifies that a value lands in the first bucket whose upper bound is not below it, and in the
// +Inf bucket past the last bound.
TEST(PrometheusTest, BucketIndexIsFirstBoundNotBelowValue) {
  constexpr std::array<double, 3> kBounds{0.1, 1, 5};
  EXPECT_EQ(prometheus::bucket_index(kBounds, 0.0), 0u);
  EXPECT_EQ(prometheus::bucket_index(kBounds, 0.1), 0u);
  EXPECT_EQ(prometheus::bucket_index(kBounds, 0.5), 1u);
  EXPECT_EQ(prometheus::bucket_index(kBounds, 5), 2u);
  EXPECT_EQ(prometheus::bucket_index(kBounds, 5.01), 3u);
}

// Verifies the exact text of a family, labelled samples (values escaped) and a histogram.
TEST(PrometheusTest, WritesFamiliesSamplesAndHistograms) {
  std::string text;
  prometheus::Writer out(text);
  out.family("x_total", "counter", "Things.");
  out.sample("x_total", {}, std::uint64_t{3});
  out.sample("x_total", {{"a", "q\"b\\c\nd"}, {"b", "2"}}, std::uint64_t{4});
  constexpr std::array<double, 2> kBounds{0.5, 2.5};
  const std::array<std::uint64_t, 3> counts{1, 0, 2};
  out.histogram("h_seconds", {{"r", "x"}}, kBounds, counts, "1.25");
  EXPECT_EQ(text,
            "# HELP x_total Things.\n# TYPE x_total counter\n"
            "x_total 3\n"
            "x_total{a=\"q\\\"b\\\\c\\nd\",b=\"2\"} 4\n"
            "h_seconds_bucket{r=\"x\",le=\"0.5\"} 1\n"
            "h_seconds_bucket{r=\"x\",le=\"2.5\"} 1\n"
            "h_seconds_bucket{r=\"x\",le=\"+Inf\"} 3\n"
            "h_seconds_sum{r=\"x\"} 1.25\n"
            "h_seconds_count{r=\"x\"} 3\n");
}

enum class Color { red, green };
constexpr auto kColorNames =
    base::make_enum_names<Color>({{Color::red, "red"}, {Color::green, "green"}});

// Verifies that an enum-name table is indexed by enumerator and sized by its entries.
TEST(EnumNamesTest, NamesEachEnumeratorAndCountsThem) {
  static_assert(kColorNames.size() == 2);
  EXPECT_EQ(kColorNames[Color::green], "green");
  EXPECT_EQ(kColorNames.at(0), "red");
  EXPECT_EQ(kColorNames[static_cast<Color>(7)], "unknown");
}

}  // namespace
}  // namespace llmtap
