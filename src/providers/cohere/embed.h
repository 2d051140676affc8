// OpenAI embeddings ↔ Cohere v2 embed (`POST https://api.cohere.ai/v2/embed`, LiteLLM's
// CohereEmbeddingConfig; src/providers/cohere/README.md):
//   request:  {"model", "texts": the input (a string as a one-item list), "input_type":
//             "search_document" (LiteLLM's COHERE_DEFAULT_EMBEDDING_INPUT_TYPE)} — or, when the
//             last input is a base64 data: URL, {"images": the input, "input_type": "image"};
//             encoding_format → embedding_types (a string as a one-item list), dimensions →
//             output_dimension; keys that are not OpenAI parameters pass as they are and win
//             (input_type, truncate…); user is left out. Token inputs (lists of integers) are a
//             RequestProblem, as LiteLLM raises "Input must be a list of strings";
//   answer:   {"object":"list","data":[{"object":"embedding","index","embedding"}…],"model",
//             "usage"}: one data item per vector of each embeddings type in Cohere's order, the
//             index counted within its type; usage.prompt_tokens = meta.billed_units.input_tokens
//             + images (LiteLLM's prompt_tokens_details text_tokens / image_tokens beside it),
//             completion_tokens 0. (LiteLLM counts the input with its tokenizer when Cohere bills
//             nothing; a sans-I/O translator has no tokenizer, so that count is 0.)
//
// Pure functions of their input; thread-safe (per-thread parsers).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "payload/request_summary.h"
#include "providers/cohere/chat_answer.h"
#include "providers/cohere/chat_request.h"

namespace llmtap::providers::cohere {

struct EmbedRequest {
  std::string body;
};

// `summary` is the parse of the client's /v1/embeddings body (input_raw is its "input").
Result<EmbedRequest, RequestProblem> to_embed_request(const payload::RequestSummary& summary,
                                                      const RequestOptions& options);

// `identity.model` names the answer's model; its id and created are not part of an embedding.
Result<std::string, AnswerProblem> to_embedding_response(std::string_view body,
                                                         const AnswerIdentity& identity);

}  // namespace llmtap::providers::cohere
