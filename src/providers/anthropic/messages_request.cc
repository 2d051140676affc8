#include "providers/anthropic/messages_request.h"

#include <string>
#include <utility>

#include "providers/anthropic/messages_request_translator.h"
#include "providers/unsupported_params.h"

namespace llmtap::providers::anthropic {
namespace detail {

Parsers& local_parsers() {
  thread_local Parsers parsers;
  return parsers;
}

std::optional<RequestProblem> MessagesRequestTranslator::run() {
  plan_ = make_plan(summary_);
  if (!plan_.unsupported.empty()) {
    if (!options_.drop_params) return unsupported_problem();
  }
  if (auto problem = read_thinking()) return problem;
  if (auto problem = read_json_schema()) return problem;

  // Messages of the plain shape take the fast path; anything else (and any problem, which the DOM
  // path then names) the general one.
  const bool plain = read_plain_messages();
  dom::element root;
  if (!plain && (parsers_.messages.parse(summary_.input_raw, root) != simdjson::SUCCESS ||
                 root.get(messages_) != simdjson::SUCCESS)) {
    return bad_request("'messages' must be an array", "messages");
  }

  w_.begin_object();
  if (options_.vertex_anthropic_version.empty()) {
    w_.key("model");
    w_.string(options_.upstream_model);
  } else {
    w_.key("anthropic_version");
    w_.string(options_.vertex_anthropic_version);
  }
  if (plain) {
    write_plain_messages();
  } else {
    if (auto problem = write_system()) return problem;
    if (auto problem = write_messages()) return problem;
  }
  if (auto problem = write_max_tokens()) return problem;
  if (!plan_.temperature.empty()) {
    w_.key("temperature");
    w_.raw(plan_.temperature);
  }
  if (!plan_.top_p.empty()) {
    w_.key("top_p");
    w_.raw(plan_.top_p);
  }
  write_stop();
  for (const auto& [key, value] : plan_.forwarded) {
    w_.raw_key(key);
    w_.raw(value);
  }
  write_metadata();
  write_thinking();
  if (auto problem = write_tools()) return problem;
  if (auto problem = write_tool_choice()) return problem;
  if (options_.stream) {
    w_.key("stream");
    w_.boolean(true);
  }
  w_.end_object();
  w_.finish();
  return std::nullopt;
}

RequestProblem MessagesRequestTranslator::unsupported_problem() const {
  return RequestProblem{
      unsupported_params_message("anthropic", plan_.unsupported, options_.upstream_model),
      std::string(plan_.unsupported.front()), "UnsupportedParamsError"};
}

}  // namespace detail

Result<MessagesRequest, RequestProblem> to_messages_request(const payload::RequestSummary& summary,
                                                            const RequestOptions& options) {
  MessagesRequest request;
  request.body.reserve(summary.input_raw.size() + 512);
  detail::MessagesRequestTranslator translator(summary, options, request.body);
  if (auto problem = translator.run()) return std::move(*problem);
  request.json_mode = translator.json_mode();
  return request;
}

}  // namespace llmtap::providers::anthropic
