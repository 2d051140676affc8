// Record-shaped test data for the benchmarks: a compact JSON object of an exact size, so encoder
// and queue costs can be read per byte. Header-only; no state.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "payload/record.h"

namespace llmtap::bench {

// A record whose serialized JSON is exactly `bytes` long (when `bytes` exceeds the fixed fields),
// distinct per `index`.
inline payload::Record make_record(std::size_t index, std::size_t bytes) {
  std::string json = R"({"id":"chatcmpl-)" + std::to_string(index) +
                     R"(","call_type":"acompletion","model":"gpt-4o","messages":")";
  constexpr std::size_t kTail = 2;  // the closing quote and brace
  if (bytes > json.size() + kTail) json.append(bytes - json.size() - kTail, 'x');
  json += "\"}";
  payload::Record record;
  record.json = std::make_shared<const std::string>(std::move(json));
  record.call_id = std::to_string(index);
  return record;
}

}  // namespace llmtap::bench
