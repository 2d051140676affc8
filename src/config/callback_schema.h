// Every key of a generic_api logger (a `callback_settings.<name>` entry or a preset), declared
// once: its name, what kind of value it takes (which fixes its bounds), where it lands in
// CallbackConfig, its default and a one-line doc. The loader parses by this table, unknown-key
// errors list its names, check-config prints by it and a test diffs it against README.md's
// `callback_settings.<name>` table. Defaults live in CallbackConfig's initializers; the table
// names the few that are not a plain value there. Static data; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace llmtap::config {

enum class KeyKind {
  callback_type,     // must be generic_api
  url,               // an http:// or https:// URL
  header_map,        // names to values, merged over lower layers
  event_list,        // a subset of llm_api_success, llm_api_failure
  choice,            // one of the field's enum names (config/enum_names.h)
  count,             // a positive integer
  duration,          // seconds, positive (config/validators.h: parse_duration)
  duration_or_zero,  // seconds, zero allowed
  text,              // any string
  text_or_none,      // any string; "none" or empty turns the feature off
  secret,            // a Standard Webhooks secret, whsec_<base64>
  field_map,         // names to strings, merged over a preset's
  file,              // a readable file, relative to the config's folder
  flag,              // true or false
};

// When check-config prints a key: always, only when it differs from the default, or only with
// `buffer: disk`. `hidden` keys are printed their own way (endpoint, headers, event_types, …).
enum class KeyShown { always, when_set, with_disk_buffer, hidden };

// Presets cannot set entry_only keys (a preset cannot know your certificates).
enum class KeyScope { entry_and_preset, entry_only };

// Where a value lands: a member of CallbackConfig, or of its `tls` (keys "tls.<member>").
template <typename T>
struct Field {
  T CallbackConfig::*member = nullptr;
  T CallbackTls::*tls_member = nullptr;
  T& of(CallbackConfig& cb) const { return member != nullptr ? cb.*member : cb.tls.*tls_member; }
  const T& of(const CallbackConfig& cb) const {
    return member != nullptr ? cb.*member : cb.tls.*tls_member;
  }
};

// monostate: the loader reads the key itself (headers, event_types, envelope_fields, …).
using FieldRef =
    std::variant<std::monostate, Field<std::string>, Field<std::size_t>,
                 Field<std::chrono::milliseconds>, Field<bool>, Field<LogFormat>, Field<WhenFull>,
                 Field<BufferKind>, Field<FsyncPolicy>, Field<Compression>, Field<Envelope>>;

struct CallbackKey {
  std::string_view name;  // as written; "tls.verify" is `verify` inside the `tls` map
  KeyKind kind;
  FieldRef field;
  // The default as README writes it when it is not the field's value in CallbackConfig{}; in a
  // text default, "<name>" stands for the logger's name and is filled in by the loader.
  std::string_view default_text;
  KeyScope scope;
  KeyShown shown;
  std::string_view doc;
};

// In the order the loader checks them, so one entry's errors come out in this order.
std::span<const CallbackKey> callback_keys();
const CallbackKey* find_callback_key(std::string_view name);

// The default, as README's table prints it (without backticks): "100", "json_array", "none".
std::string default_text(const CallbackKey& key);
// The value `cb` holds for `key`, as check-config prints it ("60s", "ndjson", "4").
std::string value_text(const CallbackKey& key, const CallbackConfig& cb);

// Keys with one scalar value that an entry or a preset writes at its top level.
bool is_logger_scalar_key(std::string_view name);
// The keys of a callback_settings entry ("tls" standing for tls.*), of a preset (which also
// documents itself: docs, environment_variables), and of `tls`; each sorted.
const std::vector<std::string_view>& callback_settings_key_names();
const std::vector<std::string_view>& preset_key_names();
const std::vector<std::string_view>& tls_key_names();

}  // namespace llmtap::config
