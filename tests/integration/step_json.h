// Reading the JSON lines the SDK driver scripts print (node_steps.h): a string member as a
// std::string, an array of strings as a vector — what every *_sdk_test.cc compares.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace llmtap::test {

inline std::string text(simdjson::dom::element element) {
  return std::string(std::string_view(element));
}

inline std::vector<std::string> strings(simdjson::dom::element array) {
  std::vector<std::string> out;
  for (simdjson::dom::element item : simdjson::dom::array(array)) out.push_back(text(item));
  return out;
}

}  // namespace llmtap::test
