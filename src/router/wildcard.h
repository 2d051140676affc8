// Wildcard model names, as LiteLLM's Router matches them (pattern_match_deployments.py): a
// model_name with `*` in it ("*", "openai/*", "anthropic/claude-*") serves the names it matches
// when no model_name equals the requested one exactly. Pure functions; README "Wildcard model
// names".
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmtap::router {

bool is_wildcard(std::string_view model_name);

// The text each `*` of `pattern` stands for in `name`, in order, or nullopt when it does not
// match. As Python's re.match of the pattern with each `*` as a greedy `(.*)`: the pattern must
// match from the start of the name, each `*` takes as much as it can, and text after the match
// is allowed (a pattern ending in `*` takes it all).
std::optional<std::vector<std::string_view>> match_wildcard(std::string_view pattern,
                                                            std::string_view name);

// The deployment's model for one request: each `*` of `model` replaced by the next capture (a
// `*` without one is left as it is); a model with no `*` is used as written, as LiteLLM's
// set_deployment_model_name does ("*" → "anthropic/claude-sonnet-4" sends every name there).
std::string fill_wildcard(std::string_view model, std::span<const std::string_view> captures);

// Whether pattern `a` is tried before `b`: the longer first, then the one with more `*`, then
// by name (LiteLLM sorts by length, then by regex metacharacters).
bool tried_before(std::string_view a, std::string_view b);

}  // namespace llmtap::router
