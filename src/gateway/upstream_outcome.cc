#include "gateway/upstream_outcome.h"

#include <fmt/format.h>

#include <utility>

#include "gateway/openai_json.h"
#include "gateway/upstream_api.h"

namespace llmtap::gateway {

providers::UpstreamError exchange_failure(std::string_view api_base,
                                          std::chrono::milliseconds timeout,
                                          http::ClientError error, std::string_view detail) {
  if (error == http::ClientError::timeout) {
    return {504, "timeout", "Timeout",
            fmt::format("upstream {} timed out after {}s", api_base,
                        std::chrono::duration<double>(timeout).count())};
  }
  return {502, "api_connection_error", "APIConnectionError",
          fmt::format("upstream {} failed: {} ({})", api_base, http::to_string(error), detail)};
}

UpstreamErrorAnswer upstream_error_answer(config::UpstreamApi api,
                                          std::string_view litellm_provider, int status,
                                          std::string body, std::string_view content_type) {
  UpstreamErrorAnswer out;
  out.response.headers.reserve(2);  // this and the call id header
  if (api != config::UpstreamApi::openai) {
    out.error = translate_error(api, litellm_provider, status, body);
    out.response.status = out.error.status;
    out.response.headers.push_back({"Content-Type", "application/json"});
    out.response.body = error_body(out.error.message, out.error.type, {}, out.error.status);
    return out;
  }
  out.error = {status, std::string(providers::openai_error_type_for_status(status)),
               std::string(providers::error_class_for_status(status)),
               providers::read_error_text(body).message};
  out.response.status = status;
  out.response.headers.push_back(
      {"Content-Type", content_type.empty() ? "application/json" : std::string(content_type)});
  out.response.body = std::move(body);
  return out;
}

}  // namespace llmtap::gateway
