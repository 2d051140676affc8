#include "providers/unsupported_params.h"

#include <fmt/format.h>

#include <cstddef>

namespace llmtap::providers {
namespace {

// ['a', 'b']: Python's repr of a list of str (the names are parameter keys: no quotes inside).
std::string python_list(std::span<const std::string_view> names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += ", ";
    out += '\'';
    out += names[i];
    out += '\'';
  }
  out += ']';
  return out;
}

}  // namespace

std::string unsupported_params_message(std::string_view provider,
                                       std::span<const std::string_view> names,
                                       std::string_view model) {
  const std::string list = python_list(names);
  return fmt::format(
      "{} does not support parameters: {}, for model={}. To drop these, set "
      "`litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n drop_params: "
      "true`\n. \n If you want to use these params dynamically send "
      "allowed_openai_params={} in your request.",
      provider, list, model, list);
}

}  // namespace llmtap::providers
