#include "payload/request_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "base/ascii.h"
#include "payload/json_scanner.h"
#include "payload/json_writer.h"

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
    if (key == "user") return visit_user(value, type, raw_key);

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
    auto& list = is_litellm_parameter(key) ? out_.litellm_parameters : out_.parameters;
    list.emplace_back(original(raw_key), original(raw));
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

  // The end user (end_user), and one of the model parameters too, as LiteLLM records it; a null
  // user is neither (LiteLLM drops a parameter that is None).
  bool visit_user(od::value& value, od::json_type type, std::string_view raw_key) {
    if (type == od::json_type::null) return validate_only(value);
    if (type != od::json_type::string) return fail("'user' must be a string", "user");
    std::string_view raw;
    if (auto error = JsonScanner::scan(value, &raw)) return json_error(error);
    out_.user_raw = original(raw);
    out_.parameters.emplace_back(original(raw_key), out_.user_raw);
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

// The string elements of a JSON array, others skipped; none when `raw` is empty or not an array.
std::vector<std::string> string_elements(std::string_view raw) {
  std::vector<std::string> out;
  if (raw.empty()) return out;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(raw.data(), raw.size(), true).get_array().get(array)) return out;
  for (simdjson::dom::element element : array) {
    std::string_view text;
    if (!element.get_string().get(text)) out.emplace_back(text);
  }
  return out;
}

}  // namespace

bool is_litellm_parameter(std::string_view key) {
  // From LiteLLM's own request parameters, those a client sends in a body; litellm_* covers
  // litellm_metadata, litellm_session_id, litellm_trace_id and the like.
  static constexpr std::array<std::string_view, 16> kKeys = {"turn_off_message_logging",
                                                             "mock_response",
                                                             "mock_tool_calls",
                                                             "mock_timeout",
                                                             "mock_testing_fallbacks",
                                                             "tags",
                                                             "fallbacks",
                                                             "context_window_fallbacks",
                                                             "num_retries",
                                                             "caching",
                                                             "cache",
                                                             "ttl",
                                                             "no-log",
                                                             "guardrails",
                                                             "disable_fallbacks",
                                                             "proxy_server_request"};
  if (key.starts_with("litellm_")) return true;
  return std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end();
}

std::string request_tags_json(std::string_view metadata_tags_raw, std::string_view body_tags_raw,
                              std::string_view tags_header, std::string_view user_agent) {
  std::vector<std::string> tags = string_elements(metadata_tags_raw);
  std::vector<std::string> own;
  if (!body_tags_raw.empty()) {
    own = string_elements(body_tags_raw);
  } else {
    while (!tags_header.empty()) {
      const std::size_t comma = tags_header.find(',');
      const std::string_view tag = ascii::trim(tags_header.substr(0, comma));
      if (!tag.empty()) own.emplace_back(tag);
      tags_header =
          comma == std::string_view::npos ? std::string_view() : tags_header.substr(comma + 1);
    }
  }
  for (std::string& tag : own) {
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  }
  // Not deduplicated, as in LiteLLM: a client may tag itself "User-Agent: x" too.
  user_agent = ascii::trim(user_agent);
  if (!user_agent.empty()) {
    const std::size_t slash = user_agent.find('/');
    if (slash != std::string_view::npos)
      tags.push_back(fmt::format("User-Agent: {}", user_agent.substr(0, slash)));
    tags.push_back(fmt::format("User-Agent: {}", user_agent));
  }
  std::string out;
  JsonWriter writer(out);
  writer.begin_array();
  for (const std::string& tag : tags) writer.string(tag);
  writer.end_array();
  writer.finish();
  return out;
}

Result<RequestSummary, RequestParseError> parse_request(std::string_view body, CallType type) {
  RequestSummary summary;
  RequestParseError error;
  RequestParser parser(body, type, summary, error);
  if (!parser.run()) return error;
  return summary;
}

}  // namespace llmtap::payload
