#include "providers/cohere/json_helpers.h"

#include <fmt/format.h>

#include <cstring>

#include "payload/json_writer.h"

namespace llmtap::providers::cohere {

namespace dom = simdjson::dom;

simdjson::error_code PaddedDomParser::parse(std::string_view json, dom::element& out) {
  const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
  if (buffer_.size() < needed) buffer_.resize(needed);
  if (!json.empty()) std::memcpy(buffer_.data(), json.data(), json.size());
  std::memset(buffer_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return parser_.parse(buffer_.data(), json.size(), false).get(out);
}

std::string_view string_member(dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return value;
}

std::int64_t count_member(dom::object object, std::string_view key) {
  std::int64_t n = 0;
  if (object[key].get(n) != simdjson::SUCCESS || n < 0) return 0;
  return n;
}

void copy_element(payload::JsonWriter& w, dom::element element) {
  switch (element.type()) {
    case dom::element_type::ARRAY:
      w.begin_array();
      for (dom::element child : dom::array(element)) copy_element(w, child);
      w.end_array();
      return;
    case dom::element_type::OBJECT:
      w.begin_object();
      for (dom::key_value_pair field : dom::object(element)) {
        w.key(field.key);
        copy_element(w, field.value);
      }
      w.end_object();
      return;
    case dom::element_type::STRING:
      w.string(std::string_view(element));
      return;
    case dom::element_type::INT64:
      w.integer(std::int64_t(element));
      return;
    case dom::element_type::UINT64:
      w.raw(fmt::format("{}", std::uint64_t(element)));
      return;
    case dom::element_type::DOUBLE:
      w.number(double(element));
      return;
    case dom::element_type::BOOL:
      w.boolean(bool(element));
      return;
    case dom::element_type::NULL_VALUE:
      w.null();
      return;
  }
}

}  // namespace llmtap::providers::cohere
