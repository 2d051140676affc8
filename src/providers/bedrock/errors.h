// Bedrock's error answers as LiteLLM maps them (exception_mapping_utils.exception_type, its
// `bedrock` branch). LiteLLM's BedrockError message is the answer's body as Bedrock sent it
// (`{"message":"…"}`, not the message inside); the class comes from the body's text first, each
// rule with its own prefix, then from the status:
//   "too many tokens" / "expected maxLength:" / "Input is too long" / "prompt is too long" /
//     "prompt: length: 1.." / "Too many input tokens" → ContextWindowExceededError (400),
//     "BedrockException: Context Window Error - <body>";
//   "Conversation blocks and tool result blocks cannot be provided in the same turn." and
//     "A conversation must start with a user message." → BadRequestError (400), the body then
//     LiteLLM's modify_params hint; "Malformed input request" → BadRequestError (400);
//   "Unable to locate credentials" / "The security token included in the request is invalid" →
//     AuthenticationError (401), "BedrockException Invalid Authentication - <body>";
//   "AccessDeniedException" → PermissionDeniedError (403), "BedrockException
//     PermissionDeniedError - <body>";
//   "throttlingException" / "ThrottlingException" → RateLimitError (429), "BedrockException:
//     Rate Limit Error - <body>";
//   "Connect timeout on endpoint URL" / "timed out" → Timeout (408), "BedrockException: Timeout
//     Error - <body>"; "Could not process image" → InternalServerError (500);
//   then by status, "BedrockException - <body>": 400 and 422 → BadRequestError (400), 401 →
//     AuthenticationError, 404 → NotFoundError, 408 and 504 → Timeout (408), 429 →
//     RateLimitError, 500 and 503 → ServiceUnavailableError (503, its class's status);
//   any other status (403 without the words above, 424, 502…) falls to LiteLLM's catch-all:
//     APIConnectionError (500), "BedrockException - <body>".
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "providers/upstream_error.h"

namespace llmtap::providers::bedrock {

// `body` is the answer's body (quoted bounded, whatever it is).
UpstreamError map_error(int status, std::string_view body);

// An exception (or error) message inside a ConverseStream (HTTP 200 already sent): LiteLLM's
// AWSEventStreamDecoder raises BedrockError with the message "<exception-type> <payload>", which
// map_error() classes. The status it is classed with is AWS's for the exception
// (throttlingException 429, validationException 400, modelTimeoutException 408,
// modelStreamErrorException 424, internalServerException 500, serviceUnavailableException 503;
// another type 400) — botocore reports every exception as 400, which would make a
// serviceUnavailableException a BadRequestError (README.md). So: throttling → RateLimitError
// (429), validation → BadRequestError (400), timeout → Timeout (408), internalServer and
// serviceUnavailable → ServiceUnavailableError (503), modelStreamError → APIConnectionError (500).
UpstreamError map_stream_exception(std::string_view exception_type, std::string_view payload);

}  // namespace llmtap::providers::bedrock
