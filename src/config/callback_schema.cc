#include "config/callback_schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config/enum_names.h"

namespace llmtap::config {
namespace {

template <typename T>
constexpr Field<T> member(T CallbackConfig::*m) {
  return Field<T>{m, nullptr};
}

template <typename T>
constexpr Field<T> tls_member(T CallbackTls::*m) {
  return Field<T>{nullptr, m};
}

using K = KeyKind;
constexpr KeyScope kBoth = KeyScope::entry_and_preset;
constexpr KeyScope kEntry = KeyScope::entry_only;
constexpr KeyShown kAlways = KeyShown::always;
constexpr KeyShown kSet = KeyShown::when_set;
constexpr KeyShown kDisk = KeyShown::with_disk_buffer;
constexpr KeyShown kHidden = KeyShown::hidden;
using C = CallbackConfig;

const std::array<CallbackKey, 27> kKeys{{
    {"callback_type", K::callback_type, {}, "—", kBoth, kHidden, "must be generic_api"},
    {"endpoint", K::url, member(&C::endpoint), "GENERIC_LOGGER_ENDPOINT", kBoth, kHidden,
     "URL the records are POSTed to"},
    {"log_format",
     K::choice,
     member(&C::log_format),
     {},
     kBoth,
     kAlways,
     "json_array, ndjson (one record per line) or single (one POST per record)"},
    {"when_full",
     K::choice,
     member(&C::when_full),
     {},
     kBoth,
     kAlways,
     "what a full queue drops: the oldest, the newest, or refuses the new record"},
    {"buffer",
     K::choice,
     member(&C::buffer),
     {},
     kBoth,
     kAlways,
     "memory, or disk: records survive a crash until delivered"},
    {"fsync",
     K::choice,
     member(&C::fsync),
     {},
     kBoth,
     kDisk,
     "when the disk buffer calls fdatasync: never, batch or always"},
    {"buffer_path", K::text, member(&C::buffer_path), "./.llmtap/<name>", kBoth, kDisk,
     "the disk buffer's folder"},
    {"dead_letter_path", K::text_or_none, member(&C::dead_letter_path),
     "./.llmtap/<name>/dead-letter", kBoth, kAlways,
     "where given-up batches are kept; none: only logged"},
    {"batch_size", K::count, member(&C::batch_size), {}, kBoth, kAlways, "records per batch"},
    {"flush_interval",
     K::duration,
     member(&C::flush_interval),
     {},
     kBoth,
     kAlways,
     "seconds the oldest waiting record waits before a batch is sent anyway"},
    {"timeout",
     K::duration,
     member(&C::timeout),
     {},
     kBoth,
     kAlways,
     "seconds for one delivery request"},
    {"max_in_flight",
     K::count,
     member(&C::max_in_flight),
     {},
     kBoth,
     kAlways,
     "concurrent delivery requests"},
    {"max_retry_time",
     K::duration_or_zero,
     member(&C::max_retry_time),
     {},
     kBoth,
     kAlways,
     "seconds a batch may be retried before it is given up"},
    {"max_queue_records",
     K::count,
     member(&C::max_queue_records),
     {},
     kBoth,
     kAlways,
     "records held at most"},
    {"max_queue_bytes",
     K::count,
     member(&C::max_queue_bytes),
     {},
     kBoth,
     kAlways,
     "serialized bytes held at most"},
    {"max_batch_bytes",
     K::count,
     member(&C::max_batch_bytes),
     {},
     kBoth,
     kAlways,
     "a batch is cut before its body would exceed this"},
    {"signing_secret",
     K::secret,
     member(&C::signing_secret),
     {},
     kBoth,
     kSet,
     "Standard Webhooks secret: every request is signed"},
    {"compression",
     K::choice,
     member(&C::compression),
     {},
     kBoth,
     kSet,
     "none, gzip or zstd bodies"},
    {"envelope",
     K::choice,
     member(&C::envelope),
     {},
     kBoth,
     kSet,
     "wrap each record for Splunk HEC, Datadog or ClickHouse"},
    {"envelope_fields",
     K::field_map,
     {},
     "none",
     kBoth,
     kHidden,
     "string fields added to each envelope"},
    {"tls.ca_file", K::file, tls_member(&CallbackTls::ca_file), "system CAs", kEntry, kSet,
     "PEM file of the CAs to trust"},
    {"tls.cert_file",
     K::file,
     tls_member(&CallbackTls::cert_file),
     {},
     kEntry,
     kSet,
     "client certificate (PEM) for mutual TLS, with tls.key_file"},
    {"tls.key_file",
     K::file,
     tls_member(&CallbackTls::key_file),
     {},
     kEntry,
     kSet,
     "client key (PEM) for mutual TLS, with tls.cert_file"},
    {"tls.verify",
     K::flag,
     tls_member(&CallbackTls::verify),
     {},
     kEntry,
     kSet,
     "false: no certificate or host name check"},
    {"buffer_max_bytes",
     K::count,
     member(&C::buffer_max_bytes),
     {},
     kBoth,
     kDisk,
     "disk budget of the disk buffer"},
    {"event_types",
     K::event_list,
     {},
     "both",
     kBoth,
     kHidden,
     "which events: llm_api_success, llm_api_failure"},
    {"headers", K::header_map, {}, "none", kBoth, kHidden, "headers sent with every request"},
}};

constexpr std::string_view kTlsPrefix = "tls.";

std::string seconds_text(std::chrono::milliseconds d) {
  return fmt::format("{}", std::chrono::duration<double>(d).count());
}

// The text of one field's value; empty text reads "none".
std::string field_text(const FieldRef& field, const CallbackConfig& cb) {
  return std::visit(
      [&](const auto& f) -> std::string {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, std::monostate>) {
          return {};
        } else {
          const auto& value = f.of(cb);
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, std::string>) {
            return value.empty() ? std::string("none") : value;
          } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
            return seconds_text(value);
          } else if constexpr (std::is_same_v<T, bool>) {
            return value ? "true" : "false";
          } else if constexpr (std::is_enum_v<T>) {
            return std::string(name_of(value));
          } else {
            return fmt::format("{}", value);
          }
        }
      },
      field);
}

std::vector<std::string_view> sorted_unique(std::vector<std::string_view> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

std::span<const CallbackKey> callback_keys() { return kKeys; }

const CallbackKey* find_callback_key(std::string_view name) {
  for (const CallbackKey& key : kKeys) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

std::string default_text(const CallbackKey& key) {
  if (!key.default_text.empty()) return std::string(key.default_text);
  return field_text(key.field, CallbackConfig{});
}

std::string value_text(const CallbackKey& key, const CallbackConfig& cb) {
  return field_text(key.field, cb);
}

bool is_logger_scalar_key(std::string_view name) {
  const CallbackKey* key = find_callback_key(name);
  return key != nullptr && key->scope == KeyScope::entry_and_preset &&
         !std::holds_alternative<std::monostate>(key->field);
}

const std::vector<std::string_view>& callback_settings_key_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> out;
    for (const CallbackKey& key : kKeys) {
      out.push_back(key.name.starts_with(kTlsPrefix) ? std::string_view("tls") : key.name);
    }
    return sorted_unique(std::move(out));
  }();
  return kNames;
}

const std::vector<std::string_view>& preset_key_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> out{"docs", "environment_variables"};
    for (const CallbackKey& key : kKeys) {
      if (key.scope == KeyScope::entry_and_preset) out.push_back(key.name);
    }
    return sorted_unique(std::move(out));
  }();
  return kNames;
}

const std::vector<std::string_view>& tls_key_names() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> out;
    for (const CallbackKey& key : kKeys) {
      if (key.name.starts_with(kTlsPrefix)) out.push_back(key.name.substr(kTlsPrefix.size()));
    }
    return sorted_unique(std::move(out));
  }();
  return kNames;
}

}  // namespace llmtap::config
