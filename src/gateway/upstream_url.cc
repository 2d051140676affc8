#include "gateway/upstream_url.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "config/providers.h"

namespace llmtap::gateway {
namespace {

// api_base split at its query: "https://h/p?a=1" → {"https://h/p", "a=1"}.
struct SplitUrl {
  std::string_view base;
  std::string_view query;
};

SplitUrl split_query(std::string_view url) {
  const std::size_t mark = url.find('?');
  if (mark == std::string_view::npos) return {url, {}};
  return {url.substr(0, mark), url.substr(mark + 1)};
}

bool has_query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    if (param.substr(0, param.find('=')) == name) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

// Deployment names and API versions are plain tokens; anything else is percent-encoded so the
// URL stays one the client can send.
void append_encoded(std::string& out, std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || ch == '-' || ch == '.' || ch == '_' ||
                            ch == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
}

// `url` + api_base's own query + api-version (when given and the query names none).
std::string with_query(std::string url, std::string_view query, std::string_view api_version) {
  if (!query.empty()) {
    url += '?';
    url += query;
  }
  if (!api_version.empty() && !has_query_param(query, "api-version")) {
    url += query.empty() ? "?api-version=" : "&api-version=";
    append_encoded(url, api_version);
  }
  return url;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    if (slash != 0) out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// `base` + `ending`, where the segments `base` ends with that `ending` begins with are not
// repeated: "…/models" + "/models/chat/completions" is "…/models/chat/completions" (LiteLLM's
// _add_path_to_api_base).
std::string add_path(std::string_view base, std::string_view ending) {
  std::size_t path_at = 0;
  if (const std::size_t scheme = base.find("://"); scheme != std::string_view::npos) {
    path_at = base.find('/', scheme + 3);
    if (path_at == std::string_view::npos) path_at = base.size();
  }
  const std::vector<std::string_view> have = segments(base.substr(path_at));
  const std::vector<std::string_view> add = segments(ending);
  std::size_t keep = have.size();  // how many of `have` come before `add`
  for (std::size_t i = 0; i < have.size(); ++i) {
    const std::size_t overlap = have.size() - i;
    if (overlap <= add.size() &&
        std::equal(have.begin() + static_cast<std::ptrdiff_t>(i), have.end(), add.begin())) {
      keep = i;
      break;
    }
  }
  std::string url(base.substr(0, path_at));
  for (std::size_t i = 0; i < keep; ++i) {
    url += '/';
    url += have[i];
  }
  for (std::string_view segment : add) {
    url += '/';
    url += segment;
  }
  return url;
}

bool is_azure_v1(std::string_view api_version) {
  return api_version == "v1" || api_version == "latest" || api_version == "preview";
}

std::string azure_url(const config::Deployment& d, std::string_view route) {
  const auto [base, query] = split_query(d.api_base);
  std::string url(base);
  if (base.find("/openai/deployments") != std::string_view::npos) {
    url += route;
    return with_query(std::move(url), query, is_azure_v1(d.api_version) ? "" : d.api_version);
  }
  if (is_azure_v1(d.api_version)) {
    if (base.ends_with("/openai")) {
      url += "/v1";
    } else if (!base.ends_with("/openai/v1")) {
      url += "/openai/v1";
    }
    url += route;
    return with_query(std::move(url), query, {});
  }
  url += "/openai/deployments/";
  append_encoded(url, d.upstream_model);
  url += route;
  return with_query(std::move(url), query, d.api_version);
}

std::string azure_ai_url(const config::Deployment& d, std::string_view route) {
  const auto [base, query] = split_query(d.api_base);
  // LiteLLM looks for the host name anywhere in api_base.
  const bool model_inference = base.find("services.ai.azure.com") != std::string_view::npos;
  std::string url =
      model_inference ? add_path(base, "/models" + std::string(route)) : add_path(base, route);
  return with_query(std::move(url), query, d.api_version);
}

std::string gemini_url(const config::Deployment& d, std::string_view route, bool stream) {
  const bool embeddings = route == "/embeddings";
  stream = stream && !embeddings;
  const auto [base, query] = split_query(d.api_base);
  std::size_t path_at = base.size();
  if (const std::size_t scheme = base.find("://"); scheme != std::string_view::npos) {
    path_at = std::min(base.find('/', scheme + 3), base.size());
  }
  std::string url(base);
  if (path_at == base.size()) {
    url += "/v1beta";  // the server's root: AI Studio's API version
  }
  if (base.find("/models/", path_at) == std::string_view::npos) {
    url += "/models/";
    append_encoded(url, d.upstream_model);
  }
  url += embeddings ? ":batchEmbedContents"
         : stream   ? ":streamGenerateContent"
                    : ":generateContent";
  if (!query.empty()) {
    url += '?';
    url += query;
  }
  if (stream && !has_query_param(query, "alt")) url += query.empty() ? "?alt=sse" : "&alt=sse";
  return url;
}

// Cohere's api_base is the full URL of every route (LiteLLM's get_complete_url); only the
// default chat URL has a default embeddings URL beside it.
std::string cohere_url(const config::Deployment& d, std::string_view route) {
  if (route == "/embeddings") {
    const config::ProviderInfo* provider = config::find_provider(d.provider);
    if (provider != nullptr && d.api_base == provider->default_api_base) {
      return std::string(provider->default_embeddings_url);
    }
  }
  return d.api_base;
}

// Bedrock's model id goes into the path percent-encoded whole (LiteLLM's quote(safe="")): an
// ARN's ':' and '/' and a version's ':' are %3A and %2F.
std::string bedrock_url(const config::Deployment& d, bool stream) {
  std::string url = d.api_base;
  url += "/model/";
  append_encoded(url, d.upstream_model);
  url += stream ? "/converse-stream" : "/converse";
  return url;
}

// Vertex AI: a configured api_base is the model's resource URL (LiteLLM appends `:{method}`, or
// the OpenAI route, to it); else the project's and location's resource path on the host.
std::string vertex_url(const config::Deployment& d, bool stream) {
  std::string url = d.api_base;
  const bool openapi = d.url_form == config::UrlForm::vertex_openapi;
  const bool anthropic = d.url_form == config::UrlForm::vertex_anthropic;
  if (!d.vertex.custom_base) {
    url += "/v1/projects/";
    append_encoded(url, d.vertex.project);
    url += "/locations/";
    append_encoded(url, d.vertex.location);
    if (openapi) {
      url += "/endpoints/openapi";
    } else {
      url += anthropic ? "/publishers/anthropic/models/" : "/publishers/google/models/";
      append_encoded(url, d.upstream_model);
    }
  }
  if (openapi) {
    if (!url.ends_with("/chat/completions")) url += "/chat/completions";
    return url;
  }
  if (anthropic) {
    url += stream ? ":streamRawPredict" : ":rawPredict";
    return url;
  }
  url += stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
  return url;
}

}  // namespace

std::string upstream_url(const config::Deployment& deployment, std::string_view route,
                         bool stream) {
  switch (deployment.url_form) {
    case config::UrlForm::gemini:
      return gemini_url(deployment, route, stream);
    case config::UrlForm::cohere:
      return cohere_url(deployment, route);
    case config::UrlForm::azure:
      return azure_url(deployment, route);
    case config::UrlForm::azure_ai:
      return azure_ai_url(deployment, route);
    case config::UrlForm::bedrock:
      return bedrock_url(deployment, stream);
    case config::UrlForm::vertex_gemini:
    case config::UrlForm::vertex_anthropic:
    case config::UrlForm::vertex_openapi:
      return vertex_url(deployment, stream);
    case config::UrlForm::openai:
      break;
  }
  if (deployment.api != config::UpstreamApi::openai) return deployment.api_base;
  return deployment.api_base + std::string(route);
}

std::string_view record_api_base(const config::Deployment& deployment, std::string_view sent_to) {
  if (deployment.mock_response) return {};
  // LiteLLM logs the full URL of a translated call, and of a Vertex one (its api_base is a host).
  const bool full_url = deployment.api != config::UpstreamApi::openai ||
                        deployment.url_form == config::UrlForm::vertex_openapi;
  if (!full_url || sent_to.empty()) return deployment.api_base;
  return sent_to;
}

}  // namespace llmtap::gateway
