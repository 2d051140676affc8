// libFuzzer target: the record builder over arbitrary request and response bodies. The input's
// first byte picks the options (redaction, call type) and where the rest splits into request and
// response. Checked, beyond the sanitizers: every record is one valid JSON object (simdjson's DOM
// checks the grammar and UTF-8 in full), and a record built from facts read beforehand — what the
// gateway does — is byte for byte the one the builder reads itself.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "payload/record_builder.h"
#include "payload/request_summary.h"
#include "payload/response_reader.h"

namespace {

using namespace llmtap::payload;

void require(bool condition) {
  if (!condition) std::abort();
}

void require_json_object(const Record& record) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  require(parser.parse(record.bytes().data(), record.bytes().size()).get(root) ==
          simdjson::SUCCESS);
  require(root.is_object());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t split = rest.size() * (control >> 4) / 15;
  const std::string request_body(rest.substr(0, split));
  const std::string response_body(rest.substr(split));
  const bool redact = (control & 1) != 0;
  const CallType type = (control & 2) != 0 ? CallType::embedding : CallType::completion;

  auto summary = parse_request(request_body, type);
  CallInfo call;
  call.call_id = "fuzz-call";
  call.call_type = type;
  call.request_body = request_body;
  call.request = summary ? &*summary : nullptr;
  call.client_api_key =
      (control & 4) != 0 ? std::string_view(request_body).substr(0, 16) : std::string_view();
  call.requester_ip = "127.0.0.1";
  call.user_agent = std::string_view(response_body).substr(0, 24);  // arbitrary bytes, escaped
  call.request_headers = {{"X-Fuzz", std::string_view(request_body).substr(0, 8)},
                          {"Authorization", "Bearer k"}};
  call.model_group = "g";
  call.model = std::string_view(request_body).substr(0, 12);
  call.custom_llm_provider = "openai";
  call.response_body = response_body;
  call.response_headers = {
      {"X-RateLimit-Remaining-Requests", std::string_view(response_body).substr(0, 6)}};
  call.start_time = 1700000000.5;
  call.end_time = 1700000001.25;
  call.overhead_ms = 0.125;
  if ((control & 8) != 0) {
    ErrorInfo error;
    error.error_class = "APIError";
    error.message = response_body;
    call.error = error;
  }

  static const RecordBuilder builder{BuilderOptions{}};
  const Record fresh = builder.build(call, redact);
  require_json_object(fresh);

  const ResponseFacts facts = read_response(response_body, {type == CallType::embedding, redact});
  call.response_facts = &facts;
  const Record reused = builder.build(call, redact);
  require(reused.bytes() == fresh.bytes());
  return 0;
}
