// copy_element(): a parsed (DOM) value written again through a JsonWriter, for the request
// translators that pass a client's value on inside a body they build (a schema, a stop list, a
// cache_control, a document part). Keys and strings are re-escaped and numbers re-printed by the
// writer, so what goes upstream is always valid JSON; integers past int64 keep their digits.
//
// Recursive over the value's nesting, which simdjson's DOM bounds (its default max depth, 1024).
// Pure function of its input; thread-safe.
#pragma once

#include <simdjson.h>

namespace llmtap::payload {
class JsonWriter;
}  // namespace llmtap::payload

namespace llmtap::providers {

void copy_element(payload::JsonWriter& w, simdjson::dom::element element);

}  // namespace llmtap::providers
