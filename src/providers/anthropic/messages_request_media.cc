// to_messages_request()'s media (messages_request_translator.h): image_url and file parts as
// image and document blocks, as LiteLLM's convert_to_anthropic_image_obj and
// anthropic_process_openai_file_message build them.
#include "providers/anthropic/messages_request_translator.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::anthropic::detail {

// Where a media block goes: a block of the current message, or an element of a tool_result's
// content list.
void MessagesRequestTranslator::media_start(bool nested) {
  if (nested) {
    w_.begin_object();
  } else {
    block_start();
  }
}

// A URL as a media block: an http(s) URL as a url source, which Anthropic fetches itself
// (LiteLLM downloads and inlines it); a data URL as a base64 source
// (convert_to_anthropic_image_obj: split at "data:", then at ";base64,"). A PDF, or any media
// for a file part (`document`), is a document block. `format` overrides the media type.
std::optional<RequestProblem> MessagesRequestTranslator::media_block(
    std::string_view url, std::string_view format, const dom::object* cache_source, bool nested,
    bool document) {
  if (url.starts_with("http://") || url.starts_with("https://")) {
    media_start(nested);
    w_.key("type");
    w_.string(document ? "document" : "image");
    w_.key("source");
    w_.begin_object();
    w_.key("type");
    w_.string("url");
    w_.key("url");
    w_.string(url);
    w_.end_object();
    copy_cache_control(w_, cache_source);
    w_.end_object();
    return std::nullopt;
  }
  const std::size_t data_at = url.find("data:");
  if (data_at == std::string_view::npos) return image_problem();
  std::string_view rest = url.substr(data_at + 5);
  if (const std::size_t next = rest.find("data:"); next != std::string_view::npos) {
    rest = rest.substr(0, next);
  }
  const std::size_t marker = rest.find(";base64,");
  if (marker == std::string_view::npos ||
      rest.find(";base64,", marker + 1) != std::string_view::npos) {
    return image_problem();
  }
  const std::string_view media_type = format.empty() ? rest.substr(0, marker) : format;
  media_start(nested);
  w_.key("type");
  w_.string(document || media_type == "application/pdf" ? "document" : "image");
  w_.key("source");
  w_.begin_object();
  w_.key("type");
  w_.string("base64");
  w_.key("media_type");
  w_.string(media_type);
  w_.key("data");
  w_.string(rest.substr(marker + 8));
  w_.end_object();
  copy_cache_control(w_, cache_source);
  w_.end_object();
  return std::nullopt;
}

// An image_url part ({url, format?} or a bare string).
std::optional<RequestProblem> MessagesRequestTranslator::image_block(
    dom::object part, const dom::object* cache_source, bool nested) {
  dom::element image_url;
  std::string_view url;
  std::string_view format;
  dom::object image_object;
  if (part["image_url"].get(image_url) != simdjson::SUCCESS) return image_problem();
  if (image_url.get(image_object) == simdjson::SUCCESS) {
    url = string_member(image_object, "url");
    format = string_member(image_object, "format");
  } else if (image_url.get(url) != simdjson::SUCCESS) {
    return image_problem();
  }
  return media_block(url, format, cache_source, nested, false);
}

// A file part (anthropic_process_openai_file_message): file_data as a base64 document; a
// file_id as a file source, or a URL document, or a container upload.
std::optional<RequestProblem> MessagesRequestTranslator::file_block(dom::object part) {
  dom::object file;
  if (part["file"].get(file) != simdjson::SUCCESS) return file_problem();
  const std::string_view file_data = string_member(file, "file_data");
  const std::string_view file_id = string_member(file, "file_id");
  const std::string_view format = string_member(file, "format");
  if (!file_data.empty()) return media_block(file_data, format, nullptr, false, true);
  if (file_id.empty()) return file_problem();
  std::string_view kind;
  if (!format.empty()) {
    if (format == "application/pdf" || format == "text/plain") {
      kind = "document";
    } else if (format == "image/jpeg" || format == "image/png" || format == "image/gif" ||
               format == "image/webp") {
      kind = "image";
    } else {
      kind = "container_upload";
    }
  } else {
    kind = file_id.starts_with("http") ? "document_url" : "container_upload";
  }
  block_start();
  if (kind == "container_upload") {
    w_.key("type");
    w_.string("container_upload");
    w_.key("file_id");
    w_.string(file_id);
  } else {
    w_.key("type");
    w_.string(kind == "image" ? "image" : "document");
    w_.key("source");
    w_.begin_object();
    w_.key("type");
    w_.string(kind == "document_url" ? "url" : "file");
    w_.key(kind == "document_url" ? std::string_view("url") : std::string_view("file_id"));
    w_.string(file_id);
    w_.end_object();
  }
  w_.end_object();
  return std::nullopt;
}

RequestProblem MessagesRequestTranslator::file_problem() {
  return bad_request(
      "Invalid Message passed in: Either file_data or file_id must be present in the file "
      "message",
      "messages");
}

RequestProblem MessagesRequestTranslator::image_problem() {
  return bad_request(
      "Image url not in expected format. Example Expected input - \"image_url\": "
      "\"data:image/jpeg;base64,{base64_image}\". Supported formats - ['image/jpeg', "
      "'image/png', 'image/gif', 'image/webp'].",
      "messages");
}

}  // namespace llmtap::providers::anthropic::detail
