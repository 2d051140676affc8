// CallbackReader, building: RawLoggers → CallbackConfigs by config/callback_schema.h's table.
#include "config/callbacks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <set>

#include "base/ascii.h"
#include "config/enum_names.h"
#include "config/validators.h"

namespace llmtap::config {
namespace {

constexpr std::string_view kSuccessEvent = "llm_api_success";
constexpr std::string_view kFailureEvent = "llm_api_failure";

// Replaces a header of the same name (case-insensitively) in place, else appends.
void merge_header(HeaderList& headers, std::string name, std::string value) {
  for (auto& [existing, existing_value] : headers) {
    if (ascii::iequals(existing, name)) {
      existing = std::move(name);
      existing_value = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace

std::string CallbackReader::prefix_of(const Setting& s) {
  return s.preset.empty() ? std::string() : fmt::format("preset '{}' {}: ", s.preset, s.preset_key);
}

std::optional<std::string> CallbackReader::resolve(const Setting& s) {
  auto expansion = resolver_.expand(s.text, !s.preset.empty());
  if (expansion.missing.empty()) return std::move(expansion.value);
  for (const auto& name : expansion.missing) {
    diagnostics_.error(s.where,
                       fmt::format("{}environment variable '{}' is not set", prefix_of(s), name));
  }
  return std::nullopt;
}

// Headers from GENERIC_LOGGER_HEADERS, parsed once and only if some logger needs them.
const std::vector<std::pair<std::string, std::string>>& CallbackReader::env_headers() {
  if (!env_headers_) {
    env_headers_.emplace();
    if (auto value = resolver_.get("GENERIC_LOGGER_HEADERS")) {
      *env_headers_ = parse_header_pairs(*value, yaml_.file_mark("$GENERIC_LOGGER_HEADERS"));
    }
  }
  return *env_headers_;
}

std::optional<std::size_t> CallbackReader::global_batch_size() {
  if (default_batch_size_) return default_batch_size_;
  if (auto value = resolver_.get("DEFAULT_BATCH_SIZE")) {
    return yaml_.checked(parse_count(*value), *value, yaml_.file_mark("$DEFAULT_BATCH_SIZE"));
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> CallbackReader::global_flush_interval() {
  if (default_flush_interval_) return default_flush_interval_;
  if (auto value = resolver_.get("DEFAULT_FLUSH_INTERVAL_SECONDS")) {
    return yaml_.checked(parse_duration(*value, DurationBound::positive), *value,
                         yaml_.file_mark("$DEFAULT_FLUSH_INTERVAL_SECONDS"));
  }
  return std::nullopt;
}

bool CallbackReader::add_header(HeaderList& headers, const std::string& name,
                                const std::string& value, const Mark& where,
                                const std::string& prefix) {
  if (!is_header_token(name)) {
    diagnostics_.error(
        where, fmt::format("{}invalid header name '{}' (must be an RFC 7230 token)", prefix, name));
    return false;
  }
  if (has_control_break(value)) {
    diagnostics_.error(where,
                       fmt::format("{}header '{}' value contains CR, LF or NUL", prefix, name));
    return false;
  }
  merge_header(headers, name, value);
  return true;
}

std::optional<CallbackConfig> CallbackReader::build(const RawLogger& raw, bool success,
                                                    bool failure) {
  const std::size_t errors_before = diagnostics_.error_count();
  CallbackConfig cb;
  cb.name = raw.name;
  apply_defaults(raw.name, cb);
  for (const CallbackKey& key : callback_keys()) {
    switch (key.kind) {
      case KeyKind::callback_type:  // checked when the entry was read
      case KeyKind::event_list:     // read_event_types, below
      case KeyKind::header_map:     // merge_headers, below: Content-Type follows log_format
        break;
      case KeyKind::url:
        read_endpoint(raw, cb);
        break;
      case KeyKind::field_map:
        read_envelope_fields(raw, cb);
        break;
      default:
        if (const Setting* s = find_setting(raw, key.name)) land(key, *s, cb);
    }
  }
  check_tls_pair(raw);
  read_event_types(raw, success, failure, cb);
  merge_headers(raw, cb);

  if (diagnostics_.error_count() != errors_before) return std::nullopt;
  if (!cb.log_success && !cb.log_failure) {
    diagnostics_.warn(raw.where,
                      fmt::format("callback '{}' receives no events: its event_types and the lists "
                                  "naming it do not overlap; ignored",
                                  raw.name));
    return std::nullopt;
  }
  return cb;
}

const Setting* CallbackReader::find_setting(const RawLogger& raw, std::string_view key) {
  auto it = raw.settings.find(std::string(key));
  return it == raw.settings.end() ? nullptr : &it->second;
}

// Defaults that depend on the logger (paths under ./.llmtap/<name>) or on litellm_settings and
// the environment (DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL_SECONDS).
void CallbackReader::apply_defaults(const std::string& name, CallbackConfig& cb) {
  for (const CallbackKey& key : callback_keys()) {
    const auto* field = std::get_if<Field<std::string>>(&key.field);
    const std::size_t at = key.default_text.find("<name>");
    if (field == nullptr || at == std::string_view::npos) continue;
    std::string text(key.default_text);
    field->of(cb) = text.replace(at, 6, name);
  }
  if (auto n = global_batch_size()) cb.batch_size = *n;
  if (auto d = global_flush_interval()) cb.flush_interval = *d;
}

// Checks one scalar setting by its key's kind and stores it where the key says.
void CallbackReader::land(const CallbackKey& key, const Setting& s, CallbackConfig& cb) {
  auto value = resolve(s);
  if (!value) return;
  std::visit(
      [&](const auto& field) {
        using F = std::decay_t<decltype(field)>;
        if constexpr (!std::is_same_v<F, std::monostate>) {
          if (auto checked_value = check_value(key, field, *value, s)) {
            field.of(cb) = std::move(*checked_value);
          }
        }
      },
      key.field);
  if (std::holds_alternative<Field<Envelope>>(key.field)) check_envelope_format(s, cb);
}

template <typename T>
std::optional<T> CallbackReader::check_value(const CallbackKey& key, const Field<T>&,
                                             const std::string& value, const Setting& s) {
  const std::string prefix = prefix_of(s);
  if constexpr (std::is_same_v<T, std::size_t>) {
    return yaml_.checked(parse_count(value), value, s.where, prefix);
  } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
    const auto bound = key.kind == KeyKind::duration_or_zero ? DurationBound::non_negative
                                                             : DurationBound::positive;
    return yaml_.checked(parse_duration(value, bound), value, s.where, prefix);
  } else if constexpr (std::is_same_v<T, bool>) {
    return yaml_.checked(parse_flag(value), value, s.where, prefix);
  } else if constexpr (std::is_enum_v<T>) {
    auto e = enum_from_name<T>(value);
    if (!e) {
      diagnostics_.error(s.where, fmt::format("{}expected one of {}, got '{}'", prefix,
                                              enum_name_list<T>(), value));
    }
    return e;
  } else {
    return check_text(key, value, s);
  }
}

std::optional<std::string> CallbackReader::check_text(const CallbackKey& key,
                                                      const std::string& value, const Setting& s) {
  const std::string prefix = prefix_of(s);
  switch (key.kind) {
    case KeyKind::url:
      if (is_http_url(value)) return value;
      diagnostics_.error(
          s.where, fmt::format("{}expected an http:// or https:// URL, got '{}'", prefix, value));
      return std::nullopt;
    case KeyKind::secret:
      if (is_webhook_secret(value)) return value;
      diagnostics_.error(
          s.where, fmt::format("{}expected a Standard Webhooks secret 'whsec_<base64>'", prefix));
      return std::nullopt;
    case KeyKind::file:
      return yaml_.file_path(value, s.where, prefix);
    case KeyKind::text_or_none:
      return value == "none" ? std::string() : value;
    default:
      return value;
  }
}

// endpoint, else GENERIC_LOGGER_ENDPOINT; one of them is required.
void CallbackReader::read_endpoint(const RawLogger& raw, CallbackConfig& cb) {
  static const CallbackKey& key = *find_callback_key("endpoint");
  if (const Setting* s = find_setting(raw, key.name)) {
    land(key, *s, cb);
  } else if (auto value = resolver_.get("GENERIC_LOGGER_ENDPOINT")) {
    if (is_http_url(*value)) {
      cb.endpoint = *value;
    } else {
      diagnostics_.error(yaml_.file_mark("$GENERIC_LOGGER_ENDPOINT"),
                         fmt::format("expected an http:// or https:// URL, got '{}'", *value));
    }
  } else if (raw.from_entry) {
    diagnostics_.error(raw.where,
                       "missing required key 'endpoint' (or set GENERIC_LOGGER_ENDPOINT)");
  } else {
    diagnostics_.error(raw.where,
                       fmt::format("callback '{}' needs GENERIC_LOGGER_ENDPOINT: environment "
                                   "variable 'GENERIC_LOGGER_ENDPOINT' is not set",
                                   raw.name));
  }
}

// Splunk HEC and ClickHouse read one object after another, never a JSON array.
void CallbackReader::check_envelope_format(const Setting& s, const CallbackConfig& cb) {
  if (cb.log_format != LogFormat::json_array) return;
  if (cb.envelope == Envelope::splunk_hec) {
    diagnostics_.error(
        s.where, fmt::format("{}envelope splunk_hec needs log_format ndjson or single (HEC reads "
                             "concatenated event objects, not a JSON array)",
                             prefix_of(s)));
  } else if (cb.envelope == Envelope::clickhouse) {
    diagnostics_.error(
        s.where, fmt::format("{}envelope clickhouse needs log_format ndjson or single (FORMAT "
                             "JSONEachRow reads one row object after another, not a JSON array)",
                             prefix_of(s)));
  }
}

void CallbackReader::read_envelope_fields(const RawLogger& raw, CallbackConfig& cb) {
  for (const auto& [name, s] : raw.envelope_fields) {
    if (auto value = resolve(s)) cb.envelope_fields.emplace_back(name, *value);
  }
  if (!raw.envelope_fields.empty() && cb.envelope == Envelope::none) {
    const Setting& first = raw.envelope_fields.front().second;
    diagnostics_.error(first.where,
                       fmt::format("{}envelope_fields needs an envelope (splunk_hec or datadog)",
                                   prefix_of(first)));
  }
}

void CallbackReader::check_tls_pair(const RawLogger& raw) {
  const Setting* cert = find_setting(raw, "tls.cert_file");
  const Setting* key = find_setting(raw, "tls.key_file");
  if ((cert != nullptr) != (key != nullptr)) {
    diagnostics_.error((cert ? cert : key)->where,
                       "mutual TLS needs both tls.cert_file and tls.key_file");
  }
}

void CallbackReader::read_event_types(const RawLogger& raw, bool success, bool failure,
                                      CallbackConfig& cb) {
  bool events_success = true, events_failure = true;
  if (raw.event_types) {
    events_success = events_failure = false;
    for (const Setting& s : *raw.event_types) {
      auto value = resolve(s);
      if (!value) continue;
      if (*value == kSuccessEvent) {
        events_success = true;
      } else if (*value == kFailureEvent) {
        events_failure = true;
      } else {
        diagnostics_.error(
            s.where, fmt::format("{}expected one of llm_api_success, llm_api_failure, got '{}'",
                                 prefix_of(s), *value));
      }
    }
  }
  cb.log_success = success && events_success;
  cb.log_failure = failure && events_failure;
}

// Later layers win, name by name, case-insensitively (README "callback_settings.<name>").
void CallbackReader::merge_headers(const RawLogger& raw, CallbackConfig& cb) {
  merge_header(cb.headers, "Content-Type",
               cb.log_format == LogFormat::ndjson ? "application/x-ndjson" : "application/json");
  for (const auto& [name, value] : env_headers()) {
    add_header(cb.headers, name, value, yaml_.file_mark("$GENERIC_LOGGER_HEADERS"), {});
  }
  for (const auto& [name, s] : global_headers_) add_header(cb.headers, name, s.text, s.where, {});
  // An entry that picks its own log_format over a preset's gets the Content-Type of that
  // format, not the preset's (which named the preset's format); its own Content-Type still wins.
  const Setting* format = find_setting(raw, "log_format");
  const bool entry_chose_format = format != nullptr && format->preset.empty();
  for (const auto& [name, s] : raw.headers) {
    if (entry_chose_format && !s.preset.empty() && ascii::iequals(name, "Content-Type")) continue;
    if (auto value = resolve(s)) add_header(cb.headers, name, *value, s.where, prefix_of(s));
  }
}

}  // namespace llmtap::config
