#include "payload/response_reader.h"

#include <utility>

#include "payload/json_scanner.h"
#include "payload/json_writer.h"
#include "payload/redaction_marker.h"

namespace llmtap::payload {
namespace {

namespace od = simdjson::ondemand;

// A token count: an integer, or a number written as a real (0 when it is no count at all). The
// raw "usage" slice goes into the record as it is, so a token that is no JSON number at all ("4b")
// is an error, not a count of 0.
simdjson::error_code read_count(od::value& value, std::int64_t* count) {
  std::int64_t integer = 0;
  if (value.get_int64().get(integer) == simdjson::SUCCESS) {
    *count = integer;
    return simdjson::SUCCESS;
  }
  double real = 0;
  if (value.get_double().get(real) == simdjson::SUCCESS) {
    *count = real >= 0 && real < 9e15 ? static_cast<std::int64_t>(real) : 0;
    return simdjson::SUCCESS;
  }
  *count = 0;
  // A failed get_* does not advance: validate() says whether it is a number at all (an integer
  // beyond 64 bits is one).
  return JsonScanner::validate(value);
}

class ResponseReader {
 public:
  ResponseReader(ResponseFacts& facts, ResponseReadOptions options)
      : facts_(facts),
        drop_vectors_(options.drop_vectors),
        redact_(options.redact),
        rewriter_(facts.rewritten) {}

  void read(std::string_view body) {
    JsonScanner& scanner = JsonScanner::local();
    od::document doc;
    auto error = scanner.iterate(body, doc);
    if (error == simdjson::UTF8_ERROR) {
      // Slow path: repair the bytes, then read the repaired copy, which the facts keep.
      auto repaired = std::make_unique<std::string>();
      repaired->reserve(body.size() + 16);
      append_utf8_repaired(*repaired, body);
      facts_.repaired_body = std::move(repaired);
      facts_.repaired = true;
      body = *facts_.repaired_body;
      error = scanner.iterate(body, doc);
    }
    if (!error) error = walk(doc);
    if (!error && !JsonScanner::at_end(doc)) error = simdjson::TRAILING_CONTENT;
    rewriter_.finish();  // facts_.rewritten is read, or reset, from here on
    if (error) {
      facts_.problem = describe(error);
      facts_.id_raw = facts_.usage_raw = {};
      facts_.prompt_tokens = facts_.completion_tokens = 0;
      facts_.total_tokens = -1;
      facts_.rewritten.clear();
      return;
    }
    facts_.valid = true;
    // Slices from the walk point into the scanner's padded copy, which the next parse on this
    // thread overwrites: the facts keep views of the body itself.
    facts_.id_raw = map_back(scanner, facts_.id_raw, body);
    facts_.usage_raw = map_back(scanner, facts_.usage_raw, body);
    const std::size_t begin = body.find_first_not_of(" \t\r\n");
    facts_.json = trim_json_space(body.substr(begin == std::string_view::npos ? 0 : begin));
    if (!rewriting()) facts_.rewritten.clear();
  }

 private:
  static std::string_view map_back(const JsonScanner& scanner, std::string_view view,
                                   std::string_view body) {
    return view.empty() ? view : scanner.map_back(view, body);
  }

  static std::string_view describe(simdjson::error_code error) {
    switch (error) {
      case simdjson::INCORRECT_TYPE:
        return "the top-level value is not an object";
      case simdjson::TRAILING_CONTENT:
        return "content after the JSON value";
      case simdjson::DEPTH_ERROR:
        return "nested too deeply";
      default:
        return simdjson::error_message(error);
    }
  }

  bool rewriting() const { return drop_vectors_ || redact_; }

  simdjson::error_code walk(od::document& doc) {
    od::object root;
    if (auto error = doc.get_object().get(root)) return error;
    if (rewriting()) rewriter_.begin_object();
    for (auto field_result : root) {
      od::field field;
      std::string_view raw_key;
      std::string_view key;
      od::json_type type;
      if (auto error = JsonScanner::member(std::move(field_result), field, key, type, &raw_key)) {
        return error;
      }
      od::value& value = field.value();
      if (rewriting()) rewriter_.raw_key(raw_key);
      std::string_view raw;
      if (key == "usage" && type == od::json_type::object) {
        if (auto error = read_usage(value, &raw)) return error;
        facts_.usage_raw = raw;
      } else if (rewriting() && type == od::json_type::array &&
                 ((drop_vectors_ && key == "data") || (redact_ && key == "choices"))) {
        if (auto error = rewrite_items(value)) return error;
        continue;
      } else {
        if (auto error = JsonScanner::scan(value, &raw)) return error;
        if (key == "id" && type == od::json_type::string) facts_.id_raw = raw;
      }
      if (rewriting()) rewriter_.raw(raw);
    }
    if (rewriting()) rewriter_.end_object();
    return simdjson::SUCCESS;
  }

  simdjson::error_code read_usage(od::value& value, std::string_view* raw) {
    const char* start = value.raw_json_token().data();
    auto read_member = [this](std::string_view key, od::json_type type,
                              od::value& item) -> simdjson::error_code {
      std::int64_t* target =
          key == "prompt_tokens"                                    ? &facts_.prompt_tokens
          : key == "completion_tokens"                              ? &facts_.completion_tokens
          : key == "total_tokens"                                   ? &facts_.total_tokens
          : key == "cache_read_input_tokens" && !cache_details_     ? &facts_.cache_read_tokens
          : key == "cache_creation_input_tokens" && !cache_details_ ? &facts_.cache_creation_tokens
                                                                    : nullptr;
      if (target && type == od::json_type::number) {
        return read_count(item, target);
      }
      if (key == "prompt_tokens_details" && type == od::json_type::object) {
        return read_prompt_details(item);
      }
      return JsonScanner::validate(item, 2);
    };
    cache_details_ = false;
    if (auto error = JsonScanner::for_each_member(value, read_member)) return error;
    return JsonScanner::slice_to_here(value, start, raw);
  }

  // usage.prompt_tokens_details: where OpenAI and LiteLLM count cache hits (and LiteLLM cache
  // writes). It wins over the top-level cache_*_input_tokens, which say the same.
  simdjson::error_code read_prompt_details(od::value& value) {
    auto read_member = [this](std::string_view key, od::json_type type,
                              od::value& item) -> simdjson::error_code {
      std::int64_t* target = key == "cached_tokens"           ? &facts_.cache_read_tokens
                             : key == "cache_creation_tokens" ? &facts_.cache_creation_tokens
                                                              : nullptr;
      if (target && type == od::json_type::number) {
        cache_details_ = true;
        return read_count(item, target);
      }
      return JsonScanner::validate(item, 3);
    };
    return JsonScanner::for_each_member(value, read_member);
  }

  // data[] (embeddings): each object without its "embedding". choices[] (redaction): each
  // choice with its message / text replaced by the marker.
  simdjson::error_code rewrite_items(od::value& value) {
    od::array array;
    if (auto error = value.get_array().get(array)) return error;
    rewriter_.begin_array();
    for (auto element_result : array) {
      od::value element;
      if (auto error = std::move(element_result).get(element)) return error;
      od::json_type type;
      if (auto error = element.type().get(type)) return error;
      if (type != od::json_type::object) {
        std::string_view raw;
        if (auto error = JsonScanner::scan(element, &raw)) return error;
        if (redact_) {
          rewriter_.string(kRedacted);
        } else {
          rewriter_.raw(raw);
        }
        continue;
      }
      od::object object;
      if (auto error = element.get_object().get(object)) return error;
      rewriter_.begin_object();
      for (auto field_result : object) {
        od::field field;
        std::string_view raw_key;
        std::string_view key;
        od::json_type type_unused;
        if (auto error =
                JsonScanner::member(std::move(field_result), field, key, type_unused, &raw_key)) {
          return error;
        }
        std::string_view raw;
        if (auto error = JsonScanner::scan(field.value(), &raw)) return error;
        if (drop_vectors_ && key == "embedding") continue;
        rewriter_.raw_key(raw_key);
        if (redact_ && (key == "message" || key == "delta")) {
          rewriter_.raw(kRedactedMessage);
        } else if (redact_ && key == "text") {
          rewriter_.string(kRedacted);
        } else if (redact_ && key == "logprobs") {
          rewriter_.null();
        } else {
          rewriter_.raw(raw);
        }
      }
      rewriter_.end_object();
    }
    rewriter_.end_array();
    return simdjson::SUCCESS;
  }

  ResponseFacts& facts_;
  bool drop_vectors_;
  bool redact_;
  bool cache_details_ = false;  // usage.prompt_tokens_details named a cache count
  JsonWriter rewriter_;
};

}  // namespace

ResponseFacts read_response(std::string_view body, ResponseReadOptions options) {
  ResponseFacts facts;
  facts.options = options;
  ResponseReader(facts, options).read(body);
  return facts;
}

}  // namespace llmtap::payload
