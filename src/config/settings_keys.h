// The key names a generic_api logger accepts, shared by callback_settings entries and presets so
// the two can never drift apart. Static data; thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace llmtap::config {

// Keys whose value is one scalar (everything but headers and event_types).
inline constexpr std::array<std::string_view, 19> kLoggerScalarKeys{
    "endpoint",        "log_format",        "batch_size",      "flush_interval",
    "timeout",         "max_in_flight",     "max_retry_time",  "max_queue_records",
    "max_queue_bytes", "max_batch_bytes",   "when_full",       "buffer",
    "buffer_path",     "buffer_max_bytes",  "fsync",           "dead_letter_path",
    "signing_secret",  "compression",       "envelope"};

// Keys of the `tls` map (callback_settings only; a preset cannot know your certificates).
inline constexpr std::array<std::string_view, 4> kLoggerTlsKeys{"ca_file", "cert_file", "key_file", "verify"};

inline bool is_logger_tls_key(std::string_view key) {
  for (auto known : kLoggerTlsKeys) {
    if (known == key) return true;
  }
  return false;
}

inline bool is_logger_scalar_key(std::string_view key) {
  for (auto known : kLoggerScalarKeys) {
    if (known == key) return true;
  }
  return false;
}

// "batch_size, callback_type, …": every key a callback_settings entry accepts, sorted.
inline std::string callback_settings_keys_list() {
  return "batch_size, buffer, buffer_max_bytes, buffer_path, callback_type, compression, "
         "dead_letter_path, endpoint, envelope, envelope_fields, event_types, flush_interval, fsync, "
         "headers, log_format, max_batch_bytes, max_in_flight, max_queue_bytes, max_queue_records, "
         "max_retry_time, signing_secret, timeout, tls, when_full";
}

// The same for a preset, which also documents itself.
inline std::string preset_keys_list() {
  return "batch_size, buffer, buffer_max_bytes, buffer_path, callback_type, compression, "
         "dead_letter_path, docs, endpoint, envelope, envelope_fields, environment_variables, "
         "event_types, flush_interval, fsync, headers, log_format, max_batch_bytes, max_in_flight, "
         "max_queue_bytes, max_queue_records, max_retry_time, signing_secret, timeout, when_full";
}

}  // namespace llmtap::config
