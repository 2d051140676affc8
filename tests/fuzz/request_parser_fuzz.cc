// libFuzzer target: the client request parser (one simdjson pass over an OpenAI-style body) for
// each call type, plus the record truncator over whatever parses as JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "payload/record_truncator.h"
#include "payload/request_summary.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  using llmtap::payload::CallType;
  bool valid_object = false;
  for (CallType type : {CallType::completion, CallType::text_completion, CallType::embedding}) {
    valid_object = llmtap::payload::parse_request(body, type).has_value() || valid_object;
  }
  // The truncator's input contract is a valid JSON object, which a parsed request body is.
  if (valid_object && size > 0) {
    const auto cut = llmtap::payload::truncate_record(body, size / 2);
    (void)cut;
    (void)llmtap::payload::top_level_value(body, "model");
  }
  return 0;
}
