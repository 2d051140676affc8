// answer_anthropic_messages(): the Anthropic Messages API (`POST /v1/messages`) as the mock
// upstream serves it (mock_upstream.h dispatches that path here). It checks what Anthropic
// checks first — a key in `x-api-key` or, as API version 2026-10-21 sends it, in
// `Authorization: Bearer` (else 401 authentication_error), `anthropic-version` (else 400
// invalid_request_error), a JSON body with string `model`, integer `max_tokens` and array
// `messages` (else 400 naming the field, "max_tokens: Field required"), and under version
// 2026-10-21 no temperature / top_p / top_k (else 400) — and answers a Messages
// API message: one text block "mock answer", stop_reason "end_turn", usage 11 in / 7 out with
// zero cache tokens, `model` echoing the request, a `request-id` header and Anthropic's
// anthropic-ratelimit-* headers. With `"stream": true` it answers Anthropic's SSE
// (`event: <type>\ndata: <json>\n\n`, one write per event): message_start, content_block_start,
// ping, three text_delta pieces, content_block_stop, message_delta (stop_reason, output_tokens),
// message_stop. Errors have Anthropic's body `{"type":"error","error":{type,message},
// "request_id"}`.
//
// The requested model name steers the behaviour, as with the OpenAI mock:
//   status-NNN       answer status NNN with the error type Anthropic uses for it (400
//                    invalid_request_error, 401 authentication_error, 403 permission_error, 404
//                    not_found_error, 413 request_too_large, 429 rate_limit_error, 500 api_error,
//                    529 overloaded_error) and message "upstream error for: <first user text>"
//   tool             when the request has `tools`: a text block, then a tool_use block
//                    {id "toolu_mock1", name: the first tool's, input {"city":"Paris"}},
//                    stop_reason "tool_use" (streamed: input_json_delta in several pieces)
//   cache            usage with cache_creation_input_tokens 5 and cache_read_input_tokens 3
//   sleep-MS         wait MS milliseconds (on a timer) before answering
//   drip-MS          streams: wait MS milliseconds between events
//   midstream-error  streams: after the first text delta, an `error` event (overloaded_error,
//                    "Overloaded") and the stream ends, as Anthropic does under load
// Markers combine (`claude-tool-cache-drip-20`).
//
// answer_vertex_anthropic() is the same API as Vertex AI serves it (POST
// /v1/projects/<p>/locations/<l>/publishers/anthropic/models/<model>:rawPredict, or
// :streamRawPredict with "stream": true), as @anthropic-ai/vertex-sdk calls it: a bearer token
// the Google token mock issued (else 401 UNAUTHENTICATED), no `model` in the body (the URL names
// it) and an `anthropic_version` in it — "vertex-2023-10-16" (LiteLLM's) or a Messages API
// version, which the newest vertex-sdk copies from its header (else 400); the answers and
// markers as above.
//
// Thread-safety: stateless apart from what each call owns; call from any runtime thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"
#include "http/runtime.h"
#include "http/server.h"

namespace llmtap::test {

inline constexpr std::string_view kVertexAnthropicVersion = "vertex-2023-10-16";

struct VertexAnthropicCall {
  std::string model;
  bool stream = false;
};
// The model and method of a Vertex rawPredict path, or nullopt when `path` is none.
std::optional<VertexAnthropicCall> vertex_anthropic_call(std::string_view path);

void answer_vertex_anthropic(http::Runtime& runtime, const http::Request& request, std::uint64_t id,
                             const std::shared_ptr<http::Responder>& responder);

// Answers one `POST /v1/messages`; `id` numbers its message ("msg_mock_<id>") and request id.
void answer_anthropic_messages(http::Runtime& runtime, const http::Request& request,
                               std::uint64_t id, const std::shared_ptr<http::Responder>& responder);

}  // namespace llmtap::test
