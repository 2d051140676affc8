// The names of Config's enums, written once: the loader parses them, check-config prints them
// and error messages list them, all from these tables. Static data; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "config/config.h"

namespace llmtap::config {

template <typename Enum>
using EnumName = std::pair<std::string_view, Enum>;

// enum_names<E>(): every value of E with its config name, in the order messages list them.
template <typename Enum>
constexpr auto enum_names();

template <>
constexpr auto enum_names<LogFormat>() {
  return std::array<EnumName<LogFormat>, 3>{{{"json_array", LogFormat::json_array},
                                             {"ndjson", LogFormat::ndjson},
                                             {"single", LogFormat::single}}};
}

template <>
constexpr auto enum_names<WhenFull>() {
  return std::array<EnumName<WhenFull>, 3>{{{"drop_oldest", WhenFull::drop_oldest},
                                            {"drop_newest", WhenFull::drop_newest},
                                            {"block", WhenFull::block}}};
}

template <>
constexpr auto enum_names<BufferKind>() {
  return std::array<EnumName<BufferKind>, 2>{
      {{"memory", BufferKind::memory}, {"disk", BufferKind::disk}}};
}

template <>
constexpr auto enum_names<FsyncPolicy>() {
  return std::array<EnumName<FsyncPolicy>, 3>{{{"never", FsyncPolicy::never},
                                               {"batch", FsyncPolicy::batch},
                                               {"always", FsyncPolicy::always}}};
}

template <>
constexpr auto enum_names<Compression>() {
  return std::array<EnumName<Compression>, 3>{
      {{"none", Compression::none}, {"gzip", Compression::gzip}, {"zstd", Compression::zstd}}};
}

template <>
constexpr auto enum_names<Envelope>() {
  return std::array<EnumName<Envelope>, 4>{{{"none", Envelope::none},
                                            {"splunk_hec", Envelope::splunk_hec},
                                            {"datadog", Envelope::datadog},
                                            {"clickhouse", Envelope::clickhouse}}};
}

// The config name of `value`.
template <typename Enum>
constexpr std::string_view name_of(Enum value) {
  for (const auto& [name, e] : enum_names<Enum>()) {
    if (e == value) return name;
  }
  return "?";
}

template <typename Enum>
constexpr std::optional<Enum> enum_from_name(std::string_view name) {
  for (const auto& [n, e] : enum_names<Enum>()) {
    if (n == name) return e;
  }
  return std::nullopt;
}

// "json_array, ndjson, single": the names as error messages list them.
template <typename Enum>
std::string enum_name_list() {
  std::string out;
  for (const auto& [name, e] : enum_names<Enum>()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace llmtap::config
