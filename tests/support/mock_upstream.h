// MockUpstream: an OpenAI-compatible LLM server for tests and benchmarks, built on http::Server.
// POST /v1/chat/completions (and /chat/completions, /v1/completions, /completions,
// /v1/embeddings, /embeddings) answer OpenAI-shaped responses — content "mock answer", usage
// 11 + 7 = 18 tokens, `model` echoing the request — streamed as SSE when `stream: true` (one
// write per event; a usage event when `stream_options.include_usage`; then `data: [DONE]`), with
// OpenAI's x-ratelimit-* headers. Azure OpenAI's URL forms answer the same way:
// /openai/deployments/<deployment>/{chat/completions,completions,embeddings} (an `api-version`
// query is required, else 404 as Azure; `model` echoes the deployment, which also steers the
// markers below) and the v1 API's /openai/v1/… (`model` from the body); so do Cloudflare Workers
// AI's OpenAI-compatible routes, /client/v4/accounts/<account>/ai/v1/…, and Vertex AI's
// /v1/projects/<p>/locations/<l>/endpoints/openapi/chat/completions (which takes only an access
// token the token mock issued, mock_gemini.h). The key is read from
// `Authorization: Bearer` or Azure's `api-key` header.
//
// The requested model name steers the behaviour, so tests need no control channel:
//   status-NNN   answer status NNN, error body "upstream error for: <first message content>"
//                (401 also echoes the bearer key: "Incorrect API key provided: <key>; …", as
//                OpenAI)
//   sleep-MS     wait MS milliseconds (on a timer, not blocking a thread) before answering
//   garbage      200 with a body that is not JSON
//   truncated    200 with the JSON answer cut in half
//   badutf8      content carrying bytes that are not UTF-8 (whole answers and stream events)
//   close        drop the connection mid-answer (headers sent, body never completed)
//   drip-MS      streams: wait MS milliseconds between events
//   cut          streams: drop the connection after the first two events (no [DONE])
// Markers combine (`sleep-200-status-503`). POST /v1/messages is Anthropic's Messages API
// instead (mock_anthropic.h, its own markers), POST …/models/<model>:<method> Gemini's
// (mock_gemini.h), POST /v2/chat and /v2/embed Cohere's v2 API (mock_cohere.h), POST
// /model/<id>/converse and /converse-stream Bedrock's, signatures verified (mock_bedrock.h), POST
// /token and GET /token-stats Google's OAuth token endpoint for the test service account
// (mock_google_token.h). Every request is logged to --requests-out.
//
// Lifecycle: construct, listen(), serve on the runtime. Thread-safety: handlers run on runtime
// threads; the request log and counters are safe to share.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "http/runtime.h"
#include "http/server.h"
#include "sink/request_log.h"
#include "support/mock_google_token.h"

namespace llmtap::test {

struct MockUpstreamOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string requests_out_path;  // empty: requests are not logged
};

class MockUpstream {
 public:
  MockUpstream(http::Runtime& runtime, MockUpstreamOptions options);
  ~MockUpstream();
  MockUpstream(const MockUpstream&) = delete;
  MockUpstream& operator=(const MockUpstream&) = delete;

  void listen() { server_->listen(); }
  std::uint16_t port() const { return server_->port(); }
  http::Server& server() { return *server_; }

 private:
  void handle(http::Request request, std::shared_ptr<http::Responder> responder);

  http::Runtime& runtime_;
  sink::RequestLog requests_log_;
  std::atomic<std::uint64_t> next_id_{1};
  MockGoogleToken google_token_;
  // Declared last: its handler uses every member above.
  std::unique_ptr<http::Server> server_;
};

}  // namespace llmtap::test
