// OpenAI embeddings request → Gemini batchEmbedContents body (AI Studio
// `…/models/{model}:batchEmbedContents`), as LiteLLM's batch_embed_content_transformation
// (transform_openai_input_gemini_content) builds it:
//   - `input` a string or a list: one EmbedContentRequest {model: "models/<model>", content:
//     {parts}} per element; an element that is itself a list of strings is one request whose
//     parts are its strings (one combined embedding);
//   - each string is a text part, a `data:<mime>;base64,…` URL an inline_data part (image/png,
//     image/jpeg, audio/mpeg, audio/wav, video/mp4, video/quicktime, application/pdf, else 400),
//     a gs:// URL a file_data part with the MIME type from its extension (else 400); token-id
//     inputs (numbers) are a 400, as Gemini embeds text only; `files/…` references are a 400
//     (LiteLLM resolves them with an extra call, which a sans-I/O translator cannot make);
//   - dimensions → outputDimensionality, task_type → taskType; taskType, title and
//     outputDimensionality given as such are kept;
//   - encoding_format: LiteLLM refuses it for gemini (UnsupportedParamsError, LiteLLM #33173),
//     although the openai SDKs send it by default; llmtap takes "float" and "base64" and the
//     answer translator encodes the vectors as asked (embed_answer.h);
//   - the other OpenAI embedding parameter, `user`: dropped with drop_params, else
//     UnsupportedParamsError (400); keys that are no OpenAI parameter are left out, as LiteLLM
//     keeps only Gemini's fields.
//
// Pure function of its input; thread-safe (per-thread parsers).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "payload/request_summary.h"
#include "providers/gemini/generate_request.h"

namespace llmtap::providers::gemini {

struct EmbedOptions {
  std::string_view upstream_model;  // Gemini's model name ("gemini-embedding-001")
  bool drop_params = false;
};

struct EmbedRequest {
  std::string body;
  bool base64 = false;  // the client asked for encoding_format "base64"
};

// `summary` is the parse of the client's embeddings body (its views point into that body).
Result<EmbedRequest, RequestProblem> to_batch_embed_request(const payload::RequestSummary& summary,
                                                            const EmbedOptions& options);

}  // namespace llmtap::providers::gemini
