// answer_cohere(): Cohere's v2 API as the mock upstream serves it (mock_upstream.cc dispatches
// POST /v2/chat and /v2/embed here), shaped as Cohere's API reference and the official
// cohere-ai SDK's types define it. It checks what Cohere checks first — `Authorization: Bearer
// <key>` (else 401 {"id","message":"no api key supplied"}; the key "bad-key" gets 401 "invalid
// api token", Cohere's words for a wrong key), a JSON object body with a string `model` (else
// 400 "invalid request: …") — and, for chat, an array `messages` without the fields Cohere v2
// rejects and LiteLLM strips (`index` in an assistant's tool_calls, `name` in a tool message:
// 400 naming them), for embed `texts` or `images` and an `input_type` (else 400 "invalid
// request: valid input_type must be provided with the provided model"). Errors have Cohere's
// body {"id":"…","message":"…"}.
//
// Chat answers {"id","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":
// "text","text":"mock answer"}]},"usage":{"billed_units":{"input_tokens":11,"output_tokens":7},
// "tokens":{"input_tokens":71,"output_tokens":7}}} (the prompt as billed differs from the prompt
// as tokenized, as Cohere's does: tokens is what LiteLLM reads). With "stream": true it answers
// Cohere's SSE (`event: <type>\ndata: <json>\n\n`, one write per event): message-start,
// content-start, three content-delta pieces, content-end, message-end (finish_reason, usage),
// then `data: [DONE]`. Embed answers {"id","embeddings":{<each embedding_types, default
// float>: one 4-number vector (output_dimension numbers when given) per input},"texts","meta":
// {"api_version":{"version":"2"},"billed_units":{"input_tokens": 3 per input}},"response_type":
// "embeddings_by_type"}; base64 vectors are the float32 bytes, little-endian.
//
// The requested model name steers the behaviour, as with the other mocks:
//   status-NNN       answer status NNN, message "upstream error for: <first user text>" (401:
//                    "invalid api token"; 400: "invalid request: upstream error for: …")
//   tool             when the request has `tools`: a tool plan and one tool call {id
//                    "get_weather_mock1", name: the first tool's, arguments
//                    "{\"city\":\"Paris\"}"}, finish_reason TOOL_CALL (streamed:
//                    tool-plan-delta, tool-call-start, three tool-call-delta pieces,
//                    tool-call-end)
//   sleep-MS         wait MS milliseconds (on a timer) before answering
//   drip-MS          streams: wait MS milliseconds between events
//   midstream-error  streams: after the first content delta, a message-end with finish_reason
//                    ERROR and error "internal error", then the stream ends
// Markers combine (`command-tool-drip-20`).
//
// Thread-safety: stateless apart from what each call owns; call from any runtime thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "http/message.h"
#include "http/runtime.h"
#include "http/server.h"

namespace llmtap::test {

// Whether `path` is one of Cohere's routes the mock serves.
bool is_cohere_path(std::string_view path);

// Answers one POST to a Cohere path; `id` numbers its answer ("cohere-mock-<id>").
void answer_cohere(http::Runtime& runtime, const http::Request& request, std::uint64_t id,
                   const std::shared_ptr<http::Responder>& responder);

}  // namespace llmtap::test
