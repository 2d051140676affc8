// unsupported_params_message(): the text of LiteLLM's UnsupportedParamsError, which a request
// translator answers (HTTP 400) when the client sent OpenAI parameters the provider has no
// counterpart for and drop_params is off (litellm/utils.py, get_optional_params: "<provider> does
// not support parameters: [...], for model=<model>. To drop these, set
// `litellm.drop_params=True`…"). The names are listed as Python prints a list of strings.
//
// Pure function; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace llmtap::providers {

// `provider` as LiteLLM names it ("anthropic", "gemini"); `names` in the request's order.
std::string unsupported_params_message(std::string_view provider,
                                       std::span<const std::string_view> names,
                                       std::string_view model);

}  // namespace llmtap::providers
