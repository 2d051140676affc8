// ChatCall: one finished chat call as the gateway hands it to RecordBuilder — the request and
// response bodies, the request's parse, and a CallInfo that points into them, with a client key,
// headers (secret ones among them), a deployment and timings filled in. The record builder's unit
// tests and its benchmark (bench/record_builder_benchmark.cc) build their records from it, so the
// benchmark measures the call the tests pin.
//
// Header-only, no link dependency beyond llmtap_payload. Neither copied nor moved: `call` points
// into the members.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "payload/call_info.h"
#include "payload/request_summary.h"

namespace llmtap::test {

struct ChatCall {
  std::string body;
  std::string response;
  payload::RequestSummary summary;
  payload::RequestParseError parse_error;  // why `body` did not parse; call.request is then null
  payload::CallInfo call;

  ChatCall(std::string request_body, std::string response_body,
           payload::CallType type = payload::CallType::completion)
      : body(std::move(request_body)), response(std::move(response_body)) {
    auto parsed = payload::parse_request(body, type);
    if (parsed) {
      summary = std::move(*parsed);
    } else {
      parse_error = parsed.error();
    }
    call.call_id = "call-uuid-1";
    call.call_type = type;
    call.request_body = body;
    call.request = parsed ? &summary : nullptr;
    call.client_api_key = "sk-client-123";
    call.requester_ip = "10.0.0.7";
    call.user_agent = "curl/8.0";
    call.request_headers = {{"Authorization", "Bearer sk-client-123"},
                            {"X-Api-Key", "sk-client-123"},
                            {"x-request-source", "unit-test"},
                            {"Cookie", "session=abc"},
                            {"User-Agent", "curl/8.0"}};
    call.model_group = "gpt-4o";
    call.model = "gpt-4o";
    call.model_id = "deployment-1";
    call.custom_llm_provider = "openai";
    call.api_base = "https://api.openai.com/v1";
    call.response_body = response;
    call.response_headers = {{"X-RateLimit-Remaining-Requests", "4999"},
                             {"x-ratelimit-reset-tokens", "6ms"},
                             {"Set-Cookie", "upstream-session=secret"},
                             {"Content-Type", "application/json"}};
    call.start_time = 1700000000.25;
    call.end_time = 1700000001.75;
    call.overhead_ms = 0.5;
  }
  ChatCall(const ChatCall&) = delete;
  ChatCall& operator=(const ChatCall&) = delete;

  // Makes it a failed call: a 502 APIConnectionError from openai with `message`, which must
  // outlive the call.
  void fail(std::string_view message) {
    payload::ErrorInfo error;
    error.http_status = 502;
    error.error_class = "APIConnectionError";
    error.message = message;
    error.llm_provider = "openai";
    call.error = error;
  }
};

}  // namespace llmtap::test
