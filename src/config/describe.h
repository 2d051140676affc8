// describe(): check-config's report of a loaded Config — resolved deployments and callbacks, with
// every secret masked through config/mask.h. Pure function; thread-safe.
#pragma once

#include <string>

#include "config/config.h"

namespace llmtap::config {

std::string describe(const Config& config);

}  // namespace llmtap::config
