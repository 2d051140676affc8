// Small enums shared by request parsing and CallInfo, kept apart so either header compiles alone.
#pragma once

#include <string_view>

namespace llmtap::payload {

enum class CallType { completion, text_completion, embedding };
// "acompletion", "atext_completion", "aembedding": the names LiteLLM's proxy records.
std::string_view to_string(CallType type);

}  // namespace llmtap::payload
