// Router: maps the model name a client asks for to one of the deployments serving it (spec §2:
// several deployments may share a model_name; requests are spread over them by simple shuffle).
//
// Sans-I/O and immutable after construction apart from its random source, which is per thread;
// pick() is safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"

namespace llmtap::gateway {

struct RouteError {
  int http_status = 404;  // 404 unknown model, 400 known model without a usable deployment
  std::string message;
};

class Router {
 public:
  explicit Router(const config::Config& config);

  // The deployment to use for `model_name`, or why there is none. `random` picks among several
  // deployments (any uniformly distributed value; tests pass fixed values).
  const config::Deployment* pick(std::string_view model_name, std::uint64_t random,
                                 RouteError* error) const;

  // Every deployment, in config order; their addresses stay valid for the router's lifetime.
  const std::vector<config::Deployment>& deployments() const { return deployments_; }

  // Every model name clients may ask for, in config order, without duplicates (GET /v1/models).
  const std::vector<std::string>& model_names() const { return model_names_; }

 private:
  std::vector<config::Deployment> deployments_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_name_;  // indexes into deployments_
  std::vector<std::string> model_names_;
  std::vector<std::string> unusable_names_;  // listed in model_list but no usable deployment
};

}  // namespace llmtap::gateway
