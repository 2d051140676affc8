#include "sink/decode_body.h"

#include <simdjson.h>

#include "base/ascii.h"

namespace llmtap::sink {
namespace {

using llmtap::ascii::lower;
using llmtap::ascii::trim;

// application/x-ndjson, application/ndjson, application/jsonl, application/x-jsonlines …
bool is_ndjson_type(std::string_view content_type) {
  const std::string media = lower(trim(content_type.substr(0, content_type.find(';'))));
  return media.find("ndjson") != std::string::npos || media.find("jsonl") != std::string::npos ||
         media.find("json-lines") != std::string::npos ||
         media.find("jsonlines") != std::string::npos;
}

DecodedBody failure(DecodeError error, std::string message) {
  DecodedBody result;
  result.error = error;
  result.message = std::move(message);
  return result;
}

// Decodes the records of an already-decompressed body. `buffer` has SIMDJSON_PADDING bytes of
// spare capacity, so every slice of it can be handed to simdjson without a copy.
class RecordSplitter {
 public:
  explicit RecordSplitter(const std::string& buffer) : buffer_(buffer) {}

  DecodedBody split(std::string_view content_type) {
    const std::string_view text = trim(buffer_);
    if (text.empty()) return failure(DecodeError::empty, "empty body");
    if (is_ndjson_type(content_type)) return lines(text);
    if (text.front() == '[') return array();
    if (text.front() == '{') return object_or_lines(text);
    return failure(DecodeError::bad_json, "body is not a JSON array, a JSON object or NDJSON");
  }

 private:
  // Fully validates `record` (syntax and UTF-8), checks that it is an object, and keeps it.
  // `what` and `number` name it in an error ("record 3", "ndjson line 7").
  bool add(DecodedBody& out, std::string_view record, std::string_view what, std::size_t number) {
    const std::string where = std::string(what) + " " + std::to_string(number) + ": ";
    simdjson::dom::element element;
    if (const auto error = dom_.parse(record.data(), record.size(), false).get(element); error) {
      out = invalid(where, error);
      return false;
    }
    if (!element.is_object()) {
      out = failure(DecodeError::bad_json, where + "not a JSON object");
      return false;
    }
    out.records.emplace_back(record);
    return true;
  }

  DecodedBody lines(std::string_view text) {
    DecodedBody out;
    out.format = BodyFormat::ndjson;
    std::size_t line_number = 0;
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      const std::string_view line = trim(text.substr(0, end));
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      ++line_number;
      if (line.empty()) continue;
      if (!add(out, line, "ndjson line", line_number)) return out;
    }
    if (out.records.empty()) return failure(DecodeError::empty, "ndjson body holds no records");
    return out;
  }

  // Validates the whole array once with the DOM parser (exact error messages, UTF-8 checked),
  // then slices each element's bytes out with the on-demand parser's raw_json().
  DecodedBody array() {
    DecodedBody out;
    out.format = BodyFormat::json_array;
    simdjson::dom::element root;
    if (auto error = dom_.parse(buffer_.data(), buffer_.size(), false).get(root); error)
      return invalid("", error);
    simdjson::dom::array elements;
    if (root.get_array().get(elements))
      return failure(DecodeError::bad_json, "body is not a JSON array");
    std::size_t index = 0;
    for (simdjson::dom::element element : elements) {
      ++index;
      if (!element.is_object()) {
        return failure(DecodeError::bad_json,
                       "record " + std::to_string(index) + ": not a JSON object");
      }
    }
    out.records.reserve(index);
    simdjson::padded_string_view view(buffer_.data(), buffer_.size(), buffer_.capacity());
    simdjson::ondemand::document doc;
    simdjson::ondemand::array items;
    if (auto error = parser_.iterate(view).get(doc); error) return invalid("", error);
    if (auto error = doc.get_array().get(items); error) return invalid("", error);
    for (auto item : items) {
      simdjson::ondemand::object object;
      std::string_view raw;
      if (auto error = item.get_object().get(object); error) return invalid("", error);
      if (auto error = object.raw_json().get(raw); error) return invalid("", error);
      out.records.emplace_back(raw);
    }
    return out;
  }

  // One object is a `single` body; several objects, one per line, are NDJSON sent without its
  // Content-Type (curl's default, for instance). A pretty-printed object spans lines too, so the
  // body is NDJSON only when it is not one valid object and its first line is one.
  DecodedBody object_or_lines(std::string_view text) {
    DecodedBody out;
    out.format = BodyFormat::single;
    if (add(out, text, "record", 1)) return out;
    const std::string_view first_line = trim(text.substr(0, text.find('\n')));
    if (first_line.size() == text.size()) return out;
    DecodedBody probe;
    if (!add(probe, first_line, "record", 1)) return out;
    return lines(text);
  }

  static DecodedBody invalid(const std::string& where, simdjson::error_code error) {
    return failure(DecodeError::bad_json,
                   where + "invalid JSON: " + simdjson::error_message(error));
  }

  const std::string& buffer_;
  simdjson::dom::parser dom_;
  simdjson::ondemand::parser parser_;
};

}  // namespace

const char* to_string(BodyFormat format) {
  switch (format) {
    case BodyFormat::json_array:
      return "json_array";
    case BodyFormat::ndjson:
      return "ndjson";
    case BodyFormat::single:
      return "single";
  }
  return "unknown";
}

const char* to_string(DecodeError error) {
  switch (error) {
    case DecodeError::none:
      return "none";
    case DecodeError::unsupported_encoding:
      return "unsupported_encoding";
    case DecodeError::too_large:
      return "too_large";
    case DecodeError::bad_encoding:
      return "bad_encoding";
    case DecodeError::empty:
      return "empty";
    case DecodeError::bad_json:
      return "bad_json";
  }
  return "unknown";
}

int http_status(DecodeError error) {
  switch (error) {
    case DecodeError::none:
      return 200;
    case DecodeError::unsupported_encoding:
      return 415;
    case DecodeError::too_large:
      return 413;
    case DecodeError::bad_encoding:
    case DecodeError::empty:
    case DecodeError::bad_json:
      return 400;
  }
  return 400;
}

DecodedBody decode_body(std::string_view body, std::string_view content_type,
                        std::string_view content_encoding, const DecodeOptions& options) {
  Decompressed decoded = decompress(body, content_encoding, options.max_decompressed_bytes);
  switch (decoded.error) {
    case DecompressError::none:
      break;
    case DecompressError::unsupported:
      return failure(DecodeError::unsupported_encoding, decoded.message);
    case DecompressError::too_large:
      return failure(DecodeError::too_large, decoded.message);
    case DecompressError::corrupt:
      return failure(DecodeError::bad_encoding, decoded.message);
  }
  decoded.bytes.reserve(decoded.bytes.size() + simdjson::SIMDJSON_PADDING);
  RecordSplitter splitter(decoded.bytes);
  return splitter.split(content_type);
}

}  // namespace llmtap::sink
