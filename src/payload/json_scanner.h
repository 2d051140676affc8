// JsonScanner: a simdjson on-demand parser plus the padded copy of the input it iterates over,
// and a full-validation walk that yields the exact bytes of any value ("raw slices").
//
// simdjson reads up to SIMDJSON_PADDING bytes past the input, which a caller's std::string_view
// cannot promise, so the input is copied into a reused padded buffer (a memcpy: ~50 ns for 2 KB,
// far below the parse). Views returned point into that copy; map_back() turns one into a view of
// the caller's original bytes.
//
// On-demand skips what it is not asked for without checking it, but raw slices end up inside our
// records, which must be valid JSON; scan() therefore walks every nested value (numbers parsed,
// strings unescaped, literals checked) while it measures the slice.
//
// Not thread-safe: one scanner per thread (local()), or a private one for start-up work.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace llmtap::payload {

class JsonScanner {
 public:
  // Nesting deeper than this is rejected (keeps the recursive walk's stack bounded).
  static constexpr int kMaxDepth = 128;

  // The calling thread's scanner, for request-path work.
  static JsonScanner& local();

  // Copies `json` into the padded buffer and starts iterating it. The document (and every view
  // from it) is valid until the next iterate() on this scanner.
  simdjson::error_code iterate(std::string_view json, simdjson::ondemand::document& doc);

  // The bytes of the last input that `view` (a view into the padded copy) corresponds to.
  std::string_view map_back(std::string_view view, std::string_view original) const {
    return original.substr(static_cast<std::size_t>(view.data() - buffer_.data()), view.size());
  }

  // Validates `value` completely and sets *raw to its exact bytes (no surrounding whitespace).
  // `value` must not be the document root.
  static simdjson::error_code scan(simdjson::ondemand::value& value, std::string_view* raw);
  // Validates `value` completely without measuring it.
  static simdjson::error_code validate(simdjson::ondemand::value& value, int depth = 0);
  // The exact bytes of the current value: from `start` (its first byte, from raw_json_token()
  // taken before walking it) to the iterator's position after walking it.
  static simdjson::error_code slice_to_here(simdjson::ondemand::value& value, const char* start,
                                            std::string_view* raw);
  // Unpacks one object member from an object iteration: the field, its unescaped key and its
  // value's type. With `raw_key`, also the key's raw bytes (see raw_key()).
  static simdjson::error_code member(simdjson::simdjson_result<simdjson::ondemand::field> result,
                                     simdjson::ondemand::field& field, std::string_view& key,
                                     simdjson::ondemand::json_type& type,
                                     std::string_view* raw_key = nullptr);
  // Calls fn(key, type, value) for each member of the object `source` (an ondemand value or
  // document), stopping at the first error — not an object, a bad member, or what fn returns.
  template <class Source, class Fn>
  static simdjson::error_code for_each_member(Source& source, Fn&& fn) {
    simdjson::ondemand::object object;
    if (auto error = source.get_object().get(object)) return error;
    for (auto field_result : object) {
      simdjson::ondemand::field field;
      std::string_view key;
      simdjson::ondemand::json_type type;
      if (auto error = member(std::move(field_result), field, key, type)) return error;
      if (auto error = fn(key, type, field.value())) return error;
    }
    return simdjson::SUCCESS;
  }
  // True when nothing but whitespace follows the root value (trailing content is invalid JSON).
  static bool at_end(simdjson::ondemand::document& doc);
  // The raw (still escaped) bytes of a field's key, between its quotes. Call it before
  // field.unescaped_key(), which consumes the key.
  static std::string_view raw_key(simdjson::ondemand::field& field);

 private:
  simdjson::ondemand::parser parser_;
  std::string buffer_;
};

// `text` without trailing JSON whitespace.
std::string_view trim_json_space(std::string_view text);

}  // namespace llmtap::payload
