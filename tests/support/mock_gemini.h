// answer_gemini(): Google AI Studio's Gemini API as the mock upstream serves it (mock_upstream.h
// dispatches `POST /v1beta/models/<model>:<method>` and, for Vertex's express URLs,
// `…/publishers/google/models/<model>:<method>` here). Methods: generateContent (one
// GenerateContentResponse) and streamGenerateContent — with `?alt=sse` Google's SSE
// (`data: <response>\r\n\r\n` per event, no [DONE]: the stream ends with the bytes), without it
// one JSON array of the same responses — and batchEmbedContents (each request naming
// "models/<the URL's model>", else 400; a vector of outputDimensionality values, default 3, value
// j of request i (i + 1) / 2^(j + 1); status-NNN answers that error). It checks what Google
// checks first: a key in
// `x-goog-api-key` or `?key=` (none → 403 PERMISSION_DENIED; one starting "bad" → 400
// INVALID_ARGUMENT "API key not valid. Please pass a valid API key.", reason API_KEY_INVALID),
// a known method (else 404 NOT_FOUND), a JSON object body with a non-empty `contents` array
// (else 400 INVALID_ARGUMENT naming the field). It answers one candidate with a text part "mock
// answer", role "model", finishReason STOP, usageMetadata 11 prompt + 7 candidates = 18 tokens,
// modelVersion = the URL's model, responseId "mock-<id>". Streams send "mock", " ans", "wer",
// the last with finishReason and the final usage; every event carries usageMetadata, as Google's
// do. Errors have Google's body `{"error":{"code","message","status"}}`.
//
// The model name in the URL steers the behaviour, as with the OpenAI mock:
//   status-NNN       answer status NNN with Google's status name for it (400 INVALID_ARGUMENT,
//                    401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND, 429
//                    RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED)
//                    and message "upstream error for: <first user text>"
//   tool             when the request declares functions: a text part, then a functionCall part
//                    {name: the first declared function's, args {"city":"Paris"}} (streamed: a
//                    chunk of its own; Gemini never splits a call)
//   think            a thought part {"text":"mock thought","thought":true} first, and
//                    thoughtsTokenCount 3
//   cache            cachedContentTokenCount 3
//   blocked          no candidates: promptFeedback {blockReason SAFETY}, usage 11 prompt tokens
//   sleep-MS         wait MS milliseconds (on a timer) before answering
//   drip-MS          streams: wait MS milliseconds between events
//   midstream-error  streams: after the first event, an `error` event (503 UNAVAILABLE, "The
//                    model is overloaded. Please try again later.") and the stream ends
// Markers combine (`gemini-tool-think-drip-20`).
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

// Vertex AI's paths (/v1/projects/<p>/locations/<l>/…): the Gemini ones are answered here, the
// OpenAI-compatible /endpoints/openapi/chat/completions by the OpenAI mock; both take only
// `Authorization: Bearer <a token the token mock issued>` (else 401 UNAUTHENTICATED, Google's
// words).
inline constexpr std::string_view kMockTokenPrefix = "ya29.mock-";
inline constexpr std::string_view kVertexUnauthenticated =
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential.";
inline bool is_vertex_path(std::string_view path) { return path.starts_with("/v1/projects/"); }

// Whether `path` is a Gemini model method path this mock answers.
bool is_gemini_path(std::string_view path);

// Answers one Gemini model method call; `id` numbers its responseId.
void answer_gemini(http::Runtime& runtime, const http::Request& request, std::uint64_t id,
                   const std::shared_ptr<http::Responder>& responder);

}  // namespace llmtap::test
