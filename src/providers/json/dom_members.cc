#include "providers/json/dom_members.h"

namespace llmtap::providers {

std::string_view string_member(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return value;
}

bool has_member(simdjson::dom::object object, std::string_view key) {
  simdjson::dom::element value;
  return object[key].get(value) == simdjson::SUCCESS && !value.is_null();
}

std::int64_t count_member(simdjson::dom::object object, std::string_view key) {
  std::int64_t n = 0;
  if (object[key].get(n) != simdjson::SUCCESS || n < 0) return 0;
  return n;
}

}  // namespace llmtap::providers
