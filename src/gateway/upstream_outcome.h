// How a whole (non-streamed) upstream exchange that brought no good answer is answered — pure
// decisions, unit-tested without sockets (tests/unit/gateway/upstream_outcome_test.cc); a stream
// that ends badly after its head is stream_outcome.h's.
//
//   exchange_failure()       no answer at all: 504 Timeout when the deployment's deadline passed,
//                            else 502 APIConnectionError saying how the exchange failed
//   upstream_error_answer()  an error status: an OpenAI-compatible upstream's passes through with
//                            its body and Content-Type (the client's SDK reads it as it would
//                            OpenAI's); a translated API's becomes OpenAI's error shape with the
//                            status, type and LiteLLM class that API's adapter gives it
//
// Stateless functions; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "config/config.h"
#include "http/client_result.h"
#include "http/message.h"
#include "providers/upstream_error.h"

namespace llmtap::gateway {

// The client's error (status, type; the gateway writes its body) and the record's (class,
// message) when the exchange with `api_base` failed with `error` (`detail` says more).
providers::UpstreamError exchange_failure(std::string_view api_base,
                                          std::chrono::milliseconds timeout,
                                          http::ClientError error, std::string_view detail);

struct UpstreamErrorAnswer {
  http::Response response;         // what the client gets (the call id header is added later)
  providers::UpstreamError error;  // what the record says: status, LiteLLM class, message
};

// `body` is the upstream's error body, the deployment's key already masked; `content_type` the
// Content-Type it came with (may be empty); `litellm_provider` the records' custom_llm_provider
// (record_provider()), which a translated API's message may name.
UpstreamErrorAnswer upstream_error_answer(config::UpstreamApi api,
                                          std::string_view litellm_provider, int status,
                                          std::string body, std::string_view content_type);

}  // namespace llmtap::gateway
