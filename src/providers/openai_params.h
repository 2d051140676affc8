// is_openai_chat_param(): whether a top-level key of a chat request is one of OpenAI's chat
// parameters as LiteLLM knows them (the keys of its DEFAULT_CHAT_COMPLETION_PARAM_VALUES, less the
// model and messages). get_optional_params checks exactly these against a provider's supported
// list — an unsupported one is UnsupportedParamsError unless dropped — and passes every other key
// to the provider as a provider-specific parameter.
//
// Pure function over static data; thread-safe.
#pragma once

#include <string_view>

namespace llmtap::providers {

bool is_openai_chat_param(std::string_view key);

}  // namespace llmtap::providers
