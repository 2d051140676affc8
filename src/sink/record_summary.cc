#include "sink/record_summary.h"

#include <simdjson.h>

#include <cstdio>
#include <string_view>

namespace llmtap::sink {
namespace {

// Error texts can be long (a whole upstream body); a one-liner keeps this much.
constexpr std::size_t kMaxErrorChars = 120;

std::string text_field(simdjson::dom::element element) {
  if (element.is_string()) return std::string(element.get_string().value_unsafe());
  if (element.is_int64()) return std::to_string(element.get_int64().value_unsafe());
  if (element.is_uint64()) return std::to_string(element.get_uint64().value_unsafe());
  return "-";
}

std::string at(simdjson::dom::element root, std::string_view pointer) {
  simdjson::dom::element element;
  if (root.at_pointer(pointer).get(element) || element.is_null()) return "-";
  return text_field(element);
}

// 0.000045 rather than 4.5e-05: costs are small numbers people read digit by digit.
std::string format_cost(double cost) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.10f", cost);
  std::string out(buffer);
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string cost_of(simdjson::dom::element root) {
  for (const char* pointer : {"/response_cost", "/cost"}) {
    double cost = 0;
    if (!root.at_pointer(pointer).get_double().get(cost)) return format_cost(cost);
  }
  return "-";
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > kMaxErrorChars) text = text.substr(0, kMaxErrorChars) + "…";
  return text;
}

}  // namespace

std::string summarize_record(std::string_view record) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(record.data(), record.size()).get(root) || !root.is_object())
    return "(not a JSON object)";
  const std::string status = at(root, "/status");
  std::string call_id = at(root, "/litellm_call_id");
  if (call_id == "-") call_id = at(root, "/id");
  std::string tokens = at(root, "/total_tokens");
  if (tokens == "-") tokens = at(root, "/usage/total_tokens");

  std::string line = "status=" + status + " model=" + at(root, "/model") + " call_id=" + call_id +
                     " tokens=" + tokens + " cost=" + cost_of(root);
  if (status == "failure") {
    const std::string error_class = at(root, "/error_information/error_class");
    std::string message = at(root, "/error_information/error_message");
    if (message == "-") message = at(root, "/error_str");
    line += " error=" + one_line((error_class == "-" ? "" : error_class + ": ") + message);
  }
  return line;
}

}  // namespace llmtap::sink
