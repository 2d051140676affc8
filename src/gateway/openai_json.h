// OpenAI-shaped JSON bodies the gateway writes itself: error objects and the answers of
// mock_response deployments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "payload/call_type.h"

namespace llmtap::gateway {

// {"error": {"message": …, "type": …, "param": … | null, "code": "<status>"}}
std::string error_body(std::string_view message, std::string_view type, std::string_view param,
                       int status);

// A complete, non-streamed answer for a mock_response deployment: 10 prompt and 20 completion
// tokens, as LiteLLM's mock answers report.
std::string mock_response_body(payload::CallType type, std::string_view model,
                               std::string_view content, std::string_view call_id,
                               std::int64_t created);

// The same answer as a stream: SSE events (`data: …\n\n`) with the content split into a few
// delta chunks, a finish chunk, a usage-only chunk (the relay drops it unless the client asked
// for usage) and `data: [DONE]`. Not for embeddings.
std::vector<std::string> mock_stream_events(payload::CallType type, std::string_view model,
                                            std::string_view content, std::string_view call_id,
                                            std::int64_t created);

inline constexpr int kMockPromptTokens = 10;
inline constexpr int kMockCompletionTokens = 20;

}  // namespace llmtap::gateway
