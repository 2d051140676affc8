#include "payload/request_summary.h"

#include <utility>

#include <fmt/format.h>

#include "payload/json_scanner.h"

namespace llmtap::payload {
namespace {

namespace od = simdjson::ondemand;

std::string_view input_key(CallType type) {
  switch (type) {
    case CallType::completion:
      return "messages";
    case CallType::text_completion:
      return "prompt";
    case CallType::embedding:
      return "input";
  }
  return "messages";
}

// One parse of one body. Each step returns false after filling `error_`.
class RequestParser {
 public:
  RequestParser(std::string_view body, CallType type, RequestSummary& out, RequestParseError& error)
      : body_(body), type_(type), out_(out), error_(error) {}

  bool run() {
    od::document doc;
    if (auto error = scanner_.iterate(body_, doc)) return json_error(error);
    od::object root;
    if (auto error = doc.get_object().get(root)) {
      if (error == simdjson::INCORRECT_TYPE) return fail("request body must be a JSON object", "");
      return json_error(error);
    }
    for (auto field_result : root) {
      if (!visit_field(std::move(field_result))) return false;
    }
    if (!JsonScanner::at_end(doc)) return json_error(simdjson::TRAILING_CONTENT);
    if (!have_model_) return fail("'model' is required", "model");
    if (!have_input_) {
      const std::string_view key = input_key(type_);
      return fail(fmt::format("'{}' is required", key), std::string(key));
    }
    return true;
  }

 private:
  bool fail(std::string message, std::string param) {
    error_.message = std::move(message);
    error_.param = std::move(param);
    return false;
  }

  bool json_error(simdjson::error_code error) {
    if (error == simdjson::UTF8_ERROR) return fail("request body is not valid UTF-8", "");
    return fail("request body is not valid JSON", "");
  }

  // The exact bytes of a slice of the padded copy, as a view into the caller's body.
  std::string_view original(std::string_view copy) const { return scanner_.map_back(copy, body_); }

  bool visit_field(simdjson::simdjson_result<od::field> field_result) {
    od::field field;
    std::string_view raw_key;
    std::string_view key;
    od::json_type type;
    if (auto error = JsonScanner::member(std::move(field_result), field, key, type, &raw_key)) {
      return json_error(error);
    }
    od::value& value = field.value();

    if (key == "model") return visit_model(value, type);
    if (key == input_key(type_)) return visit_input(value, type, key);
    if (key == "metadata") return visit_metadata(value, type);
    if (key == "user") return visit_user(value, type);

    const char* start = value.raw_json_token().data();
    if (key == "stream") {
      if (!visit_stream(value, type)) return false;
    } else if (key == "stream_options") {
      if (!visit_stream_options(value, type)) return false;
    } else if (auto error = JsonScanner::validate(value)) {
      return json_error(error);
    }
    std::string_view raw;
    if (auto error = JsonScanner::slice_to_here(value, start, &raw)) return json_error(error);
    out_.parameters.emplace_back(original(raw_key), original(raw));
    return true;
  }

  bool visit_model(od::value& value, od::json_type type) {
    std::string_view model;
    if (type != od::json_type::string) return fail("'model' must be a non-empty string", "model");
    // The token's exact place in the body lets the gateway swap the model name for the upstream's
    // without re-serializing anything else. raw_json_token() may carry trailing whitespace.
    std::string_view token = value.raw_json_token();
    while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                              token.back() == '\t')) {
      token.remove_suffix(1);
    }
    out_.model_raw = original(token);
    if (auto error = value.get_string().get(model)) return json_error(error);
    if (model.empty()) return fail("'model' must be a non-empty string", "model");
    out_.model.assign(model);
    have_model_ = true;
    return true;
  }

  bool visit_input(od::value& value, od::json_type type, std::string_view key) {
    const bool is_array = type == od::json_type::array;
    if (type_ == CallType::completion ? !is_array : (!is_array && type != od::json_type::string)) {
      const char* expected = type_ == CallType::completion ? "an array" : "a string or an array";
      return fail(fmt::format("'{}' must be {}", key, expected), std::string(key));
    }
    std::string_view raw;
    if (auto error = JsonScanner::scan(value, &raw)) return json_error(error);
    out_.input_raw = original(raw);
    have_input_ = true;
    return true;
  }

  bool visit_metadata(od::value& value, od::json_type type) {
    if (type == od::json_type::null) return validate_only(value);
    if (type != od::json_type::object) return fail("'metadata' must be an object", "metadata");
    const char* start = value.raw_json_token().data();
    od::object object;
    if (auto error = value.get_object().get(object)) return json_error(error);
    for (auto field_result : object) {
      od::field field;
      std::string_view key;
      od::json_type type_unused;
      if (auto error = JsonScanner::member(std::move(field_result), field, key, type_unused)) {
        return json_error(error);
      }
      if (key == "tags") {
        if (!visit_tags(field.value())) return false;
      } else if (auto error = JsonScanner::validate(field.value(), 1)) {
        return json_error(error);
      }
    }
    std::string_view raw;
    if (auto error = JsonScanner::slice_to_here(value, start, &raw)) return json_error(error);
    out_.metadata_raw = original(raw);
    return true;
  }

  // metadata.tags becomes request_tags only when it is an array of strings.
  bool visit_tags(od::value& value) {
    od::json_type type;
    if (auto error = value.type().get(type)) return json_error(error);
    if (type != od::json_type::array) return validate_only(value);
    const char* start = value.raw_json_token().data();
    od::array array;
    if (auto error = value.get_array().get(array)) return json_error(error);
    bool all_strings = true;
    for (auto element_result : array) {
      od::value element;
      if (auto error = std::move(element_result).get(element)) return json_error(error);
      od::json_type element_type;
      if (auto error = element.type().get(element_type)) return json_error(error);
      all_strings = all_strings && element_type == od::json_type::string;
      if (auto error = JsonScanner::validate(element, 2)) return json_error(error);
    }
    std::string_view raw;
    if (auto error = JsonScanner::slice_to_here(value, start, &raw)) return json_error(error);
    if (all_strings) out_.tags_raw = original(raw);
    return true;
  }

  bool visit_user(od::value& value, od::json_type type) {
    if (type == od::json_type::null) return validate_only(value);
    if (type != od::json_type::string) return fail("'user' must be a string", "user");
    std::string_view raw;
    if (auto error = JsonScanner::scan(value, &raw)) return json_error(error);
    out_.user_raw = original(raw);
    return true;
  }

  bool visit_stream(od::value& value, od::json_type type) {
    if (type == od::json_type::null) return validate_only(value);
    if (type != od::json_type::boolean) return fail("'stream' must be a boolean", "stream");
    if (auto error = value.get_bool().get(out_.stream)) return json_error(error);
    return true;
  }

  bool visit_stream_options(od::value& value, od::json_type type) {
    if (type == od::json_type::null) return validate_only(value);
    if (type != od::json_type::object) {
      return fail("'stream_options' must be an object", "stream_options");
    }
    od::object object;
    if (auto error = value.get_object().get(object)) return json_error(error);
    for (auto field_result : object) {
      od::field field;
      std::string_view key;
      od::json_type option_type;
      if (auto error = JsonScanner::member(std::move(field_result), field, key, option_type)) {
        return json_error(error);
      }
      od::value& option = field.value();
      if (key == "include_usage" && option_type == od::json_type::boolean) {
        if (auto error = option.get_bool().get(out_.include_usage)) return json_error(error);
      } else if (auto error = JsonScanner::validate(option, 1)) {
        return json_error(error);
      }
    }
    return true;
  }

  bool validate_only(od::value& value) {
    if (auto error = JsonScanner::validate(value)) return json_error(error);
    return true;
  }

  JsonScanner& scanner_ = JsonScanner::local();
  std::string_view body_;
  CallType type_;
  RequestSummary& out_;
  RequestParseError& error_;
  bool have_model_ = false;
  bool have_input_ = false;
};

}  // namespace

std::optional<RequestSummary> parse_request(std::string_view body, CallType type,
                                            RequestParseError* error) {
  RequestSummary summary;
  RequestParseError local_error;
  RequestParser parser(body, type, summary, error ? *error : local_error);
  if (!parser.run()) return std::nullopt;
  return summary;
}

}  // namespace llmtap::payload
