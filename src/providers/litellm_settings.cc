#include "providers/litellm_settings.h"

#include <algorithm>
#include <array>

namespace llmtap::providers {
namespace {

constexpr std::array<std::string_view, 17> kSettings = {"stream",
                                                        "stream_options",
                                                        "user",
                                                        "extra_headers",
                                                        "max_retries",
                                                        "drop_params",
                                                        "allowed_openai_params",
                                                        "additional_drop_params",
                                                        "api_version",
                                                        "api_key",
                                                        "api_base",
                                                        "base_url",
                                                        "timeout",
                                                        "request_timeout",
                                                        "custom_llm_provider",
                                                        "deployment_id",
                                                        "organization"};

}  // namespace

bool is_litellm_setting(std::string_view key) {
  return std::find(kSettings.begin(), kSettings.end(), key) != kSettings.end();
}

}  // namespace llmtap::providers
