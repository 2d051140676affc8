#include "config/model_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace llmtap::config {
namespace {

// FNV-1a: a stable id across runs, builds and machines (std::hash is none of those).
std::string stable_id(std::string_view a, std::string_view b, std::string_view c) {
  std::uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](std::string_view part) {
    for (char ch : part) {
      hash ^= static_cast<unsigned char>(ch);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // separator, so ("ab","c") and ("a","bc") differ
    hash *= 1099511628211ULL;
  };
  mix(a);
  mix(b);
  mix(c);
  return fmt::format("{:016x}", hash);
}

void add_model_name(const std::string& name, Config& config) {
  if (std::find(config.model_names.begin(), config.model_names.end(), name) ==
      config.model_names.end()) {
    config.model_names.push_back(name);
  }
}

// Provider and upstream model name from litellm_params.model (and custom_llm_provider).
void split_model(const RawDeployment& raw, Deployment& dep) {
  const std::string& model = *raw.model;
  const std::size_t slash = model.find('/');
  if (raw.provider_override && !raw.provider_override->empty()) {
    dep.provider = *raw.provider_override;
    const std::string prefix = *raw.provider_override + "/";
    dep.upstream_model = model.rfind(prefix, 0) == 0 ? model.substr(prefix.size()) : model;
  } else if (slash == std::string::npos) {
    dep.provider = "openai";  // LiteLLM's default for a bare model name
    dep.upstream_model = model;
  } else {
    dep.provider = model.substr(0, slash);
    dep.upstream_model = model.substr(slash + 1);
  }
}

}  // namespace

void ModelListReader::read(const YAML::Node& node, const Mark& where,
                           std::optional<std::chrono::milliseconds> default_timeout,
                           bool default_drop_params, Config& config) {
  default_timeout_ = default_timeout;
  default_drop_params_ = default_drop_params;
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    diagnostics_.error(where, fmt::format("expected a list, got {}", kind_of(node)));
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string path = fmt::format("model_list[{}]", i);
    const YAML::Node item = node[i];
    if (!yaml_.expect_map(item, yaml_.at(item, path))) continue;
    const std::size_t errors_before = diagnostics_.error_count();
    RawDeployment raw = read_deployment_keys(item, path);
    if (!check_required(raw) || diagnostics_.error_count() != errors_before) continue;
    if (raw.model_name) add_model_name(*raw.model_name, config);
    if (auto dep = resolve_deployment(raw)) config.deployments.push_back(std::move(*dep));
  }
}

// Warns once per generic key path (e.g. model_list[].litellm_params.rpm), not per deployment.
void ModelListReader::warn_deployment_key(const YAML::Node& key_node, const std::string& path,
                                          const std::string& generic_path) {
  if (warned_deployment_keys_.insert(generic_path).second) {
    diagnostics_.warn(yaml_.at(key_node, path),
                      "not supported by llmtap; ignored (warned once for all deployments)");
  }
}

RawDeployment ModelListReader::read_deployment_keys(const YAML::Node& item,
                                                    const std::string& path) {
  RawDeployment raw;
  raw.path = path;
  raw.where = yaml_.at(item, path);
  raw.params_where = raw.model_where = raw.api_base_where = raw.where;
  yaml_.for_each_entry(
      item, path,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& child) {
        if (key == "model_name") {
          raw.have_name = true;
          raw.model_name = yaml_.text(value, yaml_.at(key_node, child), &raw.unset);
        } else if (key == "litellm_params") {
          raw.have_params = true;
          raw.params_where = yaml_.at(key_node, child);
          if (!yaml_.expect_map(value, raw.params_where)) return;
          read_litellm_params(value, child, raw);
        } else if (key == "model_info") {
          if (value.IsNull() || !yaml_.expect_map(value, yaml_.at(key_node, child))) return;
          read_model_info(value, child, raw);
        } else {
          warn_deployment_key(key_node, child, "model_list[]." + key);
        }
      });
  return raw;
}

void ModelListReader::read_litellm_params(const YAML::Node& params, const std::string& path,
                                          RawDeployment& raw) {
  auto read_cost = [&](const YAML::Node& value, const Mark& where) -> std::optional<double> {
    auto t = yaml_.text(value, where, &raw.unset);
    if (!t) return std::nullopt;
    return yaml_.checked(parse_non_negative(*t), *t, where);
  };
  yaml_.for_each_entry(
      params, path,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
          const std::string& child) {
        const Mark where = yaml_.at(key_node, child);
        if (value.IsNull()) {
          if (key == "model") raw.have_model = true;
          return;  // `api_base: null` means "not set", as in LiteLLM
        }
        if (key == "model") {
          raw.have_model = true;
          raw.model_where = where;
          raw.model = yaml_.text(value, where, &raw.unset);
        } else if (key == "api_key") {
          raw.api_key = yaml_.text(value, where, &raw.unset);
        } else if (key == "api_base") {
          raw.api_base_where = where;
          raw.api_base = yaml_.text(value, where, &raw.unset);
        } else if (key == "api_version") {
          raw.api_version = yaml_.text(value, where, &raw.unset);
        } else if (key == "mock_response") {
          raw.mock_response = yaml_.text(value, where, &raw.unset);
          if (!raw.mock_response) raw.mock_response = std::string();
        } else if (key == "custom_llm_provider") {
          raw.provider_override = yaml_.text(value, where, &raw.unset);
        } else if (key == "timeout") {
          raw.timeout = yaml_.duration(value, where, DurationBound::positive, &raw.unset);
        } else if (key == "num_retries") {
          if (auto t = yaml_.text(value, where, &raw.unset)) {
            raw.num_retries = yaml_.checked(parse_retry_count(*t), *t, where);
          }
        } else if (key == "cooldown_time") {
          raw.cooldown_time = yaml_.duration(value, where, DurationBound::non_negative, &raw.unset);
        } else if (key == "drop_params" && value.IsSequence()) {
          // A list of names is LiteLLM's additional_drop_params idea; its drop_params takes
          // only true/false (a list drops nothing there).
          warn_deployment_key(key_node, child, "model_list[].litellm_params.drop_params (a list)");
        } else if (key == "drop_params") {
          raw.drop_params = yaml_.boolean(value, where);
        } else if (key == "weight") {
          raw.weight = read_cost(value, where);
        } else if (key == "rpm") {
          raw.rpm = read_cost(value, where);
        } else if (key == "tpm") {
          raw.tpm = read_cost(value, where);
        } else if (key == "input_cost_per_token") {
          raw.input_cost = read_cost(value, where);
        } else if (key == "output_cost_per_token") {
          raw.output_cost = read_cost(value, where);
        } else if (read_aws_param(key, value, where, raw) ||
                   read_vertex_param(key, value, where, raw)) {
          // read into raw.aws / raw.vertex
        } else {
          warn_deployment_key(key_node, child, "model_list[].litellm_params." + key);
        }
      });
}

void ModelListReader::read_model_info(const YAML::Node& info, const std::string& path,
                                      RawDeployment& raw) {
  yaml_.for_each_entry(info, path,
                       [&](const std::string& key, const YAML::Node& key_node,
                           const YAML::Node& value, const std::string& child) {
                         const Mark where = yaml_.at(key_node, child);
                         if (value.IsNull()) return;
                         auto read_cost = [&]() -> std::optional<double> {
                           auto t = yaml_.text(value, where, &raw.unset);
                           if (!t) return std::nullopt;
                           return yaml_.checked(parse_non_negative(*t), *t, where);
                         };
                         if (key == "id") {
                           raw.model_info_id = yaml_.text(value, where, &raw.unset);
                         } else if (key == "rpm") {
                           raw.info_rpm = read_cost();
                         } else if (key == "tpm") {
                           raw.info_tpm = read_cost();
                         } else if (key == "input_cost_per_token") {
                           raw.info_input_cost = read_cost();
                         } else if (key == "output_cost_per_token") {
                           raw.info_output_cost = read_cost();
                         }
                         // Everything else in model_info is descriptive metadata: nothing to warn
                         // about.
                       });
}

bool ModelListReader::check_required(const RawDeployment& raw) {
  bool ok = true;
  if (!raw.have_name) {
    diagnostics_.error(raw.where, "missing required key 'model_name'");
    ok = false;
  }
  if (!raw.have_params) {
    diagnostics_.error(raw.where, "missing required key 'litellm_params'");
    ok = false;
  } else if (!raw.have_model) {
    diagnostics_.error(raw.params_where, "missing required key 'model'");
    ok = false;
  }
  return ok;
}

std::optional<Deployment> ModelListReader::resolve_deployment(RawDeployment& raw) {
  const std::string label = raw.model_name ? fmt::format("'{}'", *raw.model_name) : raw.path;
  const bool is_mock = raw.mock_response.has_value();
  if (!raw.model_name || !raw.model) {
    // Without its name or model a deployment cannot be routed, mock or not.
    for (auto& d : raw.unset) {
      diagnostics_.deployment_problem(
          position_of(d), fmt::format("{}; deployment {} left out of routing", d.message, label));
    }
    return std::nullopt;
  }
  Deployment dep;
  dep.model_name = *raw.model_name;
  dep.model = *raw.model;
  split_model(raw, dep);
  const ProviderInfo* provider = find_provider(dep.provider);
  if (provider == nullptr && !is_mock) {
    // The provider is the reason; its missing keys would only add noise.
    diagnostics_.deployment_problem(
        raw.model_where,
        fmt::format("{} '{}' is not supported by llmtap yet; deployment {} left out of routing",
                    is_known_litellm_provider(dep.provider) ? "provider" : "unknown provider",
                    dep.provider, label));
    return std::nullopt;
  }
  bool usable = true;
  if (dep.upstream_model.empty() && !is_mock) {
    // Nothing to send as the model (for Azure, the deployment in the URL), so llmtap's routes
    // fail upstream. LiteLLM configs write `azure/` for DALL·E 2 image generation, a route
    // llmtap does not serve; the deployment stays listed, and the warning says why calls fail.
    diagnostics_.warn(raw.model_where,
                      fmt::format("'{}' names no model after the provider (expected '{}/<{}>'): "
                                  "calls to deployment {} will fail upstream",
                                  dep.model, dep.provider,
                                  dep.provider == "azure" ? "deployment" : "model", label));
  }
  for (auto& d : raw.unset) {
    if (is_mock) {
      // A mock answers locally: its key and api_base are never used.
      diagnostics_.warn(position_of(d),
                        fmt::format("{} (unused: the deployment has mock_response)", d.message));
    } else {
      diagnostics_.deployment_problem(
          position_of(d), fmt::format("{}; deployment {} left out of routing", d.message, label));
      usable = false;
    }
  }
  dep.mock_response = raw.mock_response;
  if (provider != nullptr) {
    // resolve_vertex() may change both for the model's family.
    dep.api = provider->api;
    dep.url_form = provider->url_form;
  }
  dep.drop_params = raw.drop_params.value_or(default_drop_params_);
  dep.timeout = raw.timeout.value_or(default_timeout_.value_or(dep.timeout));
  dep.num_retries = raw.num_retries;
  dep.cooldown_time = raw.cooldown_time;
  dep.weight = raw.weight;
  dep.rpm = raw.rpm ? raw.rpm : raw.info_rpm;
  dep.tpm = raw.tpm ? raw.tpm : raw.info_tpm;
  dep.input_cost_per_token = raw.input_cost ? raw.input_cost : raw.info_input_cost;
  dep.output_cost_per_token = raw.output_cost ? raw.output_cost : raw.info_output_cost;
  if (raw.api_key) dep.api_key = *raw.api_key;
  if (provider != nullptr && provider->api == UpstreamApi::bedrock && !is_mock) {
    usable = resolve_bedrock(raw, label, dep) && usable;
  }
  const bool vertex = provider != nullptr && provider->url_form == UrlForm::vertex_gemini;
  if (vertex && !is_mock) usable = resolve_vertex(raw, label, dep) && usable;
  usable = resolve_api_base(raw, provider, label, dep) && usable;
  if (!raw.api_key && provider != nullptr) {
    // LiteLLM falls back to the provider's conventional variables; so does llmtap.
    for (std::string_view name : {provider->key_env_first, provider->key_env}) {
      if (name.empty()) continue;
      if (auto key = resolver_.get(name)) {
        dep.api_key = *key;
        break;
      }
    }
  }
  if (provider != nullptr) {
    dep.auth = upstream_auth(*provider, dep.api_base);
    if (vertex) dep.vertex.custom_base = raw.api_base.has_value();
    // A Bedrock API key replaces the signature (LiteLLM skips SigV4 when it has one).
    if (dep.api == UpstreamApi::bedrock && !dep.api_key.empty()) dep.auth = UpstreamAuth::bearer;
    resolve_api_version(raw, *provider, dep);
  }
  assign_id(raw, dep);
  if (!usable && !is_mock) return std::nullopt;
  return dep;
}

bool ModelListReader::resolve_api_base(const RawDeployment& raw, const ProviderInfo* provider,
                                       const std::string& label, Deployment& dep) {
  const bool is_mock = raw.mock_response.has_value();
  bool usable = true;
  std::optional<std::string> configured = raw.api_base;
  // Bedrock's own key for its endpoint, read after api_base and before the variable (LiteLLM's
  // get_runtime_endpoint).
  if (!configured) configured = raw.aws.bedrock_runtime_endpoint;
  if (!configured && provider != nullptr && !provider->base_env.empty()) {
    // LiteLLM reads the provider's base URL variable (ANTHROPIC_API_BASE…) before its default.
    configured = resolver_.get(provider->base_env);
  }
  if (configured) {
    std::string base = *configured;
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (!is_http_url(base) && !is_mock) {
      diagnostics_.deployment_problem(raw.api_base_where,
                                      fmt::format("expected an http:// or https:// URL, got '{}'; "
                                                  "deployment {} left out of routing",
                                                  *configured, label));
      usable = false;
    }
    if (provider != nullptr && provider->api_base_needs_v1 && !base.ends_with("/v1")) {
      base += "/v1";
    }
    if (provider != nullptr && !provider->base_suffix_from.empty() &&
        base.ends_with(provider->base_suffix_from)) {
      base.resize(base.size() - provider->base_suffix_from.size());
      base += provider->base_suffix_to;
    }
    dep.api_base = std::move(base);
  } else if (provider != nullptr) {
    dep.api_base = std::string(provider->default_api_base);
    if (auto at = dep.api_base.find(kLocationPlaceholder); at != std::string::npos) {
      // Vertex's regional host, or its global one for the `global` location.
      dep.api_base.replace(
          at, kLocationPlaceholder.size(),
          dep.vertex.location == "global" ? std::string() : dep.vertex.location + "-");
    }
    if (auto at = dep.api_base.find(kRegionPlaceholder); at != std::string::npos) {
      dep.api_base.replace(at, kRegionPlaceholder.size(), dep.aws.region);
      // AWS's China partition has its own DNS suffix (LiteLLM's get_aws_dns_suffix).
      if (dep.aws.region.starts_with("cn-")) dep.api_base += ".cn";
    }
    if (!provider->account_env.empty()) {
      // LiteLLM formats the variable into its default URL (an unset one gives ".../None/...",
      // which fails every call); llmtap says so at start-up instead.
      constexpr std::string_view kAccount = "{account_id}";
      const std::optional<std::string> account = resolver_.get(provider->account_env);
      if (account && !account->empty()) {
        dep.api_base.replace(dep.api_base.find(kAccount), kAccount.size(), *account);
      } else {
        if (!is_mock) {
          diagnostics_.deployment_problem(
              raw.params_where,
              fmt::format("provider '{}' needs {} (or api_base); deployment {} left out of routing",
                          dep.provider, provider->account_env, label));
          usable = false;
        }
        dep.api_base.clear();
      }
    }
    if (dep.api_base.empty() && !is_mock && usable) {
      diagnostics_.deployment_problem(
          raw.params_where,
          fmt::format("provider '{}' needs api_base; deployment {} left out of routing",
                      dep.provider, label));
      usable = false;
    }
  }
  if (provider != nullptr && !provider->endpoint_suffix.empty() && !dep.api_base.empty() &&
      !dep.api_base.ends_with(provider->endpoint_suffix)) {
    dep.api_base += provider->endpoint_suffix;
  }
  return usable;
}

// litellm_params.api_version, else the provider's variable, else its default (Azure's
// AZURE_API_VERSION, then LiteLLM's AZURE_DEFAULT_API_VERSION). Only the Azure URL forms use it.
void ModelListReader::resolve_api_version(const RawDeployment& raw, const ProviderInfo& provider,
                                          Deployment& dep) {
  if (provider.url_form != UrlForm::azure && provider.url_form != UrlForm::azure_ai) return;
  if (raw.api_version && !raw.api_version->empty()) {
    dep.api_version = *raw.api_version;
    return;
  }
  std::optional<std::string> from_env;
  if (!provider.api_version_env.empty()) from_env = resolver_.get(provider.api_version_env);
  dep.api_version = from_env ? *from_env : std::string(provider.default_api_version);
}

// model_info.id, else a stable id; twins of one derived id get -2, -3, …
void ModelListReader::assign_id(const RawDeployment& raw, Deployment& dep) {
  dep.id =
      raw.model_info_id ? *raw.model_info_id : stable_id(dep.model_name, dep.model, dep.api_base);
  if (!raw.model_info_id) {
    const std::string base_id = dep.id;
    for (int n = 2; used_ids_.count(dep.id) != 0; ++n) dep.id = fmt::format("{}-{}", base_id, n);
  }
  used_ids_.insert(dep.id);
}

}  // namespace llmtap::config
