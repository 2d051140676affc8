// OpenAI chat request → Bedrock Converse body (`POST /model/{modelId}/converse` or
// `/converse-stream`: the model and the stream choice are in the URL, never in the body), as
// LiteLLM's AmazonConverseConfig and _bedrock_converse_messages_pt build it
// (src/providers/bedrock/README.md lists the sources and where llmtap chose differently):
//   - body keys in LiteLLM's order: messages, additionalModelRequestFields, system,
//     inferenceConfig, then guardrailConfig / performanceConfig / serviceTier when given,
//     toolConfig, requestMetadata (the first three always, `{}` / `[]` when empty, as LiteLLM);
//   - system (and developer) messages, wherever they are → `system` text blocks (blank text
//     skipped), a `cache_control` adding a `{cachePoint:{type:default}}` block after its text;
//   - user text and image parts, tool results and assistant content as Converse content blocks,
//     consecutive same-role turns merged (a tool result joins the user turn around it, as LiteLLM
//     merges without modify_params), blank text skipped but in a tool result's string (Bedrock
//     400s on a blank text block); a leading assistant message is sent as it is: LiteLLM prepends
//     its "Please continue." user message only with modify_params, and Bedrock's "A conversation
//     must start with a user message." answer is mapped by errors.h;
//   - images: a data: URL → `{image:{format, source:{bytes}}}` (png, jpeg, gif, webp); an
//     http(s) URL is a 400 RequestProblem — LiteLLM downloads it, a translator does no network,
//     and Converse takes remote images only as s3Location; other media types are a 400 too;
//   - assistant thinking_blocks → reasoningContent blocks first, content, then tool_calls →
//     `{toolUse:{toolUseId, name, input}}` with input the arguments string parsed (invalid JSON:
//     a 400; blank, or JSON that is no object: `{}`); role "tool" → `{toolResult:{toolUseId,
//     content:[{text}…]}}`; file / document parts are a 400 (not built);
//   - inferenceConfig: maxTokens (max_tokens, else max_completion_tokens; with thinking and
//     neither, the budget + 4096), temperature, topP, stopSequences (a string as a list, "" left
//     out);
//   - toolConfig: tools → `{toolSpec:{name, description (the name when absent), inputSchema:{json:
//     parameters}}}` with names made valid for Bedrock ([a-zA-Z][a-zA-Z0-9_]*: other characters →
//     `_`, an `a` prefixed when the first is no letter; ConverseRequest::renamed_tools maps them
//     back); tool_choice auto / required / {function:{name}} → {auto:{}} / {any:{}} /
//     {tool:{name}} ("none": dropped with drop_params, else UnsupportedParamsError 400);
//     forced choices become auto when thinking is on;
//   - response_format json_object / json_schema → LiteLLM's `json_tool_call` tool (the schema as
//     its input schema), forced by toolChoice unless thinking is on, and json_mode;
//   - additionalModelRequestFields: thinking (budget_tokens raised to Bedrock's minimum, 1024),
//     reasoning_effort as thinking (Anthropic models; GPT-OSS takes it as it is), top_k
//     (`{top_k}` for Anthropic, `{inferenceConfig:{topK}}` for Nova, else left out) and every
//     key that is no OpenAI parameter, as LiteLLM passes them;
//   - OpenAI parameters (openai_params.h) Bedrock has no counterpart for (n ≠ 1, seed,
//     penalties, logprobs, parallel_tool_calls…; tools, tool_choice, thinking for models that do
//     not take them): dropped with drop_params, else UnsupportedParamsError 400 in LiteLLM's
//     words; stream, stream_options, user and LiteLLM's own settings are never in the body.
//
// Pure function of its input; thread-safe (per-thread parsers).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "payload/request_summary.h"

namespace llmtap::providers::bedrock {

struct RequestOptions {
  // The Bedrock model id, e.g. "us.anthropic.claude-3-5-sonnet-20240620-v1:0" (or an ARN).
  std::string_view upstream_model;
  bool drop_params = false;
  bool stream = false;
};

// Why a request cannot be sent to Bedrock: the client's 400.
struct RequestProblem {
  std::string message;
  std::string param;                            // the offending parameter, or empty
  std::string error_class = "BadRequestError";  // or "UnsupportedParamsError"
};

// A tool whose name was changed to one Bedrock accepts: the answer and stream translators give
// the client its own name back.
struct RenamedTool {
  std::string bedrock_name;
  std::string name;
  bool operator==(const RenamedTool&) const = default;
};

struct ConverseRequest {
  std::string body;
  // response_format became the json_tool_call tool: the answer's and the stream's translators
  // turn that tool's input back into content (AnswerIdentity / StreamIdentity::json_mode).
  // A stream in json_mode is a real ConverseStream (the stream translator streams the tool's
  // input as content); LiteLLM fakes it with one /converse call and one chunk.
  bool json_mode = false;
  std::vector<RenamedTool> renamed_tools;
};

// `summary` is the parse of the client's body (its views point into that body).
Result<ConverseRequest, RequestProblem> to_converse_request(const payload::RequestSummary& summary,
                                                            const RequestOptions& options);

}  // namespace llmtap::providers::bedrock
