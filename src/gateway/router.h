// Router: maps the model name a client asks for to one of the deployments serving it (README
// "`model_list[]`": several deployments may share a model_name; requests are spread over them by
// simple shuffle).
//
// Sans-I/O and immutable after construction apart from its random source, which is per thread;
// pick() is safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "config/config.h"

namespace llmtap::gateway {

// Why the gateway cannot serve a request (the gateway's errc; its own header once it grows).
enum class errc {
  unknown_model = 1,     // no model_list entry has this name: 404
  no_usable_deployment,  // listed, but none of its deployments can be served: 400
};
std::string_view errc_message(errc e);

}  // namespace llmtap::gateway

LLMTAP_ERROR_CATEGORY(llmtap::gateway, errc, "llmtap.gateway");

namespace llmtap::gateway {

class Router {
 public:
  explicit Router(const config::Config& config);

  // The deployment to use for `model_name`, or errc::unknown_model / errc::no_usable_deployment.
  // `random` picks among several deployments (any uniformly distributed value; tests pass fixed
  // values).
  Result<const config::Deployment*> pick(std::string_view model_name, std::uint64_t random) const;
  // The wildcard model_name (README "Wildcard model names") serving `model_name` when no
  // model_name equals it: the most specific that matches, or empty when none does. Names over
  // kMaxWildcardName bytes match none (a star's match is backtracking on a client's text).
  std::string_view wildcard_group(std::string_view model_name) const;
  static constexpr std::size_t kMaxWildcardName = 512;

  // What the client is told when pick(model_name) failed with `error`: names the model and, when
  // it is unknown, the models there are.
  std::string error_message(ErrorCode error, std::string_view model_name) const;

  // Every deployment, in config order; their addresses stay valid for the router's lifetime.
  const std::vector<config::Deployment>& deployments() const { return deployments_; }

  // Every model name clients may ask for, in config order, without duplicates (GET /v1/models).
  const std::vector<std::string>& model_names() const { return model_names_; }

 private:
  std::vector<config::Deployment> deployments_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_name_;  // indexes into deployments_
  std::vector<std::string> model_names_;
  std::vector<std::string> unusable_names_;  // listed in model_list but no usable deployment
  std::vector<std::string> wildcards_;       // wildcard model_names, most specific first
};

}  // namespace llmtap::gateway
