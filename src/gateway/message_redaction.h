// redact_messages(): whether one call's record has its messages, response and error text
// redacted — LiteLLM's per-request switch over the global `turn_off_message_logging`, in
// LiteLLM's order of precedence:
//   1. header `litellm-disable-message-redaction` (any non-empty value): not redacted;
//   2. `turn_off_message_logging` in the body — top level, else in `metadata`, else in
//      `litellm_metadata` — as true/false or the strings "true"/"false" (any case): that;
//   3. header `x-litellm-enable-message-redaction` or `litellm-enable-message-redaction`
//      (any non-empty value, as LiteLLM reads a header as truthy): redacted;
//   4. the global setting.
// Header and body values other than these are ignored, as LiteLLM ignores them.
//
// Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "http/message.h"
#include "payload/request_summary.h"

namespace llmtap::gateway {

// `summary` may be null (the body did not parse): then only the headers and `global` decide.
bool redact_messages(bool global, const http::Request& request,
                     const payload::RequestSummary* summary);

// The body's `turn_off_message_logging` (step 2 above), or nothing when absent or unreadable.
std::optional<bool> body_turn_off_message_logging(const payload::RequestSummary& summary);

}  // namespace llmtap::gateway
