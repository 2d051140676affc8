#include "payload/json_scanner.h"

#include <cstring>
#include <utility>

namespace llmtap::payload {

namespace od = simdjson::ondemand;

JsonScanner& JsonScanner::local() {
  thread_local JsonScanner scanner;
  return scanner;
}

simdjson::error_code JsonScanner::iterate(std::string_view json, od::document& doc) {
  const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
  if (buffer_.size() < needed) buffer_.resize(needed);
  std::memcpy(buffer_.data(), json.data(), json.size());
  // Zero padding keeps the bytes after the input deterministic for the SIMD reads.
  std::memset(buffer_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return parser_.iterate(buffer_.data(), json.size(), buffer_.size()).get(doc);
}

std::string_view trim_json_space(std::string_view text) {
  while (!text.empty()) {
    const char c = text.back();
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    text.remove_suffix(1);
  }
  return text;
}

simdjson::error_code JsonScanner::validate(od::value& value, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element_result : array) {
        od::value element;
        if (auto error = std::move(element_result).get(element)) return error;
        if (auto error = validate(element, depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return error;
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) return error;
        if (auto error = field.unescaped_key().error()) return error;
        if (auto error = validate(field.value(), depth + 1)) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      // get_double() accepts every valid JSON number, integers beyond 64 bits included; a failed
      // get_* does not advance, so the integer parse can still be tried.
      if (value.get_double().error() == simdjson::SUCCESS) return simdjson::SUCCESS;
      return value.get_number().error();
    }
    case od::json_type::string:
      return value.get_string().error();
    case od::json_type::boolean:
      return value.get_bool().error();
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return error;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

simdjson::error_code JsonScanner::slice_to_here(od::value& value, const char* start,
                                                std::string_view* raw) {
  const char* end = nullptr;
  if (auto error = value.current_location().get(end)) return error;
  *raw = trim_json_space(std::string_view(start, static_cast<std::size_t>(end - start)));
  return simdjson::SUCCESS;
}

simdjson::error_code JsonScanner::scan(od::value& value, std::string_view* raw) {
  const char* start = value.raw_json_token().data();
  if (auto error = validate(value)) return error;
  return slice_to_here(value, start, raw);
}

simdjson::error_code JsonScanner::member(simdjson::simdjson_result<od::field> result,
                                         od::field& field, std::string_view& key,
                                         od::json_type& type, std::string_view* raw_key_out) {
  if (auto error = std::move(result).get(field)) return error;
  if (raw_key_out) *raw_key_out = raw_key(field);
  if (auto error = field.unescaped_key().get(key)) return error;
  return field.value().type().get(type);
}

bool JsonScanner::at_end(od::document& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

std::string_view JsonScanner::raw_key(od::field& field) {
  // The key was validated by unescaped_key(); find its closing quote, stepping over escapes.
  const char* begin = field.key().raw();
  const char* p = begin;
  while (*p != '"') p += (*p == '\\') ? 2 : 1;
  return std::string_view(begin, static_cast<std::size_t>(p - begin));
}

}  // namespace llmtap::payload
