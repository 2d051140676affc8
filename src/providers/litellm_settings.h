// is_litellm_setting(): whether a top-level key of a client's body is one LiteLLM consumes itself
// rather than passing to the provider — client settings (api_key, timeout, max_retries…),
// extra_headers, drop_params and its companions, and the keys get_optional_params skips for
// every provider (stream and stream_options, which the translators write from the call's own
// options, and user). A request translator never forwards these, whatever the provider.
//
// Pure function over static data; thread-safe.
#pragma once

#include <string_view>

namespace llmtap::providers {

bool is_litellm_setting(std::string_view key);

}  // namespace llmtap::providers
