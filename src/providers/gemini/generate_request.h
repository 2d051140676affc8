// OpenAI chat request → Gemini generateContent body (AI Studio `…/models/{model}:generateContent`
// and Vertex; the model goes in the URL, never in the body), as LiteLLM's VertexGeminiConfig
// translates it (src/providers/README.md). Keys are LiteLLM's (snake_case where it writes
// snake_case; Google's proto3 JSON parser takes both spellings):
//   - system/developer messages → system_instruction {parts:[{text}]} (a list content joined);
//   - user → role "user", assistant → role "model"; consecutive messages of one role merged,
//     tool results grouped into their own "user" turn; empty texts skipped; a user turn left with
//     no part gets {text:" "} (LiteLLM #5515);
//   - image_url / file / input_audio parts: a data: URL → inline_data {mime_type, data}; a gs://
//     or http(s) URL → file_data {mime_type (the part's `format`, else from the extension; left
//     out when unknown), file_uri} — LiteLLM downloads http URLs whose type it cannot tell and
//     inlines them; a sans-I/O translator cannot, so Gemini is given the URI;
//   - assistant tool_calls → function_call {name, args: the parsed arguments ({} when empty)};
//     role "tool" → function_response {name (from the call with that id), response:{content}};
//   - tools → one Tool {function_declarations:[{name, description, parameters}]}, the schema
//     rewritten as LiteLLM's _build_vertex_schema does ($ref into $defs inlined; anyOf with null →
//     nullable; title of a schema, $schema, $id, additionalProperties, strict removed;
//     type "object" added beside properties); other tools (googleSearch, code_execution…) as
//     their own Tool; web_search_options → {googleSearch:{}};
//   - tool_choice none/auto/required/{function} → toolConfig.functionCallingConfig {mode
//     NONE|AUTO|ANY, allowed_function_names}; parallel_tool_calls false with several tools → 400
//     (dropped with drop_params);
//   - generationConfig: temperature, top_p, top_k, n → candidate_count, stop → stop_sequences,
//     max_tokens / max_completion_tokens → max_output_tokens, seed, presence/frequency_penalty
//     (not for gemini-3), logprobs → responseLogprobs, top_logprobs → logprobs, modalities →
//     responseModalities; response_format json_object → response_mime_type application/json,
//     text → text/plain, json_schema → application/json + responseJsonSchema (response_schema,
//     rewritten, for gemini-1.x); reasoning_effort / thinking → thinkingConfig; gemini-3 without
//     temperature gets 1.0, as LiteLLM inserts;
//   - safety_settings → safetySettings, cached_content → cachedContent;
//   - other OpenAI parameters (logit_bias, functions, audio…): dropped with drop_params, else a
//     RequestProblem (UnsupportedParamsError, 400). Other keys are left out, as LiteLLM keeps only
//     the fields Gemini's request has.
//
// Pure function of its input; thread-safe (per-thread parsers).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "payload/request_summary.h"

namespace llmtap::providers::gemini {

struct RequestOptions {
  std::string_view upstream_model;  // Gemini's model name ("gemini-2.5-flash", no prefix)
  bool drop_params = false;
};

// Why a request cannot be sent to Gemini: the client's 400.
struct RequestProblem {
  std::string message;
  std::string param;                            // the offending parameter, or empty
  std::string error_class = "BadRequestError";  // or "UnsupportedParamsError"
};

struct GenerateRequest {
  std::string body;
};

// `summary` is the parse of the client's body (its views point into that body).
Result<GenerateRequest, RequestProblem> to_generate_request(const payload::RequestSummary& summary,
                                                            const RequestOptions& options);

}  // namespace llmtap::providers::gemini
