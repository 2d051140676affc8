// OpenAI chat request → Cohere v2 chat body (`POST {api_base}`, LiteLLM's default api_base
// https://api.cohere.com/v2/chat), as LiteLLM's CohereV2ChatConfig builds it: Cohere v2 takes
// OpenAI's message shapes, so the body is {"model", "messages", …parameters} with
// (src/providers/cohere/README.md):
//   - messages copied as they are, except `index` removed from assistant tool_calls entries and
//     `name` removed from role "tool" messages (Cohere v2 rejects both), and image_url parts as
//     OpenAIGPTConfig leaves them (a string URL as {"url": …}, LiteLLM's `format` key removed);
//   - temperature, frequency_penalty, presence_penalty, tools, seed, logprobs, response_format
//     passed under their OpenAI names; max_tokens / max_completion_tokens (the latter wins) →
//     max_tokens; top_p → p; n → num_generations (n = 1 too: LiteLLM skips it only where n is
//     unsupported); stop →
//     stop_sequences; tool_choice "required" / "none" → "REQUIRED" / "NONE" (any other choice
//     left out: Cohere's default is auto); stream → "stream": true (RequestOptions::stream);
//   - command-a-reasoning models also take `thinking` (passed) and reasoning_effort → thinking
//     ({"type":"disabled"} for none; {"type":"enabled","token_budget"} 128 / 1024 / 2048 / 4096
//     for minimal / low / medium / high; other efforts left out); a client's own `thinking` wins;
//   - other OpenAI parameters (parallel_tool_calls, logit_bias, top_logprobs, functions,
//     modalities, audio, web_search_options…, and thinking / reasoning_effort for other models):
//     dropped with drop_params, else a RequestProblem (UnsupportedParamsError, 400); user and
//     stream_options are left out, as LiteLLM skips them;
//   - keys that are not OpenAI parameters pass as they are (documents, citation_options,
//     safety_mode…), top_k renamed k.
//
// Pure function of its input; thread-safe (per-thread parsers).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "payload/request_summary.h"

namespace llmtap::providers::cohere {

// The headers LiteLLM's validate_environment sends besides Content-Type and `Authorization:
// Bearer <key>`: `Request-Source` with this value and `accept: application/json`.
inline constexpr std::string_view kRequestSource = "unspecified:litellm";

struct RequestOptions {
  std::string_view upstream_model;  // Cohere's model name ("command-r-08-2024", no prefix)
  // The record's custom_llm_provider ("cohere_chat" or "cohere"): it names the provider in the
  // UnsupportedParamsError message, as LiteLLM's does.
  std::string_view litellm_provider = "cohere_chat";
  bool drop_params = false;
  bool stream = false;
};

// Why a request cannot be sent to Cohere: the client's 400.
struct RequestProblem {
  std::string message;
  std::string param;                            // the offending parameter, or empty
  std::string error_class = "BadRequestError";  // or "UnsupportedParamsError"
};

struct ChatRequest {
  std::string body;
};

// `summary` is the parse of the client's body (its views point into that body).
Result<ChatRequest, RequestProblem> to_chat_request(const payload::RequestSummary& summary,
                                                    const RequestOptions& options);

}  // namespace llmtap::providers::cohere
