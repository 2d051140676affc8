// ModelListReader's Vertex AI step (README "model_list[]", Vertex AI): which API a model speaks
// there, its project and location, and the service account access tokens are made from, as
// LiteLLM's vertex_ai provider reads them (vertex_llm_base.py: vertex_project / vertex_location /
// vertex_credentials and their vertex_ai_* spellings, the VERTEXAI_* variables, then
// GOOGLE_APPLICATION_CREDENTIALS; a project from the key file when none is named; us-central1 by
// default). Gemini models speak generateContent; Claude models Anthropic's Messages API through
// rawPredict; every other model — the partner and open models of Model Garden (qwen/…-maas,
// meta/llama…, deepseek-ai/…) — speaks Vertex's OpenAI-compatible endpoint.
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string_view>

#include "config/model_list.h"

namespace llmtap::config {
namespace {

// The service account's project_id, or empty: a light read of one string member (the key file
// is parsed for real, and validated, by the gateway's token source).
std::string project_in_key_file(std::string_view json) {
  constexpr std::string_view kKey = "\"project_id\"";
  std::size_t at = json.find(kKey);
  if (at == std::string_view::npos) return {};
  at = json.find('"', json.find(':', at + kKey.size()));
  if (at == std::string_view::npos) return {};
  const std::size_t end = json.find('"', at + 1);
  if (end == std::string_view::npos) return {};
  return std::string(json.substr(at + 1, end - at - 1));
}

bool looks_like_json(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

bool ModelListReader::read_vertex_param(const std::string& key, const YAML::Node& value,
                                        const Mark& where, RawDeployment& raw) {
  std::optional<std::string>* target = nullptr;
  if (key == "vertex_project" || key == "vertex_ai_project") target = &raw.vertex.project;
  if (key == "vertex_location" || key == "vertex_ai_location") target = &raw.vertex.location;
  if (key == "vertex_credentials" || key == "vertex_ai_credentials") {
    target = &raw.vertex.credentials;
  }
  if (target == nullptr) return false;
  if (value.IsMap()) {
    // LiteLLM also takes the key file's fields as a mapping; written as JSON it is the same.
    YAML::Emitter out;
    out << YAML::DoubleQuoted << YAML::Flow << YAML::Node(value);
    *target = out.c_str();
    return true;
  }
  *target = yaml_.text(value, where, &raw.unset);
  return true;
}

bool ModelListReader::resolve_vertex(const RawDeployment& raw, const std::string& label,
                                     Deployment& dep) {
  const std::string_view model = dep.upstream_model;
  if (all_digits(model)) {
    diagnostics_.deployment_problem(
        raw.model_where,
        fmt::format("'{}': Vertex AI's fine-tuned endpoints are not served by llmtap yet; "
                    "deployment {} left out of routing",
                    dep.model, label));
    return false;
  }
  if (model.find("claude") != std::string_view::npos) {
    // LiteLLM's partner-model rule: a model naming claude is Anthropic's, through rawPredict.
    dep.api = UpstreamApi::anthropic;
    dep.url_form = UrlForm::vertex_anthropic;
  } else if (model.starts_with("gemini")) {
    dep.api = UpstreamApi::gemini;
    dep.url_form = UrlForm::vertex_gemini;
  } else {
    dep.api = UpstreamApi::openai;
    dep.url_form = UrlForm::vertex_openapi;
  }

  auto param_or_env = [&](const std::optional<std::string>& param,
                          std::initializer_list<std::string_view> names) {
    if (param && !param->empty()) return *param;
    for (std::string_view name : names) {
      if (auto value = resolver_.get(name)) return *value;
    }
    return std::string();
  };
  dep.vertex.location = param_or_env(raw.vertex.location, {"VERTEXAI_LOCATION"});
  if (dep.vertex.location.empty()) dep.vertex.location = "us-central1";  // LiteLLM's default
  const std::string credentials = param_or_env(
      raw.vertex.credentials, {"VERTEXAI_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS"});
  if (credentials.empty()) {
    diagnostics_.deployment_problem(
        raw.params_where,
        fmt::format("provider 'vertex_ai' needs a service account: vertex_credentials (a key "
                    "file's path or its JSON), VERTEXAI_CREDENTIALS or "
                    "GOOGLE_APPLICATION_CREDENTIALS; gcloud user credentials and the metadata "
                    "server are not read; deployment {} left out of routing",
                    label));
    return false;
  }
  if (looks_like_json(credentials)) {
    dep.vertex.credentials_json = credentials;
  } else {
    std::ifstream file(credentials);
    std::stringstream text;
    if (file) text << file.rdbuf();
    if (file && !file.bad()) {
      dep.vertex.credentials_json = text.str();
    } else {
      // LiteLLM reads the file at the first call; a key file mounted later (or fixed) is read
      // at the next start or reload. Until then each call fails saying why.
      dep.vertex.credentials_problem =
          fmt::format("the service account key file '{}' could not be read", credentials);
      diagnostics_.warn(raw.params_where,
                        fmt::format("{}; calls to deployment {} will fail until it can",
                                    dep.vertex.credentials_problem, label));
    }
  }
  dep.vertex.project = param_or_env(raw.vertex.project, {"VERTEXAI_PROJECT"});
  if (dep.vertex.project.empty())
    dep.vertex.project = project_in_key_file(dep.vertex.credentials_json);
  if (dep.vertex.project.empty()) {
    diagnostics_.deployment_problem(
        raw.params_where,
        fmt::format("provider 'vertex_ai' needs a project: vertex_project, VERTEXAI_PROJECT or "
                    "the key file's project_id; deployment {} left out of routing",
                    label));
    return false;
  }
  return true;
}

}  // namespace llmtap::config
