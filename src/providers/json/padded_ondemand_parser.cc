#include "providers/json/padded_ondemand_parser.h"

#include <cstring>

namespace llmtap::providers {

simdjson::error_code PaddedOndemandParser::iterate(std::string_view json,
                                                   simdjson::ondemand::document& doc) {
  padded_.resize(json.size() + simdjson::SIMDJSON_PADDING);
  if (!json.empty()) std::memcpy(padded_.data(), json.data(), json.size());
  std::memset(padded_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return parser_.iterate(padded_.data(), json.size(), padded_.size()).get(doc);
}

}  // namespace llmtap::providers
