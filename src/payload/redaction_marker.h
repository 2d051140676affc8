// LiteLLM's marker for content removed by turn_off_message_logging, and the shapes it takes in a
// record (shared by the record builder and the response reader).
#pragma once

#include <string_view>

namespace llmtap::payload {

inline constexpr std::string_view kRedacted = "redacted-by-litellm";
inline constexpr std::string_view kRedactedMessages =
    R"([{"role":"user","content":"redacted-by-litellm"}])";
inline constexpr std::string_view kRedactedMessage =
    R"({"role":"assistant","content":"redacted-by-litellm"})";

}  // namespace llmtap::payload
