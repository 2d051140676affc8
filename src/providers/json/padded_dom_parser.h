// PaddedDomParser: a simdjson DOM parser over its own reused, zero-padded copy of the input, for
// the request translators, which parse the client's messages and many small parameter values
// (each a view into the client's body, which has no padding): no allocation per parse once warm.
//
// Each parse() invalidates the elements of the previous one, so a translator keeps one parser per
// document that must stay alive (the messages, the tools) and a scratch one for short reads.
// Not thread-safe: translators keep theirs thread_local.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace llmtap::providers {

class PaddedDomParser {
 public:
  // Parses `json` into `out`, valid until the next parse().
  simdjson::error_code parse(std::string_view json, simdjson::dom::element& out);

 private:
  simdjson::dom::parser parser_;
  std::string buffer_;
};

}  // namespace llmtap::providers
