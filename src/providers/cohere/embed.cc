#include "providers/cohere/embed.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdint>
#include <vector>

#include "payload/json_writer.h"
#include "providers/json/dom_copy.h"
#include "providers/json/padded_dom_parser.h"
#include "providers/litellm_settings.h"

namespace llmtap::providers::cohere {
namespace {

namespace dom = simdjson::dom;

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// LiteLLM's is_base64_encoded: a `data:` URL whose part after the first comma is canonical
// base64 (b64decode(validate=True) re-encodes to the same text).
bool is_base64_data_url(std::string_view text) {
  if (!text.starts_with("data:")) return false;
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos) return false;
  std::string_view data = text.substr(comma + 1);
  if (data.find(',') != std::string_view::npos) data = data.substr(0, data.find(','));
  if (data.size() % 4 != 0) return false;
  std::size_t padding = 0;
  while (padding < 2 && padding < data.size() && data[data.size() - 1 - padding] == '=') ++padding;
  for (std::size_t i = 0; i + padding < data.size(); ++i) {
    if (!is_base64_char(data[i])) return false;
  }
  if (padding == 0 || data.size() < 4) return true;
  // Canonical: the bits past the last full byte are zero.
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::size_t last = kAlphabet.find(data[data.size() - 1 - padding]);
  return padding == 2 ? (last & 0x0f) == 0 : (last & 0x03) == 0;
}

}  // namespace

Result<EmbedRequest, RequestProblem> to_embed_request(const payload::RequestSummary& summary,
                                                      const RequestOptions& options) {
  thread_local PaddedDomParser parser;
  dom::element input;
  if (parser.parse(summary.input_raw, input) != simdjson::SUCCESS) {
    return RequestProblem{"'input' must be a string or a list of strings", "input"};
  }
  std::vector<std::string_view> texts;
  std::string_view one;
  dom::array list;
  if (input.get(one) == simdjson::SUCCESS) {
    texts.push_back(one);
  } else if (input.get(list) == simdjson::SUCCESS) {
    for (dom::element item : list) {
      std::string_view text;
      if (item.get(text) != simdjson::SUCCESS) {
        return RequestProblem{"Input must be a list of strings", "input"};
      }
      texts.push_back(text);
    }
  } else {
    return RequestProblem{"Input must be a list of strings", "input"};
  }
  // The last input decides, as LiteLLM's loop leaves it.
  const bool images = !texts.empty() && is_base64_data_url(texts.back());

  bool client_input_type = false;
  for (const auto& [key, value] : summary.parameters) {
    if (value == "null" || is_litellm_setting(key)) continue;
    if (key == "input_type") client_input_type = true;
  }

  EmbedRequest request;
  request.body.reserve(summary.input_raw.size() + 128);
  {
    payload::JsonWriter w(request.body);
    w.begin_object();
    w.key("model");
    w.string(options.upstream_model);
    w.key(images ? "images" : "texts");
    w.begin_array();
    for (std::string_view text : texts) w.string(text);
    w.end_array();
    if (!client_input_type) {
      w.key("input_type");
      w.string(images ? "image" : "search_document");
    }
    for (const auto& [key, value] : summary.parameters) {
      if (value == "null" || is_litellm_setting(key)) continue;
      if (key == "encoding_format") {
        w.key("embedding_types");
        if (value.starts_with('[')) {
          w.raw(value);
        } else {
          w.begin_array();
          w.raw(value);
          w.end_array();
        }
      } else if (key == "dimensions") {
        w.key("output_dimension");
        w.raw(value);
      } else {
        w.raw_key(key);
        w.raw(value);
      }
    }
    w.end_object();
  }
  return request;
}

Result<std::string, AnswerProblem> to_embedding_response(std::string_view body,
                                                         const AnswerIdentity& identity) {
  thread_local PaddedDomParser parser;
  dom::element root;
  dom::object answer;
  if (parser.parse(body, root) != simdjson::SUCCESS || root.get(answer) != simdjson::SUCCESS) {
    return AnswerProblem{"the embed answer is not a JSON object"};
  }
  dom::object embeddings;
  if (answer["embeddings"].get(embeddings) != simdjson::SUCCESS) {
    return AnswerProblem{
        fmt::format("the embed answer has no embeddings object: {}", body.substr(0, 200))};
  }
  std::string out;
  out.reserve(body.size() + 128);
  payload::JsonWriter w(out);
  w.begin_object();
  w.key("object");
  w.string("list");
  w.key("data");
  w.begin_array();
  for (dom::key_value_pair type : embeddings) {
    dom::array vectors;
    if (type.value.get(vectors) != simdjson::SUCCESS) continue;
    std::int64_t index = 0;
    for (dom::element vector : vectors) {
      w.begin_object();
      w.key("object");
      w.string("embedding");
      w.key("index");
      w.integer(index++);
      w.key("embedding");
      copy_element(w, vector);
      w.end_object();
    }
  }
  w.end_array();
  w.key("model");
  w.string(identity.model);
  dom::object billed;
  const bool has_billed = answer["meta"]["billed_units"].get(billed) == simdjson::SUCCESS;
  std::int64_t text_tokens = 0;
  std::int64_t image_tokens = 0;
  const bool has_text = has_billed && billed["input_tokens"].get(text_tokens) == simdjson::SUCCESS;
  const bool has_images = has_billed && billed["images"].get(image_tokens) == simdjson::SUCCESS;
  const std::int64_t prompt = (has_text ? text_tokens : 0) + (has_images ? image_tokens : 0);
  w.key("usage");
  w.begin_object();
  w.key("prompt_tokens");
  w.integer(prompt);
  w.key("completion_tokens");
  w.integer(0);
  w.key("total_tokens");
  w.integer(prompt);
  if (has_text || has_images) {
    w.key("prompt_tokens_details");
    w.begin_object();
    w.key("text_tokens");
    if (has_text) {
      w.integer(text_tokens);
    } else {
      w.null();
    }
    w.key("image_tokens");
    if (has_images) {
      w.integer(image_tokens);
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_object();
  w.end_object();
  w.finish();
  return Result<std::string, AnswerProblem>(boost::system::in_place_value, std::move(out));
}

}  // namespace llmtap::providers::cohere
