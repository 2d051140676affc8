#include "gateway/upstream_body.h"

#include <simdjson.h>

#include <algorithm>
#include <vector>

#include "payload/json_scanner.h"
#include "payload/json_writer.h"

namespace llmtap::gateway {
namespace {

namespace od = simdjson::ondemand;
using payload::JsonScanner;

constexpr std::string_view kUsageOption = R"("include_usage":true)";

// A replacement of body[offset, offset + size) by text.
struct Edit {
  std::size_t offset = 0;
  std::size_t size = 0;
  std::string text;
};

std::size_t offset_in(std::string_view body, std::string_view part) {
  return static_cast<std::size_t>(part.data() - body.data());
}

// The client's stream_options object with include_usage forced to true; its other members are
// kept as they were. Falls back to the bare option if the object cannot be read (it was validated
// when the request was parsed, so that does not happen).
std::string merged_stream_options(std::string_view raw) {
  std::string out = "{";
  JsonScanner& scanner = JsonScanner::local();
  od::document doc;
  od::object object;
  if (!scanner.iterate(raw, doc) && !doc.get_object().get(object)) {
    for (auto field_result : object) {
      od::field field;
      std::string_view raw_key;
      std::string_view key;
      od::json_type type;
      std::string_view value_raw;
      if (JsonScanner::member(std::move(field_result), field, key, type, &raw_key) ||
          JsonScanner::scan(field.value(), &value_raw)) {
        out.resize(1);  // back to "{"; `out = "{"` trips GCC 12's false -Wrestrict at -O3
        break;
      }
      if (key == "include_usage") continue;
      out.push_back('"');
      out.append(raw_key);
      out.append("\":");
      out.append(value_raw);
      out.push_back(',');
    }
  }
  out.append(kUsageOption);
  out.push_back('}');
  return out;
}

// Removes the member whose key is `key` (a view into `body`) and value `value`, with the comma
// that separated it from its neighbour, so the object stays valid JSON. Removals come in body
// order; `removed_until` is where the previous one ended, so a comma it took is not taken twice.
Edit removal(std::string_view body, std::string_view key, std::string_view value,
             std::size_t removed_until) {
  constexpr std::string_view kSpace = " \t\r\n";
  std::size_t begin = offset_in(body, key) - 1;  // the key's opening quote
  std::size_t end = offset_in(body, value) + value.size();
  const std::size_t before = body.find_last_not_of(kSpace, begin - 1);
  if (before != std::string_view::npos && body[before] == ',' && before >= removed_until) {
    begin = before;
  } else {
    // The first member: take the comma after it instead (if any; else it was the only one).
    const std::size_t after = body.find_first_not_of(kSpace, end);
    if (after != std::string_view::npos && body[after] == ',') end = after + 1;
  }
  return Edit{begin, end - begin, {}};
}

}  // namespace

std::string upstream_body(std::string_view body, const payload::RequestSummary& summary,
                          std::string_view upstream_model, bool ask_for_usage) {
  // LiteLLM's request switches (turn_off_message_logging, tags, mock_response…) are for llmtap,
  // not the provider (OpenAI answers 400 to an argument it does not know). Bounded by the body:
  // a parsed body holds each key once.
  std::vector<Edit> edits(summary.litellm_parameters.size() + 2);
  std::size_t count = 0;
  std::size_t removed_until = 0;
  for (const auto& [key, value] : summary.litellm_parameters) {
    const bool in_body = key.data() > body.data() && key.data() < body.data() + body.size();
    if (!in_body) continue;
    edits[count] = removal(body, key, value, removed_until);
    removed_until = edits[count].offset + edits[count].size;
    ++count;
  }
  if (summary.model != upstream_model && !summary.model_raw.empty()) {
    Edit& edit = edits[count++];
    edit.offset = offset_in(body, summary.model_raw);
    edit.size = summary.model_raw.size();
    payload::JsonWriter(edit.text).string(upstream_model);
  }
  if (ask_for_usage && !summary.include_usage) {
    Edit& edit = edits[count++];
    const auto options = std::find_if(summary.parameters.begin(), summary.parameters.end(),
                                      [](const auto& p) { return p.first == "stream_options"; });
    if (options != summary.parameters.end()) {
      edit.offset = offset_in(body, options->second);
      edit.size = options->second.size();
      edit.text = options->second == "null" ? "{" + std::string(kUsageOption) + "}"
                                            : merged_stream_options(options->second);
    } else {
      // Before the body's closing brace (a parsed request is an object with at least "model").
      edit.offset = body.find_last_of('}');
      edit.text = ",\"stream_options\":{" + std::string(kUsageOption) + "}";
    }
  }
  std::sort(edits.begin(), edits.begin() + static_cast<std::ptrdiff_t>(count),
            [](const Edit& a, const Edit& b) { return a.offset < b.offset; });

  std::string out;
  std::size_t extra = 0;
  for (std::size_t i = 0; i < count; ++i) extra += edits[i].text.size();
  out.reserve(body.size() + extra);
  std::size_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    out.append(body.substr(at, edits[i].offset - at));
    out.append(edits[i].text);
    at = edits[i].offset + edits[i].size;
  }
  out.append(body.substr(at));
  return out;
}

}  // namespace llmtap::gateway
