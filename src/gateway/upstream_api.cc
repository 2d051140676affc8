#include "gateway/upstream_api.h"

#include <utility>

#include "providers/anthropic/errors.h"
#include "providers/anthropic/headers.h"
#include "providers/anthropic/messages_answer.h"
#include "providers/anthropic/messages_request.h"
#include "providers/anthropic/stream_translator.h"
#include "providers/bedrock/converse_answer.h"
#include "providers/bedrock/converse_request.h"
#include "providers/bedrock/errors.h"
#include "providers/bedrock/stream_translator.h"
#include "providers/cohere/chat_answer.h"
#include "providers/cohere/chat_request.h"
#include "providers/cohere/embed.h"
#include "providers/cohere/errors.h"
#include "providers/cohere/stream_translator.h"
#include "providers/gemini/embed_answer.h"
#include "providers/gemini/embed_request.h"
#include "providers/gemini/errors.h"
#include "providers/gemini/generate_answer.h"
#include "providers/gemini/generate_request.h"
#include "providers/gemini/stream_translator.h"

namespace llmtap::gateway {
namespace {

// The Messages API version LiteLLM sends (and Anthropic documents as current).
constexpr std::string_view kAnthropicVersion = "2023-06-01";
// The version Anthropic on Vertex AI takes in the body (LiteLLM's, the vertex-sdk's default).
constexpr std::string_view kVertexAnthropicVersion = "vertex-2023-10-16";

// A provider translator's RequestProblem (each has message, param, error_class) as the gateway's.
template <typename Problem>
TranslationProblem as_translation_problem(Problem problem) {
  return TranslationProblem{std::move(problem.message), std::move(problem.param),
                            std::move(problem.error_class)};
}

}  // namespace

bool serves(config::UpstreamApi api, payload::CallType type) {
  switch (api) {
    case config::UpstreamApi::openai:
      return true;
    case config::UpstreamApi::anthropic:
    case config::UpstreamApi::bedrock:
      return type == payload::CallType::completion;
    case config::UpstreamApi::gemini:
    case config::UpstreamApi::cohere:
      return type == payload::CallType::completion || type == payload::CallType::embedding;
  }
  return false;
}

Result<TranslatedRequest, TranslationProblem> translate_request(
    const config::Deployment& deployment, std::string_view litellm_provider,
    const payload::RequestSummary& summary, payload::CallType type, bool stream,
    std::int64_t default_max_tokens) {
  TranslatedRequest request;
  if (deployment.api == config::UpstreamApi::cohere) {
    const providers::cohere::RequestOptions options{.upstream_model = deployment.upstream_model,
                                                    .litellm_provider = litellm_provider,
                                                    .drop_params = deployment.drop_params,
                                                    .stream = stream};
    if (type == payload::CallType::embedding) {
      auto body = providers::cohere::to_embed_request(summary, options);
      if (!body) return as_translation_problem(body.error());
      request.body = std::move(body->body);
    } else {
      auto body = providers::cohere::to_chat_request(summary, options);
      if (!body) return as_translation_problem(body.error());
      request.body = std::move(body->body);
    }
    // The headers LiteLLM's cohere validate_environment sends.
    request.headers.reserve(4);
    request.headers.push_back({"Content-Type", "application/json"});
    request.headers.push_back({"accept", "application/json"});
    request.headers.push_back({"Request-Source", std::string(providers::cohere::kRequestSource)});
    if (!deployment.api_key.empty()) {
      request.headers.push_back({"Authorization", "Bearer " + deployment.api_key});
    }
    return request;
  }
  if (deployment.api == config::UpstreamApi::gemini && type == payload::CallType::embedding) {
    auto body = providers::gemini::to_batch_embed_request(
        summary,
        {.upstream_model = deployment.upstream_model, .drop_params = deployment.drop_params});
    if (!body) {
      return as_translation_problem(body.error());
    }
    request.body = std::move(body->body);
    request.base64_embeddings = body->base64;
    request.headers.push_back({"Content-Type", "application/json"});
    if (!deployment.api_key.empty()) {
      request.headers.push_back({"x-goog-api-key", deployment.api_key});
    }
    return request;
  }
  switch (deployment.api) {
    case config::UpstreamApi::anthropic: {
      providers::anthropic::RequestOptions options;
      options.upstream_model = deployment.upstream_model;
      options.default_max_tokens = default_max_tokens;
      options.drop_params = deployment.drop_params;
      options.stream = stream;
      const bool vertex = deployment.url_form == config::UrlForm::vertex_anthropic;
      if (vertex) options.vertex_anthropic_version = kVertexAnthropicVersion;
      auto body = providers::anthropic::to_messages_request(summary, options);
      if (!body) {
        return as_translation_problem(body.error());
      }
      request.body = std::move(body->body);
      request.json_mode = body->json_mode;
      request.headers.reserve(4);
      request.headers.push_back({"Content-Type", "application/json"});
      // On Vertex the version is in the body and the access token is added at send time.
      if (!vertex) request.headers.push_back({"anthropic-version", std::string(kAnthropicVersion)});
      if (!deployment.api_key.empty()) request.headers.push_back({"x-api-key", deployment.api_key});
      if (stream) request.headers.push_back({"Accept", "text/event-stream"});
      return request;
    }
    case config::UpstreamApi::gemini: {
      auto body = providers::gemini::to_generate_request(
          summary,
          {.upstream_model = deployment.upstream_model, .drop_params = deployment.drop_params});
      if (!body) {
        return as_translation_problem(body.error());
      }
      request.body = std::move(body->body);
      request.headers.reserve(3);
      request.headers.push_back({"Content-Type", "application/json"});
      if (!deployment.api_key.empty()) {
        request.headers.push_back({"x-goog-api-key", deployment.api_key});
      }
      if (stream) request.headers.push_back({"Accept", "text/event-stream"});
      return request;
    }
    case config::UpstreamApi::bedrock: {
      // The model is in the URL, not the body; the signature is added at send time
      // (aws_request_signing.h), over this body and these headers.
      auto body = providers::bedrock::to_converse_request(
          summary, {.upstream_model = deployment.upstream_model,
                    .drop_params = deployment.drop_params,
                    .stream = stream});
      if (!body) return as_translation_problem(body.error());
      request.body = std::move(body->body);
      request.json_mode = body->json_mode;
      request.renamed_tools = std::move(body->renamed_tools);
      request.headers.reserve(4);
      request.headers.push_back({"Content-Type", "application/json"});
      if (deployment.auth == config::UpstreamAuth::bearer && !deployment.api_key.empty()) {
        request.headers.push_back({"Authorization", "Bearer " + deployment.api_key});
      }
      return request;
    }
    case config::UpstreamApi::cohere:  // above
    case config::UpstreamApi::openai:
      break;
  }
  return TranslationProblem{"the deployment's API needs no translation", {}, "BadRequestError"};
}

Result<std::string, AnswerProblem> translate_answer(config::UpstreamApi api, std::string_view body,
                                                    const AnswerIdentity& identity) {
  // in_place: an AnswerProblem is constructible from a string too.
  using Answer = Result<std::string, AnswerProblem>;
  switch (api) {
    case config::UpstreamApi::anthropic: {
      auto answer = providers::anthropic::to_chat_completion(
          body, {identity.id, identity.created, identity.json_mode});
      if (!answer) return AnswerProblem{std::move(answer.error().message)};
      return Answer(boost::system::in_place_value, std::move(*answer));
    }
    case config::UpstreamApi::gemini: {
      auto answer = identity.type == payload::CallType::embedding
                        ? providers::gemini::to_embedding_list(
                              body, {identity.model, identity.base64_embeddings})
                        : providers::gemini::to_chat_completion(
                              body, {identity.id, identity.created, identity.model});
      if (!answer) return AnswerProblem{std::move(answer.error().message)};
      return Answer(boost::system::in_place_value, std::move(*answer));
    }
    case config::UpstreamApi::cohere: {
      const providers::cohere::AnswerIdentity cohere{identity.id, identity.created, identity.model};
      auto answer = identity.type == payload::CallType::embedding
                        ? providers::cohere::to_embedding_response(body, cohere)
                        : providers::cohere::to_chat_completion(body, cohere);
      if (!answer) return AnswerProblem{std::move(answer.error().message)};
      return Answer(boost::system::in_place_value, std::move(*answer));
    }
    case config::UpstreamApi::bedrock: {
      auto answer = providers::bedrock::to_chat_completion(
          body, {identity.id, identity.created, identity.model, identity.json_mode,
                 identity.renamed_tools});
      if (!answer) return AnswerProblem{std::move(answer.error().message)};
      return Answer(boost::system::in_place_value, std::move(*answer));
    }
    case config::UpstreamApi::openai:
      break;
  }
  return Answer(boost::system::in_place_value, body);
}

providers::UpstreamError translate_error(config::UpstreamApi api, std::string_view litellm_provider,
                                         int status, std::string_view body) {
  if (api == config::UpstreamApi::anthropic) return providers::anthropic::map_error(status, body);
  if (api == config::UpstreamApi::gemini) return providers::gemini::map_error(status, body);
  if (api == config::UpstreamApi::bedrock) return providers::bedrock::map_error(status, body);
  if (api == config::UpstreamApi::cohere) {
    return providers::cohere::map_error(status, body, litellm_provider);
  }
  const providers::ErrorText text = providers::read_error_text(body);
  return {status, text.type, std::string(providers::error_class_for_status(status)), text.message};
}

std::string_view openai_header_name(config::UpstreamApi api, std::string_view name) {
  if (api == config::UpstreamApi::anthropic) return providers::anthropic::openai_header_name(name);
  return {};
}

std::string_view record_provider(const config::Deployment& deployment,
                                 const payload::ModelPrice* price) {
  if (deployment.provider == "cohere" && price != nullptr &&
      price->litellm_provider == "cohere_chat") {
    return "cohere_chat";
  }
  return deployment.provider;
}

std::unique_ptr<providers::StreamTranslator> make_stream_translator(
    config::UpstreamApi api, std::string id, std::int64_t created, std::string model,
    bool json_mode, std::vector<providers::bedrock::RenamedTool> renamed_tools) {
  if (api == config::UpstreamApi::anthropic) {
    return providers::anthropic::make_stream_translator(
        {std::move(id), created, std::move(model), json_mode});
  }
  if (api == config::UpstreamApi::gemini) {
    return providers::gemini::make_stream_translator({std::move(id), created, std::move(model)});
  }
  if (api == config::UpstreamApi::cohere) {
    return providers::cohere::make_stream_translator({std::move(id), created, std::move(model)});
  }
  if (api == config::UpstreamApi::bedrock) {
    return providers::bedrock::make_stream_translator(
        {std::move(id), created, std::move(model), json_mode, std::move(renamed_tools)});
  }
  return nullptr;
}

}  // namespace llmtap::gateway
