// summarize_record(): the one-line, human-readable view of a StandardLoggingPayload record that
// `llmtap sink` prints when it is not writing to a file, e.g.
//   status=success model=gpt-3.5-turbo call_id=9f1c… tokens=30 cost=0.000045
//   status=failure model=gpt-4o call_id=… tokens=0 cost=0 error=RateLimitError: upstream said 429
// Fields that are absent or null print as `-`; a record that is not JSON says so.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace llmtap::sink {

std::string summarize_record(std::string_view record);

}  // namespace llmtap::sink
