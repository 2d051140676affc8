// Gemini batchEmbedContents answer ({"embeddings":[{"values":[…]}, …]}) → OpenAI's embeddings
// list, as LiteLLM's process_response writes it: one {"object":"embedding","index":i,
// "embedding":[…]} per vector, in order; `model` the deployment's model; usage
// {"prompt_tokens":0,"total_tokens":0}. Gemini's batch answer carries no token count and LiteLLM
// counts the input with its own tokenizer (tiktoken), which llmtap does not have: the record says
// 0 tokens rather than a guess (README "model_list[]"). With `base64` (the client's
// encoding_format) each vector is written as OpenAI does then: its float32 values,
// little-endian, base64-encoded; else the values are copied as JSON numbers.
//
// Pure function of its input; thread-safe (a per-thread parser).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "providers/gemini/generate_answer.h"

namespace llmtap::providers::gemini {

struct EmbeddingIdentity {
  std::string_view model;
  bool base64 = false;
};

Result<std::string, AnswerProblem> to_embedding_list(std::string_view body,
                                                     const EmbeddingIdentity& identity);

}  // namespace llmtap::providers::gemini
