#include "providers/json/dom_copy.h"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "payload/json_writer.h"

namespace llmtap::providers {

namespace dom = simdjson::dom;

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
      // JsonWriter's integers are signed: the digits as they are.
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

}  // namespace llmtap::providers
