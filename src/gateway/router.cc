#include "gateway/router.h"

#include <fmt/format.h>

#include <algorithm>

#include "router/wildcard.h"

namespace llmtap::gateway {

std::string_view errc_message(errc e) {
  switch (e) {
    case errc::unknown_model:
      return "model not found";
    case errc::no_usable_deployment:
      return "model has no usable deployment";
  }
  return "unknown gateway error";
}

Router::Router(const config::Config& config) : deployments_(config.deployments) {
  for (std::size_t i = 0; i < deployments_.size(); ++i) {
    by_name_[deployments_[i].model_name].push_back(i);
  }
  for (const auto& name : config.model_names) {
    if (std::find(model_names_.begin(), model_names_.end(), name) != model_names_.end()) continue;
    model_names_.push_back(name);
    if (!by_name_.contains(name)) unusable_names_.push_back(name);
  }
  // Deployments whose name was not in model_names (a config built by hand in tests) still route.
  for (const auto& d : deployments_) {
    if (std::find(model_names_.begin(), model_names_.end(), d.model_name) == model_names_.end()) {
      model_names_.push_back(d.model_name);
    }
  }
  for (const auto& [name, members] : by_name_) {
    if (router::is_wildcard(name)) wildcards_.push_back(name);
  }
  std::sort(wildcards_.begin(), wildcards_.end(),
            [](const std::string& a, const std::string& b) { return router::tried_before(a, b); });
}

std::string_view Router::wildcard_group(std::string_view model_name) const {
  if (model_name.size() > kMaxWildcardName) return {};
  for (const std::string& pattern : wildcards_) {
    if (router::match_wildcard(pattern, model_name)) return pattern;
  }
  return {};
}

Result<const config::Deployment*> Router::pick(std::string_view model_name,
                                               std::uint64_t random) const {
  auto it = by_name_.find(std::string(model_name));
  if (it != by_name_.end()) {
    const auto& candidates = it->second;
    return &deployments_[candidates[random % candidates.size()]];
  }
  if (std::find(unusable_names_.begin(), unusable_names_.end(), model_name) !=
      unusable_names_.end()) {
    return errc::no_usable_deployment;
  }
  return errc::unknown_model;
}

std::string Router::error_message(ErrorCode error, std::string_view model_name) const {
  if (error == errc::no_usable_deployment) {
    return fmt::format(
        "model '{}' has no usable deployment (its provider is not served by llmtap or a "
        "required environment variable is unset; see the start-up warnings)",
        model_name);
  }
  return fmt::format("model '{}' not found; available models: {}", model_name,
                     fmt::join(model_names_, ", "));
}

}  // namespace llmtap::gateway
