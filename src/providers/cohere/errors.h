// Cohere's error answers as LiteLLM maps them (exception_mapping_utils.exception_type, its
// `cohere` / `cohere_chat` branch). LiteLLM's message is the answer's body as Cohere sent it
// (`{"id":"…","message":"invalid api token"}`, not the message inside), prefixed
// "CohereException - ", and the class comes from the body's text first, then from the status:
//   "invalid api token" / "No API key provided." → AuthenticationError (401);
//   "too many tokens" → ContextWindowExceededError (400);
//   400 and 498 (Cohere's invalid-token status) → BadRequestError (400); 408 → Timeout (408);
//   500 → ServiceUnavailableError (503, the status of LiteLLM's class).
// Every other status (401 with other words, 403, 404, 422, 429, 502, 503…) falls out of the
// branch to LiteLLM's catch-all: APIConnectionError (500), its message prefixed with the
// provider's own name as LiteLLM capitalises it ("Cohere_chatException - " for `cohere_chat`).
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "providers/upstream_error.h"

namespace llmtap::providers::cohere {

// `body` is the answer's body (quoted bounded, whatever it is); `litellm_provider` is the
// record's custom_llm_provider ("cohere_chat" for the models LiteLLM's map lists as chat models,
// else "cohere"), which names the catch-all's prefix.
UpstreamError map_error(int status, std::string_view body,
                        std::string_view litellm_provider = "cohere_chat");

// A stream's message-end that carries an error (HTTP 200 already sent): what LiteLLM makes of an
// exception raised while it iterates a stream with no status — APIConnectionError (500),
// "CohereException - <error>".
UpstreamError map_stream_error(std::string_view error);

}  // namespace llmtap::providers::cohere
