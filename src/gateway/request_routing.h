// request_routing(): a request's own say in its retries and fallbacks — the body's
// `num_retries`, `fallbacks` and `disable_fallbacks` (LiteLLM's per-request switches, which are
// never sent upstream) — as the attempt plan takes it. Pure; README "Retries, fallbacks and
// cooldowns".
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "router/attempt_plan.h"

namespace llmtap::gateway {

// `litellm_parameters`: the body's LiteLLM switches, key and raw JSON value
// (payload::RequestSummary). A value of the wrong type is ignored, as LiteLLM's Router would
// not use it either: num_retries a whole number (at most 1000), fallbacks a list of model
// groups (a {"model": …} object names one), disable_fallbacks true or false.
router::AttemptPlan::Request request_routing(
    std::string_view group,
    const std::vector<std::pair<std::string_view, std::string_view>>& litellm_parameters);

}  // namespace llmtap::gateway
