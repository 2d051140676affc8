// ModelListReader's Bedrock step: the model id forms LiteLLM accepts, the region and the
// credentials of a bedrock/ deployment (README "model_list[]", Bedrock). LiteLLM's rules:
// BedrockModelInfo.get_bedrock_route and the converse handler's model id (a `converse/` prefix
// stripped, an embedded `<region>/` read as the region), base_aws_llm's _get_aws_region_name
// (aws_region_name, the model ARN's region, AWS_REGION_NAME, AWS_REGION, us-west-2) and its
// credential parameters with their AWS_* variables.
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "config/model_list.h"

namespace llmtap::config {
namespace {

// Region names as LiteLLM validates them (^[a-z0-9-]+$), with the shape of AWS's (us-east-1,
// us-gov-west-1, ap-southeast-2): letters, dashes, a final number.
bool looks_like_region(std::string_view text) {
  if (text.size() < 4 || text.find('-') == std::string_view::npos) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return text.back() >= '0' && text.back() <= '9' && text.front() >= 'a' && text.front() <= 'z';
}

bool is_valid_region(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// The region field of `arn:aws:bedrock:<region>:<account>:…`, or empty.
std::string_view arn_region(std::string_view model_id) {
  if (!model_id.starts_with("arn:")) return {};
  std::string_view rest = model_id;
  for (int field = 0; field < 3; ++field) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return {};
    rest.remove_prefix(colon + 1);
  }
  return rest.substr(0, rest.find(':'));
}

// The route prefixes LiteLLM gives other Bedrock APIs than Converse, which llmtap does not serve.
constexpr std::array<std::string_view, 7> kOtherRoutes{
    "invoke/", "converse_like/", "agent/", "agentcore/", "async_invoke/", "openai/", "mantle/"};

}  // namespace

bool ModelListReader::read_aws_param(const std::string& key, const YAML::Node& value,
                                     const Mark& where, RawDeployment& raw) {
  std::optional<std::string>* target = nullptr;
  if (key == "aws_access_key_id") target = &raw.aws.access_key_id;
  if (key == "aws_secret_access_key") target = &raw.aws.secret_access_key;
  if (key == "aws_session_token") target = &raw.aws.session_token;
  if (key == "aws_region_name") target = &raw.aws.region_name;
  if (key == "aws_bedrock_runtime_endpoint") target = &raw.aws.bedrock_runtime_endpoint;
  if (target == nullptr) return false;
  *target = yaml_.text(value, where, &raw.unset);
  return true;
}

bool ModelListReader::resolve_bedrock(const RawDeployment& raw, const std::string& label,
                                      Deployment& dep) {
  std::string_view id = dep.upstream_model;
  for (std::string_view route : kOtherRoutes) {
    if (id.starts_with(route)) {
      diagnostics_.deployment_problem(
          raw.model_where,
          fmt::format("'{}': Bedrock's {} API is not served by llmtap (only Converse: write "
                      "'bedrock/converse/{}'); deployment {} left out of routing",
                      dep.model, route.substr(0, route.size() - 1), id.substr(route.size()),
                      label));
      return false;
    }
  }
  if (id.starts_with("converse/")) id.remove_prefix(std::string_view("converse/").size());
  std::string region;
  if (const std::size_t slash = id.find('/');
      slash != std::string_view::npos && looks_like_region(id.substr(0, slash))) {
    region = std::string(id.substr(0, slash));  // bedrock/us-east-1/<model>
    id.remove_prefix(slash + 1);
  }
  if (raw.aws.region_name && !raw.aws.region_name->empty()) region = *raw.aws.region_name;
  if (region.empty()) region = std::string(arn_region(id));
  for (std::string_view name : {"AWS_REGION_NAME", "AWS_REGION"}) {
    if (!region.empty()) break;
    if (auto value = resolver_.get(name)) region = *value;
  }
  if (region.empty()) region = "us-west-2";  // LiteLLM's last resort
  if (!is_valid_region(region)) {
    diagnostics_.deployment_problem(
        raw.params_where,
        fmt::format("invalid AWS region '{}' (expected letters, digits and '-', e.g. "
                    "'us-east-1'); deployment {} left out of routing",
                    region, label));
    return false;
  }
  dep.upstream_model = std::string(id);
  dep.aws.region = std::move(region);

  // A Bedrock API key (api_key, else AWS_BEARER_TOKEN_BEDROCK) is sent instead of a signature.
  if (raw.api_key || resolver_.get("AWS_BEARER_TOKEN_BEDROCK")) return true;
  auto param_or_env = [&](const std::optional<std::string>& param, std::string_view env) {
    if (param && !param->empty()) return *param;
    return resolver_.get(env).value_or(std::string());
  };
  dep.aws.access_key_id = param_or_env(raw.aws.access_key_id, "AWS_ACCESS_KEY_ID");
  dep.aws.secret_access_key = param_or_env(raw.aws.secret_access_key, "AWS_SECRET_ACCESS_KEY");
  // A session token belongs to the key it came with: a configured key takes only a configured
  // token, never one from the environment's other credentials.
  const bool configured_key = raw.aws.access_key_id && !raw.aws.access_key_id->empty();
  dep.aws.session_token = configured_key ? raw.aws.session_token.value_or(std::string())
                                         : param_or_env(raw.aws.session_token, "AWS_SESSION_TOKEN");
  if (dep.aws.access_key_id.empty() || dep.aws.secret_access_key.empty()) {
    diagnostics_.deployment_problem(
        raw.params_where,
        fmt::format("provider 'bedrock' needs AWS credentials: aws_access_key_id and "
                    "aws_secret_access_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or a "
                    "Bedrock API key (api_key or AWS_BEARER_TOKEN_BEDROCK); profiles, roles and "
                    "instance credentials are not read; deployment {} left out of routing",
                    label));
    return false;
  }
  return true;
}

}  // namespace llmtap::config
