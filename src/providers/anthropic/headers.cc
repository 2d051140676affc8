#include "providers/anthropic/headers.h"

#include <array>
#include <utility>

#include "base/ascii.h"

namespace llmtap::providers::anthropic {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kRateLimitNames{{
    {"anthropic-ratelimit-requests-limit", "x-ratelimit-limit-requests"},
    {"anthropic-ratelimit-requests-remaining", "x-ratelimit-remaining-requests"},
    {"anthropic-ratelimit-tokens-limit", "x-ratelimit-limit-tokens"},
    {"anthropic-ratelimit-tokens-remaining", "x-ratelimit-remaining-tokens"},
}};

}  // namespace

std::string_view openai_header_name(std::string_view anthropic_name) {
  for (const auto& [from, to] : kRateLimitNames) {
    if (ascii::iequals(anthropic_name, from)) return to;
  }
  return {};
}

}  // namespace llmtap::providers::anthropic
