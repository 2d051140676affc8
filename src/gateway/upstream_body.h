// upstream_body(): the request body the gateway sends upstream, made from the client's with as
// few byte changes as possible — the model token swapped for the deployment's upstream model,
// and, for a stream whose client did not ask for usage, `"stream_options":{"include_usage":true}`
// added (or merged into the client's stream_options) so the record can carry token counts.
// LiteLLM's top-level request switches (payload::is_litellm_parameter(): turn_off_message_logging,
// tags, mock_response…) are removed, as LiteLLM never sends them to a provider.
// Everything else goes upstream byte for byte.
//
// Stateless; safe from any thread (uses the thread's JsonScanner for stream_options).
#pragma once

#include <string>
#include <string_view>

#include "payload/request_summary.h"

namespace llmtap::gateway {

// `body` is the client's body and `summary` its parse (its views point into `body`).
std::string upstream_body(std::string_view body, const payload::RequestSummary& summary,
                          std::string_view upstream_model, bool ask_for_usage);

}  // namespace llmtap::gateway
