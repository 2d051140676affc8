// Google's error answers (AI Studio and Vertex: {"error":{"code","message","status","details"}})
// as LiteLLM maps them. LiteLLM's `gemini/` provider goes through the same branch of
// exception_mapping_utils as `vertex_ai/` (its "GeminiException" branch is never reached for
// it), so the message is Google's, prefixed "VertexAIException - ", and the class comes from the
// body's text first, then from the status:
//   "API key not valid." → AuthenticationError (401); "400 Request payload size exceeds" →
//   ContextWindowExceededError; "The response was blocked." → ContentPolicyViolationError;
//   "Quota exceeded for" / "429 Quota exceeded" / "…temporarily out of capacity." →
//   RateLimitError (429); "500 Internal Server Error" / "The model is overloaded." →
//   InternalServerError (500); then 400 BadRequestError, 401 AuthenticationError, 403
//   PermissionDeniedError, 404 NotFoundError, 408 Timeout, 429 RateLimitError, 500
//   InternalServerError, 503 ServiceUnavailableError, a 5xx whose error.code is 429
//   RateLimitError (newer LiteLLM). A class picked from the text answers with its status.
//
// Pure functions; thread-safe (a per-thread parser).
#pragma once

#include <string_view>

#include "providers/upstream_error.h"

namespace llmtap::providers::gemini {

// `body` is the answer's body (Google's error object, or anything else, quoted bounded).
UpstreamError map_error(int status, std::string_view body);

// A stream's `error` event (HTTP 200 already sent): LiteLLM raises VertexAIError with
// status = error.code (500 when absent) and message "<error.status> - <error.message>".
UpstreamError map_stream_error(int code, std::string_view status, std::string_view message);

}  // namespace llmtap::providers::gemini
