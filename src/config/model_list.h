// ModelListReader: `model_list[]` → the usable Deployments of Config (README "model_list[]").
// Each entry is read in two steps: its keys into a RawDeployment (what was written, resolved),
// then resolve_deployment() decides provider, api_base, key and id, and whether it can be
// routed. An entry that cannot be is a warning (an error under --strict) and is left out.
//
// Lifecycle: one per load. Not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/env_resolver.h"
#include "config/providers.h"
#include "config/yaml_reader.h"

namespace llmtap::config {

// A bedrock/ entry's litellm_params.aws_* keys as written (LiteLLM's names).
struct RawAwsParams {
  std::optional<std::string> access_key_id, secret_access_key, session_token, region_name,
      bedrock_runtime_endpoint;
};

// A vertex_ai/ entry's keys as written (LiteLLM's names, and their vertex_ai_* twins).
struct RawVertexParams {
  std::optional<std::string> project, location, credentials;
};

// One model_list entry as written, its variables resolved where they were set.
struct RawDeployment {
  std::string path;  // "model_list[3]"
  std::optional<std::string> model_name, model, api_key, api_base, api_version, mock_response,
      provider_override, model_info_id;
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<int> num_retries;                              // litellm_params.num_retries
  std::optional<double> weight, rpm, tpm, info_rpm, info_tpm;  // simple shuffle's weights
  std::optional<std::chrono::milliseconds> cooldown_time;      // litellm_params.cooldown_time
  std::optional<double> input_cost, output_cost, info_input_cost, info_output_cost;
  std::optional<bool> drop_params;
  RawAwsParams aws;
  RawVertexParams vertex;
  bool have_name = false, have_params = false, have_model = false;
  Mark where, params_where, model_where, api_base_where;
  std::vector<Diagnostic> unset;  // unset variables: what they mean depends on the entry
};

class ModelListReader {
 public:
  ModelListReader(YamlReader& yaml, Diagnostics& diagnostics, const EnvResolver& resolver)
      : yaml_(yaml), diagnostics_(diagnostics), resolver_(resolver) {}

  // `default_timeout`: litellm_settings.request_timeout, when set; `default_drop_params`:
  // litellm_settings.drop_params.
  void read(const YAML::Node& node, const Mark& where,
            std::optional<std::chrono::milliseconds> default_timeout, bool default_drop_params,
            Config& config);

 private:
  RawDeployment read_deployment_keys(const YAML::Node& item, const std::string& path);
  void read_litellm_params(const YAML::Node& value, const std::string& path, RawDeployment& raw);
  void read_model_info(const YAML::Node& value, const std::string& path, RawDeployment& raw);
  // Whether the entry has what routing needs; reports what it lacks.
  bool check_required(const RawDeployment& raw);
  std::optional<Deployment> resolve_deployment(RawDeployment& raw);
  bool resolve_api_base(const RawDeployment& raw, const ProviderInfo* provider,
                        const std::string& label, Deployment& dep);
  void resolve_api_version(const RawDeployment& raw, const ProviderInfo& provider, Deployment& dep);
  // Bedrock's model id forms, region and credentials (bedrock_deployment.cc); false when the
  // deployment cannot be routed (reported).
  bool resolve_bedrock(const RawDeployment& raw, const std::string& label, Deployment& dep);
  // Whether `key` is one of the aws_* keys and was read into raw.aws.
  bool read_aws_param(const std::string& key, const YAML::Node& value, const Mark& where,
                      RawDeployment& raw);
  // Vertex AI's model families, project, location, base and service account
  // (vertex_deployment.cc); false when the deployment cannot be routed (reported).
  bool resolve_vertex(const RawDeployment& raw, const std::string& label, Deployment& dep);
  // Whether `key` is one of the vertex_* keys and was read into raw.vertex.
  bool read_vertex_param(const std::string& key, const YAML::Node& value, const Mark& where,
                         RawDeployment& raw);
  void assign_id(const RawDeployment& raw, Deployment& dep);
  void warn_deployment_key(const YAML::Node& key_node, const std::string& path,
                           const std::string& generic_path);

  YamlReader& yaml_;
  Diagnostics& diagnostics_;
  const EnvResolver& resolver_;
  std::optional<std::chrono::milliseconds> default_timeout_;
  bool default_drop_params_ = false;
  std::set<std::string> warned_deployment_keys_;
  std::set<std::string> used_ids_;
};

}  // namespace llmtap::config
