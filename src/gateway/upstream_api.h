// The gateway's one switch over the API a deployment's upstream speaks (config::UpstreamApi):
// for a translated API, what the request to send is, what its answers mean in OpenAI's shapes,
// and how its streams become OpenAI chunks — each delegated to that provider's sans-I/O adapter
// in src/providers/. OpenAI-compatible upstreams never come here: their bytes pass through
// (upstream_body.h, StreamRelay).
//
// Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "http/message.h"
#include "payload/call_type.h"
#include "payload/price_map.h"
#include "payload/request_summary.h"
#include "providers/bedrock/converse_request.h"
#include "providers/stream_translator.h"
#include "providers/upstream_error.h"

namespace llmtap::gateway {

// Whether a translated API serves a route at all (Anthropic, Gemini and Cohere take no text
// completions; Anthropic has no embeddings); OpenAI-compatible upstreams serve every route.
bool serves(config::UpstreamApi api, payload::CallType type);

struct TranslatedRequest {
  http::Headers headers;
  std::string body;
  // The answer is JSON asked for through a tool (Anthropic's json_tool_call); the answer and
  // stream translators need to know.
  bool json_mode = false;
  // Embeddings the client asked for as base64 (encoding_format), which the provider cannot send.
  bool base64_embeddings = false;
  // Tools renamed to names the provider accepts (Bedrock): answers and streams give the client's
  // names back.
  std::vector<providers::bedrock::RenamedTool> renamed_tools;
};

// Why a request cannot be translated: the client's 400, with LiteLLM's class for the record.
struct TranslationProblem {
  std::string message;
  std::string param;
  std::string error_class;
};

// The request for `deployment`'s API from the client's parsed request of `type` (a route
// serves()). `litellm_provider` is the record's custom_llm_provider (record_provider()), which
// LiteLLM's messages name; `default_max_tokens` is what LiteLLM sends when the client names none
// (the model's max output tokens in the price map).
Result<TranslatedRequest, TranslationProblem> translate_request(
    const config::Deployment& deployment, std::string_view litellm_provider,
    const payload::RequestSummary& summary, payload::CallType type, bool stream,
    std::int64_t default_max_tokens);

// Why a 2xx answer is no answer of its API (not JSON, not a message, an error object).
struct AnswerProblem {
  std::string message;
};

// What a translated answer says about the call that the upstream's answer may not.
struct AnswerIdentity {
  std::string_view id;  // the gateway's "chatcmpl-…"
  std::int64_t created = 0;
  std::string_view model;  // the deployment's upstream model (Gemini's answers name only a version)
  bool json_mode = false;
  payload::CallType type = payload::CallType::completion;
  bool base64_embeddings = false;
  std::span<const providers::bedrock::RenamedTool> renamed_tools;  // TranslatedRequest's
};

// A whole 2xx answer as OpenAI's chat.completion (or embeddings list), with the gateway's id and
// time.
Result<std::string, AnswerProblem> translate_answer(config::UpstreamApi api, std::string_view body,
                                                    const AnswerIdentity& identity);

// An error answer as LiteLLM reports it for this API (`litellm_provider` as above).
providers::UpstreamError translate_error(config::UpstreamApi api, std::string_view litellm_provider,
                                         int status, std::string_view body);

// The OpenAI name a record also carries for this API's response header (Anthropic's rate-limit
// headers as x-ratelimit-*, as LiteLLM records them), or empty (Gemini sends no such headers).
std::string_view openai_header_name(config::UpstreamApi api, std::string_view name);

// The custom_llm_provider LiteLLM names a deployment's calls with: its provider prefix, except
// that LiteLLM calls a `cohere/` model `cohere_chat` when its price map lists the model as
// cohere_chat (get_llm_provider's cohere_chat_models). `price` is the model's entry, or null.
std::string_view record_provider(const config::Deployment& deployment,
                                 const payload::ModelPrice* price);

// A translator for one stream of this API.
// `renamed_tools` as in TranslatedRequest.
std::unique_ptr<providers::StreamTranslator> make_stream_translator(
    config::UpstreamApi api, std::string id, std::int64_t created, std::string model,
    bool json_mode, std::vector<providers::bedrock::RenamedTool> renamed_tools = {});

}  // namespace llmtap::gateway
