// The names of Config's enums, written once: the loader parses them, check-config prints them
// and error messages list them, all from these tables. Static data; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/enum_names.h"
#include "config/config.h"

namespace llmtap::config {

// enum_names<E>(): the table of E's config names (base/enum_names.h), in declaration order,
// which is also the order messages list them.
template <typename Enum>
constexpr auto enum_names();

template <>
constexpr auto enum_names<LogFormat>() {
  return base::make_enum_names<LogFormat>({{LogFormat::json_array, "json_array"},
                                           {LogFormat::ndjson, "ndjson"},
                                           {LogFormat::single, "single"}});
}

template <>
constexpr auto enum_names<WhenFull>() {
  return base::make_enum_names<WhenFull>({{WhenFull::drop_oldest, "drop_oldest"},
                                          {WhenFull::drop_newest, "drop_newest"},
                                          {WhenFull::block, "block"}});
}

template <>
constexpr auto enum_names<BufferKind>() {
  return base::make_enum_names<BufferKind>(
      {{BufferKind::memory, "memory"}, {BufferKind::disk, "disk"}});
}

template <>
constexpr auto enum_names<FsyncPolicy>() {
  return base::make_enum_names<FsyncPolicy>({{FsyncPolicy::never, "never"},
                                             {FsyncPolicy::batch, "batch"},
                                             {FsyncPolicy::always, "always"}});
}

template <>
constexpr auto enum_names<Compression>() {
  return base::make_enum_names<Compression>(
      {{Compression::none, "none"}, {Compression::gzip, "gzip"}, {Compression::zstd, "zstd"}});
}

template <>
constexpr auto enum_names<Envelope>() {
  return base::make_enum_names<Envelope>({{Envelope::none, "none"},
                                          {Envelope::splunk_hec, "splunk_hec"},
                                          {Envelope::datadog, "datadog"},
                                          {Envelope::clickhouse, "clickhouse"}});
}

// The config name of `value`.
template <typename Enum>
constexpr std::string_view name_of(Enum value) {
  return enum_names<Enum>()[value];
}

template <typename Enum>
constexpr std::optional<Enum> enum_from_name(std::string_view name) {
  return enum_names<Enum>().find(name);
}

// "json_array, ndjson, single": the names as error messages list them.
template <typename Enum>
std::string enum_name_list() {
  constexpr auto kNames = enum_names<Enum>();
  std::string out;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (!out.empty()) out += ", ";
    out += kNames.at(i);
  }
  return out;
}

}  // namespace llmtap::config
