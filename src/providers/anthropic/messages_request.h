// OpenAI chat request → Anthropic Messages API request body (POST /v1/messages), as LiteLLM's
// AnthropicConfig translates it (src/providers/README.md):
//   - system messages (anywhere) → top-level `system` text blocks; consecutive user/tool messages
//     merged into one user message, consecutive assistant messages merged;
//   - user content: string → text block; text parts; image_url parts → image blocks (a data: URL
//     → base64 source with its media type; an http(s) URL → a url source, which Anthropic fetches
//     itself — LiteLLM downloads it instead, see docs/DESIGN.md);
//   - assistant content, then tool_calls → tool_use blocks (arguments parsed as JSON);
//     role "tool" → tool_result blocks in a user message;
//   - tools → {name, description, input_schema}; tool_choice auto/required/none/{function} →
//     {type auto|any|none|tool}; parallel_tool_calls → disable_parallel_tool_use;
//   - max_tokens / max_completion_tokens → max_tokens, else RequestOptions::default_max_tokens;
//     temperature, top_p, top_k pass; stop → stop_sequences; user → metadata.user_id unless it is
//     an email or phone number; stream: true when RequestOptions::stream;
//   - response_format json_schema → the json_tool_call tool, forced by tool_choice unless
//     thinking is on (the answer side unwraps it); reasoning_effort → thinking budget_tokens;
//     thinking passes; tool history without tools gets LiteLLM's dummy_tool;
//   - any other OpenAI parameter (n, seed, frequency_penalty, logprobs…): dropped when
//     drop_params, else a RequestProblem (LiteLLM's UnsupportedParamsError, HTTP 400). Keys that
//     are not OpenAI parameters (top_k…) pass to Anthropic as they are, as LiteLLM does.
//
// Pure function of its input; thread-safe (a per-thread parser).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "payload/request_summary.h"

namespace llmtap::providers::anthropic {

struct RequestOptions {
  std::string_view upstream_model;         // Anthropic's model name ("claude-…", no prefix)
  std::int64_t default_max_tokens = 4096;  // the model's max output tokens when the map knows it
  bool drop_params = false;
  bool stream = false;
  // Anthropic on Vertex AI (rawPredict): the model is in the URL, and the body carries this
  // version instead (LiteLLM's VertexAIAnthropicConfig, the vertex-sdk: "vertex-2023-10-16").
  std::string_view vertex_anthropic_version;
};

// Why a request cannot be sent to Anthropic: the client's 400.
struct RequestProblem {
  std::string message;  // e.g. "anthropic does not support parameters: ['seed']…"
  std::string param;    // the offending parameter, or empty
  std::string error_class = "BadRequestError";  // or "UnsupportedParamsError"
};

struct MessagesRequest {
  std::string body;
  // response_format asked for JSON and became the json_tool_call tool: the answer's and the
  // stream's translators turn that tool's input back into content (AnswerIdentity::json_mode).
  bool json_mode = false;
};

// `summary` is the parse of the client's body (its views point into that body).
Result<MessagesRequest, RequestProblem> to_messages_request(const payload::RequestSummary& summary,
                                                            const RequestOptions& options);

}  // namespace llmtap::providers::anthropic
