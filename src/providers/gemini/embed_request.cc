#include "providers/gemini/embed_request.h"

#include <simdjson.h>

#include <array>
#include <utility>
#include <vector>

#include "payload/json_writer.h"
#include "providers/json/padded_dom_parser.h"
#include "providers/unsupported_params.h"

namespace llmtap::providers::gemini {
namespace {

namespace dom = simdjson::dom;

struct Parsers {
  PaddedDomParser input;
  PaddedDomParser scratch;
};

Parsers& local_parsers() {
  thread_local Parsers parsers;
  return parsers;
}

RequestProblem bad_request(std::string message) {
  return RequestProblem{std::move(message), "input"};
}

// LiteLLM's SUPPORTED_EMBEDDING_MIME_TYPES.
constexpr std::array<std::string_view, 7> kEmbeddableMimeTypes = {
    "image/png", "image/jpeg",      "audio/mpeg",     "audio/wav",
    "video/mp4", "video/quicktime", "application/pdf"};

struct Extension {
  std::string_view suffix;
  std::string_view mime_type;
};
constexpr std::array<Extension, 8> kGcsExtensions = {{{".png", "image/png"},
                                                      {".jpg", "image/jpeg"},
                                                      {".jpeg", "image/jpeg"},
                                                      {".mp3", "audio/mpeg"},
                                                      {".wav", "audio/wav"},
                                                      {".mp4", "video/mp4"},
                                                      {".mov", "video/quicktime"},
                                                      {".pdf", "application/pdf"}}};

bool ends_with_lower(std::string_view text, std::string_view lower_suffix) {
  if (text.size() < lower_suffix.size()) return false;
  text.remove_prefix(text.size() - lower_suffix.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower_suffix[i]) return false;
  }
  return true;
}

// One input string as a Gemini part.
std::optional<RequestProblem> write_part(payload::JsonWriter& w, std::string_view element) {
  w.begin_object();
  if (element.starts_with("data:") && element.find(";base64,") != std::string_view::npos) {
    const std::size_t comma = element.find(',');
    std::string_view mime_type = element.substr(5, comma - 5);
    mime_type = mime_type.substr(0, mime_type.find(';'));
    bool embeddable = false;
    for (std::string_view type : kEmbeddableMimeTypes) embeddable = embeddable || type == mime_type;
    if (!embeddable) {
      return bad_request("Unsupported MIME type for embedding: " + std::string(mime_type));
    }
    w.key("inline_data");
    w.begin_object();
    w.key("mime_type");
    w.string(mime_type);
    w.key("data");
    w.string(element.substr(comma + 1));
    w.end_object();
  } else if (element.starts_with("gs://")) {
    std::string_view mime_type;
    for (const Extension& extension : kGcsExtensions) {
      if (ends_with_lower(element, extension.suffix)) mime_type = extension.mime_type;
    }
    if (mime_type.empty()) {
      return bad_request("Unable to infer MIME type from GCS URL: " + std::string(element));
    }
    w.key("file_data");
    w.begin_object();
    w.key("mime_type");
    w.string(mime_type);
    w.key("file_uri");
    w.string(element);
    w.end_object();
  } else if (element.starts_with("files/")) {
    return bad_request("File reference " + std::string(element) +
                       " cannot be embedded: llmtap does not resolve Gemini file references");
  } else {
    w.key("text");
    w.string(element);
  }
  w.end_object();
  return std::nullopt;
}

class EmbedTranslator {
 public:
  EmbedTranslator(const payload::RequestSummary& summary, const EmbedOptions& options)
      : summary_(summary), options_(options) {}

  Result<EmbedRequest, RequestProblem> run() {
    if (auto problem = read_parameters()) return *problem;
    dom::element input;
    if (local_parsers().input.parse(summary_.input_raw, input) != simdjson::SUCCESS) {
      return bad_request("input is not JSON");
    }
    EmbedRequest request;
    request.base64 = base64_;
    payload::JsonWriter w(request.body);
    w.begin_object();
    w.key("requests");
    w.begin_array();
    std::string_view text;
    dom::array elements;
    if (input.get(text) == simdjson::SUCCESS) {
      if (auto problem = write_request(w, {&text, 1})) return *problem;
    } else if (input.get(elements) == simdjson::SUCCESS) {
      if (elements.size() == 0) return bad_request("input must not be empty");
      for (dom::element element : elements) {
        std::vector<std::string_view> parts;
        if (auto problem = element_parts(element, parts)) return *problem;
        if (auto problem = write_request(w, parts)) return *problem;
      }
    } else {
      return bad_request("input must be a string or a list of strings");
    }
    w.end_array();
    w.end_object();
    w.finish();
    return request;
  }

 private:
  // The strings one request embeds: the element itself, or the strings of a nested list.
  static std::optional<RequestProblem> element_parts(dom::element element,
                                                     std::vector<std::string_view>& parts) {
    std::string_view text;
    if (element.get(text) == simdjson::SUCCESS) {
      parts.push_back(text);
      return std::nullopt;
    }
    dom::array nested;
    if (element.get(nested) != simdjson::SUCCESS) {
      return bad_request("gemini embeds text: input elements must be strings, not token ids");
    }
    if (nested.size() == 0) return bad_request("Nested input list must not be empty");
    for (dom::element sub : nested) {
      if (sub.get(text) != simdjson::SUCCESS) {
        return bad_request(
            "gemini embeds text: elements inside a nested input list must be strings, not token "
            "ids");
      }
      parts.push_back(text);
    }
    return std::nullopt;
  }

  std::optional<RequestProblem> write_request(payload::JsonWriter& w,
                                              std::span<const std::string_view> parts) {
    w.begin_object();
    w.key("model");
    w.string("models/" + std::string(options_.upstream_model));
    w.key("content");
    w.begin_object();
    w.key("parts");
    w.begin_array();
    for (std::string_view part : parts) {
      if (auto problem = write_part(w, part)) return problem;
    }
    w.end_array();
    w.end_object();
    if (!gemini_params_.empty()) w.raw_members(gemini_params_);
    w.end_object();
    return std::nullopt;
  }

  // The body's other keys: Gemini's embedding fields (rendered once, written into every
  // request), encoding_format, and OpenAI's `user`, which Gemini has no field for.
  std::optional<RequestProblem> read_parameters() {
    std::vector<std::string_view> unsupported;
    for (const auto& [key, raw] : summary_.parameters) {
      std::string_view gemini_key;
      if (key == "dimensions" || key == "outputDimensionality") {
        gemini_key = "outputDimensionality";
      } else if (key == "task_type" || key == "taskType") {
        gemini_key = "taskType";
      } else if (key == "title") {
        gemini_key = "title";
      } else if (key == "encoding_format") {
        if (auto problem = read_encoding_format(raw)) return problem;
        continue;
      } else if (key == "user") {
        unsupported.push_back(key);
        continue;
      } else {
        continue;  // LiteLLM keeps only Gemini's fields
      }
      if (raw == "null") continue;
      if (!gemini_params_.empty()) gemini_params_ += ',';
      gemini_params_.append("\"").append(gemini_key).append("\":").append(raw);
    }
    if (unsupported.empty() || options_.drop_params) return std::nullopt;
    return RequestProblem{
        unsupported_params_message("gemini", unsupported, options_.upstream_model),
        std::string(unsupported.front()), "UnsupportedParamsError"};
  }

  std::optional<RequestProblem> read_encoding_format(std::string_view raw) {
    dom::element value;
    std::string_view format;
    if (local_parsers().scratch.parse(raw, value) != simdjson::SUCCESS) {
      return RequestProblem{"encoding_format is not JSON", "encoding_format"};
    }
    if (value.is_null()) return std::nullopt;
    if (value.get(format) != simdjson::SUCCESS || (format != "float" && format != "base64")) {
      return RequestProblem{"encoding_format must be 'float' or 'base64'", "encoding_format"};
    }
    base64_ = format == "base64";
    return std::nullopt;
  }

  const payload::RequestSummary& summary_;
  const EmbedOptions& options_;
  std::string gemini_params_;  // `"outputDimensionality":256,"taskType":"…"`, or empty
  bool base64_ = false;
};

}  // namespace

Result<EmbedRequest, RequestProblem> to_batch_embed_request(const payload::RequestSummary& summary,
                                                            const EmbedOptions& options) {
  return EmbedTranslator(summary, options).run();
}

}  // namespace llmtap::providers::gemini
