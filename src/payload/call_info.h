// CallInfo: everything the gateway knows about one finished LLM call, as views into the raw bytes
// it already holds (the client's request body, the upstream's response body). RecordBuilder turns
// it into a Record; the views need only live until build() returns.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "payload/call_type.h"
#include "payload/request_summary.h"
#include "payload/response_reader.h"

namespace llmtap::payload {

struct ErrorInfo {
  int http_status = 500;          // status sent to the client, e.g. 502
  std::string_view error_class;   // e.g. "APIConnectionError", "Timeout", "BadRequestError"
  std::string_view error_code;    // e.g. "502", or the upstream's error.code
  std::string_view message;       // human-readable; may echo the prompt (redacted when asked)
  std::string_view llm_provider;  // e.g. "openai"
};

using HeaderView = std::pair<std::string_view, std::string_view>;

struct CallInfo {
  std::string_view call_id;  // litellm_call_id (a UUID)
  CallType call_type = CallType::completion;
  bool stream = false;

  // The client's request.
  std::string_view request_body;  // raw JSON as sent (may be invalid when the call failed on it)
  const RequestSummary* request = nullptr;  // parse of request_body; null when it did not parse
  std::string_view client_api_key;  // bearer token the client sent (only its sha256 is recorded)
  std::string_view requester_ip;
  std::string_view user_agent;
  std::vector<HeaderView> request_headers;  // all client headers; builder keeps the allowed ones

  // Routing: which deployment served it.
  std::string_view model_group;  // model_name the client asked for
  std::string_view model;        // upstream model without provider prefix, e.g. "gpt-4o"
  // The model the price map is asked for, when it is not `model` (Bedrock's records name the
  // deployment's model as written, bedrock/us.anthropic.…; its prices are keyed by the model id).
  std::string_view price_model;
  std::string_view model_id;             // model_info.id or generated deployment id
  std::string_view custom_llm_provider;  // e.g. "openai"
  std::string_view api_base;
  std::optional<double> input_cost_per_token;  // deployment's own prices, when set
  std::optional<double> output_cost_per_token;

  // The outcome.
  std::string_view response_body;  // raw upstream JSON (success), or assembled completion (stream)
  // read_response() of response_body, when the caller has it already (the gateway reads an answer
  // before replying); null: the builder reads response_body itself.
  const ResponseFacts* response_facts = nullptr;
  std::vector<HeaderView> response_headers;  // upstream response headers (for additional_headers)
  std::optional<ErrorInfo> error;            // set on failure

  // Timing, epoch seconds (fractional).
  double start_time = 0;
  double end_time = 0;
  std::optional<double> completion_start_time;  // first token (streams); end_time otherwise
  double overhead_ms = 0;                       // time spent in llmtap itself

  // Which attempt of the client's request this record is (README "The record",
  // `llmtap_attempt`): retries and fallbacks each log a record of their own, all with the
  // request's call_id.
  struct Attempt {
    int number = 1;          // 1 for the first attempt
    int fallback_depth = 0;  // 0: the model group the client asked for
    bool final = true;       // the attempt whose outcome the client got
  };
  Attempt attempt;
};

}  // namespace llmtap::payload
