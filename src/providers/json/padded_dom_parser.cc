#include "providers/json/padded_dom_parser.h"

#include <cstring>

namespace llmtap::providers {

simdjson::error_code PaddedDomParser::parse(std::string_view json, simdjson::dom::element& out) {
  const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
  if (buffer_.size() < needed) buffer_.resize(needed);
  if (!json.empty()) std::memcpy(buffer_.data(), json.data(), json.size());
  std::memset(buffer_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  // realloc_if_needed false: the buffer is padded already.
  return parser_.parse(buffer_.data(), json.size(), false).get(out);
}

}  // namespace llmtap::providers
