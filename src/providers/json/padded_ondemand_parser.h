// PaddedOndemandParser: a simdjson on-demand parser and the zero-padded copy of the input it
// iterates over, for the stream translators' per-event parse. simdjson reads up to
// SIMDJSON_PADDING bytes past the input, which an event's view into the SSE splitter's buffer
// cannot promise; the copy is reused, grown to the largest event seen (at most the splitter's
// limit), so a translator pays no allocation per event once warm.
//
// The padding is zeros, as in simdjson's own padded_string: a value cut off at the end is read
// against them (with an earlier event's bytes there, the same event would parse differently).
//
// Not thread-safe: one per thread (a translator keeps a thread_local one: an event is translated
// within one feed() call, and a thread serves many streams).
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace llmtap::providers {

class PaddedOndemandParser {
 public:
  // Copies `json` and starts iterating it. The document, and every view from it, is valid until
  // the next iterate().
  simdjson::error_code iterate(std::string_view json, simdjson::ondemand::document& doc);

 private:
  simdjson::ondemand::parser parser_;
  std::string padded_;
};

}  // namespace llmtap::providers
