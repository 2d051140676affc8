// Anthropic's error answers as LiteLLM maps them (its exception_mapping_utils, anthropic branch):
// the class from the message first ("prompt is too long" → ContextWindowExceededError,
// "overloaded_error" → InternalServerError, "Invalid API Key" → AuthenticationError, "content
// filtering policy" → ContentPolicyViolationError), then from the status. The status the client
// gets is Anthropic's own (a 529 stays a 529, which OpenAI clients retry like any 5xx), and the
// message is Anthropic's, prefixed "AnthropicException - " as LiteLLM's is.
//
// Pure function; thread-safe (a per-thread parser).
#pragma once

#include <string_view>

#include "providers/upstream_error.h"

namespace llmtap::providers::anthropic {

// `body` is the answer's body ({"type":"error","error":{"type","message"}} when it is
// Anthropic's; anything else is quoted, bounded).
UpstreamError map_error(int status, std::string_view body);

}  // namespace llmtap::providers::anthropic
