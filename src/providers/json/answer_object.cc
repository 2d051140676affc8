#include "providers/json/answer_object.h"

#include <fmt/format.h>

namespace llmtap::providers {

Result<simdjson::dom::object, std::string> parse_answer_object(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  simdjson::dom::object answer;
  if (auto error = parser.parse(padded).get(answer)) {
    return fmt::format("the answer is not a JSON object ({})", simdjson::error_message(error));
  }
  if (simdjson::dom::element error_value; answer["error"].get(error_value) == simdjson::SUCCESS) {
    std::string_view text;
    if (error_value["message"].get(text) != simdjson::SUCCESS) text = "no message";
    return fmt::format("the answer is an error: {}", text);
  }
  return answer;
}

}  // namespace llmtap::providers
