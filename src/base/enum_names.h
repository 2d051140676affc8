// EnumNames: the one table of an enum's names (metric labels, log words), indexed by the
// enumerator's value. The enum's count is the table's size, so code sizing arrays by it and code
// printing labels cannot disagree; the table must list every enumerator in declaration order,
// starting at 0, which make_enum_names checks at compile time.
//
//   enum class Color { red, green };
//   inline constexpr auto kColorNames = base::make_enum_names<Color>({{Color::red, "red"},
//                                                                     {Color::green, "green"}});
//   std::array<int, kColorNames.size()> per_color;   kColorNames[Color::green] == "green"
//
// Values are constexpr and immutable; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace llmtap::base {

template <class Enum, std::size_t N>
class EnumNames {
 public:
  constexpr explicit EnumNames(const std::array<std::string_view, N>& names) : names_(names) {}

  constexpr std::size_t size() const { return N; }
  // "unknown" for a value outside the table (an enumerator added without its name).
  constexpr std::string_view operator[](Enum value) const {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names_[index] : std::string_view("unknown");
  }
  constexpr std::string_view at(std::size_t index) const { return names_[index]; }
  constexpr Enum value(std::size_t index) const { return static_cast<Enum>(index); }
  // The enumerator called `name` (exact match); nullopt when none is.
  constexpr std::optional<Enum> find(std::string_view name) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (names_[i] == name) return value(i);
    }
    return std::nullopt;
  }

 private:
  std::array<std::string_view, N> names_;
};

// Builds the table from {enumerator, name} pairs; a pair out of declaration order fails to
// compile (the throw is not a constant expression).
template <class Enum, std::size_t N>
constexpr EnumNames<Enum, N> make_enum_names(
    const std::pair<Enum, std::string_view> (&entries)[N]) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(entries[i].first) != i) {
      throw std::logic_error("enum names out of declaration order");
    }
    names[i] = entries[i].second;
  }
  return EnumNames<Enum, N>(names);
}

}  // namespace llmtap::base
