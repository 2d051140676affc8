#include "config/presets.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "config/callback_schema.h"
#include "config/diagnostics.h"
#include "llmtap_data.h"

namespace llmtap::config {
namespace {

// Scalar JSON values become the text a YAML scalar would have had, so one parser serves both.
std::optional<std::string> scalar_text(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(value.get_string().value_unsafe()));
    case simdjson::dom::element_type::INT64:
      return fmt::format("{}", value.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return fmt::format("{}", value.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE:
      return fmt::format("{}", value.get_double().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return value.get_bool().value_unsafe() ? "true" : "false";
    default:
      return std::nullopt;
  }
}

std::optional<std::vector<std::string>> string_list(simdjson::dom::element value) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) return std::nullopt;
  std::vector<std::string> out;
  for (auto item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
    out.emplace_back(text);
  }
  return out;
}

// An object of scalars (headers, envelope_fields) into `out`, each bad member reported by `fail`.
template <typename Fail>
void string_map(std::string_view key, simdjson::dom::element value, std::string_view what,
                HeaderList& out, const Fail& fail) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    fail(key, fmt::format("expected an object of {}", what));
    return;
  }
  for (auto member : object) {
    auto text = scalar_text(member.value);
    if (!text) {
      fail(fmt::format("{}.{}", key, std::string_view(member.key)), "expected a string");
      continue;
    }
    out.emplace_back(std::string(std::string_view(member.key)), std::move(*text));
  }
}

void parse_one(std::string_view name, simdjson::dom::object object, PresetParse& out) {
  Preset preset;
  preset.name = std::string(name);
  bool ok = true;
  auto fail = [&](std::string_view key, std::string_view message) {
    out.errors.push_back(fmt::format("{}.{}: {}", name, key, message));
    ok = false;
  };
  for (auto field : object) {
    const std::string_view key = field.key;
    if (key == "headers") {
      string_map(key, field.value, "header names to values", preset.headers, fail);
    } else if (key == "envelope_fields") {
      string_map(key, field.value, "field names to strings", preset.envelope_fields, fail);
    } else if (key == "event_types") {
      preset.event_types = string_list(field.value);
      if (!preset.event_types) fail(key, "expected a list of strings");
    } else if (key == "environment_variables") {
      auto names = string_list(field.value);
      if (!names) {
        fail(key, "expected a list of strings");
      } else {
        preset.environment_variables = std::move(*names);
      }
    } else if (key == "docs") {
      simdjson::dom::object docs;
      if (field.value.get_object().get(docs) != simdjson::SUCCESS) {
        fail(key, "expected an object");
        continue;
      }
      std::string_view description;
      if (docs["description"].get_string().get(description) == simdjson::SUCCESS) {
        preset.description = std::string(description);
      }
    } else if (is_logger_scalar_key(key) || key == "callback_type") {
      auto text = scalar_text(field.value);
      if (!text) {
        fail(key, "expected a string or a number");
        continue;
      }
      preset.settings.emplace_back(std::string(key), std::move(*text));
    } else {
      fail(key, unknown_key_message(key, preset_key_names()));
    }
  }
  if (ok) out.presets.push_back(std::move(preset));
}

}  // namespace

PresetParse parse_presets(std::string_view json) {
  PresetParse out;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root); error != simdjson::SUCCESS) {
    out.errors.push_back(fmt::format("invalid JSON: {}", simdjson::error_message(error)));
    return out;
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    out.errors.emplace_back("expected a JSON object of preset names to settings");
    return out;
  }
  for (auto entry : object) {
    simdjson::dom::object settings;
    if (entry.value.get_object().get(settings) != simdjson::SUCCESS) {
      out.errors.push_back(fmt::format("{}: expected an object", std::string_view(entry.key)));
      continue;
    }
    parse_one(entry.key, settings, out);
  }
  return out;
}

const std::vector<Preset>& builtin_presets() {
  // Parsed once; a broken built-in file is a build defect caught by the tests.
  static const std::vector<Preset> kPresets = parse_presets(data::presets_json()).presets;
  return kPresets;
}

}  // namespace llmtap::config
