#include "support/mock_anthropic.h"

#include <simdjson.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sink/json_text.h"
#include "support/mock_markers.h"
#include "support/mock_stream.h"

namespace llmtap::test {
namespace {

using sink::json_response;
using sink::json_string;

// What a request asks for, read once from its body.
struct Ask {
  std::string model;
  bool stream = false;
  std::string first_user_text;  // the first user message's text (string or first text block)
  std::optional<std::string> first_tool;  // tools[0].name, when the request has tools
};

// What the model name asks the mock to do.
using Behaviour = ProviderMarkers;

Behaviour behaviour_for(const std::string& model) { return provider_markers(model); }

// The error type Anthropic names in its body for an HTTP status.
std::string_view error_type_for(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string request_id(std::uint64_t id) { return "req_mock_" + std::to_string(id); }

std::string error_body(std::string_view type, std::string_view message) {
  return R"({"type":"error","error":{"type":)" + json_string(type) + R"(,"message":)" +
         json_string(message) + "}";
}

http::Response anthropic_error(int status, std::string_view message, std::uint64_t id) {
  http::Response response = json_response(status, error_body(error_type_for(status), message)
                                                      .append(R"(,"request_id":)")
                                                      .append(json_string(request_id(id)))
                                                      .append("}"));
  response.headers.push_back({"request-id", request_id(id)});
  return response;
}

// `now + seconds` as RFC 3339 in UTC, the form of Anthropic's *-reset headers.
std::string reset_time(int seconds) {
  const std::time_t at =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + seconds;
  std::tm utc{};
  gmtime_r(&at, &utc);
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return {text, length};
}

// What Anthropic sends with every answer: its request id and its rate-limit state.
http::Headers answer_headers(std::uint64_t id) {
  const std::string reset = reset_time(1);
  return {{"request-id", request_id(id)},
          {"anthropic-ratelimit-requests-limit", "4000"},
          {"anthropic-ratelimit-requests-remaining", "3999"},
          {"anthropic-ratelimit-requests-reset", reset},
          {"anthropic-ratelimit-tokens-limit", "480000"},
          {"anthropic-ratelimit-tokens-remaining", "479982"},
          {"anthropic-ratelimit-tokens-reset", reset},
          {"anthropic-ratelimit-input-tokens-limit", "400000"},
          {"anthropic-ratelimit-input-tokens-remaining", "399989"},
          {"anthropic-ratelimit-input-tokens-reset", reset},
          {"anthropic-ratelimit-output-tokens-limit", "80000"},
          {"anthropic-ratelimit-output-tokens-remaining", "79993"},
          {"anthropic-ratelimit-output-tokens-reset", reset}};
}

// The first user message's text: its content when a string, else its first text block's.
std::string first_user_text(simdjson::dom::array messages) {
  for (simdjson::dom::element message : messages) {
    std::string_view role;
    if (message["role"].get_string().get(role) || role != "user") continue;
    std::string_view text;
    if (!message["content"].get_string().get(text)) return std::string(text);
    simdjson::dom::array blocks;
    if (message["content"].get_array().get(blocks)) return {};
    for (simdjson::dom::element block : blocks) {
      std::string_view type;
      if (!block["type"].get_string().get(type) && type == "text" &&
          !block["text"].get_string().get(text))
        return std::string(text);
    }
    return {};
  }
  return {};
}

// Reads the request body as Anthropic validates it: the first problem, worded as Anthropic words
// it ("max_tokens: Field required"), or std::nullopt with `ask` filled. `version` is the
// request's anthropic-version: 2026-10-21 removed the sampling parameters.
// On Vertex (`vertex_model` set: the model from the rawPredict URL) the body names no model and
// carries anthropic_version instead.
std::optional<std::string> read_ask(const std::string& body, std::string_view version, Ask& ask,
                                    std::optional<std::string_view> vertex_model = std::nullopt) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root)) return "There was an issue with your request body: not JSON";
  if (!root.is_object()) return "Input should be a valid dictionary";
  const auto missing = [&](const char* field) {
    return root[field].error() == simdjson::NO_SUCH_FIELD;
  };
  std::string_view model;
  if (vertex_model) {
    if (!missing("model")) return "model: Extra inputs are not permitted";
    // LiteLLM sends Vertex's own version; the newest vertex-sdk sends its Messages API version.
    if (root["anthropic_version"].get_string().get(version) ||
        (version != kVertexAnthropicVersion && version != "2023-06-01" &&
         version != "2026-10-21")) {
      return "anthropic_version: Input should be '" + std::string(kVertexAnthropicVersion) + "'";
    }
    model = *vertex_model;
  } else {
    if (missing("model")) return "model: Field required";
    if (root["model"].get_string().get(model)) return "model: Input should be a valid string";
  }
  ask.model = model;
  if (missing("max_tokens")) return "max_tokens: Field required";
  if (!root["max_tokens"].is_int64()) return "max_tokens: Input should be a valid integer";
  simdjson::dom::array messages;
  if (missing("messages")) return "messages: Field required";
  if (root["messages"].get_array().get(messages)) return "messages: Input should be a valid list";
  if (version == "2026-10-21") {
    // Anthropic answers 400 for these under 2026-10-21 (the wording is the mock's own).
    for (const char* removed : {"temperature", "top_p", "top_k"}) {
      if (!missing(removed))
        return std::string(removed) + ": not supported in anthropic-version 2026-10-21";
    }
  }
  ask.first_user_text = first_user_text(messages);
  bool stream = false;
  if (!root["stream"].get_bool().get(stream)) ask.stream = stream;
  std::string_view tool;
  if (!root.at_pointer("/tools/0/name").get_string().get(tool)) ask.first_tool = std::string(tool);
  return std::nullopt;
}

std::string usage(const Behaviour& behaviour, int output_tokens) {
  return R"({"input_tokens":11,"output_tokens":)" + std::to_string(output_tokens) +
         R"(,"cache_creation_input_tokens":)" + (behaviour.cache ? "5" : "0") +
         R"(,"cache_read_input_tokens":)" + (behaviour.cache ? "3" : "0") + "}";
}

// The head of a message, through "model", without the closing brace.
std::string message_head(std::uint64_t id, const Ask& ask) {
  return R"({"id":)" + json_string("msg_mock_" + std::to_string(id)) +
         R"(,"type":"message","role":"assistant","model":)" + json_string(ask.model);
}

bool uses_tool(const Ask& ask, const Behaviour& behaviour) {
  return behaviour.tool && ask.first_tool.has_value();
}

std::string whole_message(std::uint64_t id, const Ask& ask, const Behaviour& behaviour) {
  const bool tool = uses_tool(ask, behaviour);
  std::string content = R"([{"type":"text","text":"mock answer"})";
  if (tool) {
    content += R"(,{"type":"tool_use","id":"toolu_mock1","name":)" + json_string(*ask.first_tool) +
               R"(,"input":{"city":"Paris"}})";
  }
  content += "]";
  return message_head(id, ask) + R"(,"content":)" + content + R"(,"stop_reason":)" +
         (tool ? R"("tool_use")" : R"("end_turn")") + R"(,"stop_sequence":null,"usage":)" +
         usage(behaviour, 7) + "}";
}

std::string sse(std::string_view type, std::string_view data) {
  std::string event = "event: ";
  event.append(type).append("\ndata: ").append(data).append("\n\n");
  return event;
}

std::string text_delta(std::string_view text) {
  return sse("content_block_delta",
             R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":)" +
                 json_string(text) + "}}");
}

// The events of a streamed answer, in Anthropic's order, each a whole `event:`/`data:` block.
std::vector<std::string> stream_events(std::uint64_t id, const Ask& ask,
                                       const Behaviour& behaviour) {
  const bool tool = uses_tool(ask, behaviour);
  std::vector<std::string> events;
  events.push_back(
      sse("message_start", R"({"type":"message_start","message":)" + message_head(id, ask) +
                               R"(,"content":[],"stop_reason":null,"stop_sequence":null,"usage":)" +
                               usage(behaviour, 1) + "}}"));
  events.push_back(
      sse("content_block_start",
          R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"));
  events.push_back(sse("ping", R"({"type": "ping"})"));
  events.push_back(text_delta("mock"));
  if (behaviour.midstream_error) {
    events.push_back(sse("error", error_body("overloaded_error", "Overloaded") + "}"));
    return events;
  }
  events.push_back(text_delta(" ans"));
  events.push_back(text_delta("wer"));
  events.push_back(sse("content_block_stop", R"({"type":"content_block_stop","index":0})"));
  if (tool) {
    events.push_back(
        sse("content_block_start", R"({"type":"content_block_start","index":1,"content_block":)"
                                   R"({"type":"tool_use","id":"toolu_mock1","name":)" +
                                       json_string(*ask.first_tool) + R"(,"input":{}}})"));
    // Anthropic opens with an empty piece and cuts the JSON anywhere, even inside a string.
    for (std::string_view piece : {"", R"({"city":)", R"( "Par)", R"(is"})"}) {
      events.push_back(sse(
          "content_block_delta",
          R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":)" +
              json_string(piece) + "}}"));
    }
    events.push_back(sse("content_block_stop", R"({"type":"content_block_stop","index":1})"));
  }
  events.push_back(
      sse("message_delta",
          std::string(R"({"type":"message_delta","delta":)") +
              (tool ? R"({"stop_reason":"tool_use")" : R"({"stop_reason":"end_turn")") +
              R"(,"stop_sequence":null},"usage":{"output_tokens":7}})"));
  events.push_back(sse("message_stop", R"({"type":"message_stop"})"));
  return events;
}

void answer(http::Runtime& runtime, const Ask& ask, const Behaviour& behaviour, std::uint64_t id,
            const std::shared_ptr<http::Responder>& responder) {
  if (behaviour.status) {
    responder->respond(
        anthropic_error(*behaviour.status, "upstream error for: " + ask.first_user_text, id));
    return;
  }
  if (ask.stream) {
    http::Headers headers = {{"Content-Type", "text/event-stream; charset=utf-8"},
                             {"Cache-Control", "no-cache"}};
    http::Headers more = answer_headers(id);
    headers.insert(headers.end(), more.begin(), more.end());
    responder->begin_stream(200, std::move(headers));
    write_events(runtime, responder, stream_events(id, ask, behaviour), behaviour.drip);
    return;
  }
  http::Response response = json_response(200, whole_message(id, ask, behaviour));
  http::Headers more = answer_headers(id);
  response.headers.insert(response.headers.end(), more.begin(), more.end());
  responder->respond(std::move(response));
}

}  // namespace

void answer_anthropic_messages(http::Runtime& runtime, const http::Request& request,
                               std::uint64_t id,
                               const std::shared_ptr<http::Responder>& responder) {
  // API version 2026-10-21 (and the SDK majors that send it) pass the key as a bearer token.
  const std::string_view bearer = request.header("authorization");
  if (request.header("x-api-key").empty() &&
      (!bearer.starts_with("Bearer ") || bearer.size() == 7)) {
    responder->respond(anthropic_error(401, "x-api-key header is required", id));
    return;
  }
  if (request.header("anthropic-version").empty()) {
    responder->respond(anthropic_error(400, "anthropic-version: header is required", id));
    return;
  }
  Ask ask;
  if (std::optional<std::string> problem =
          read_ask(request.body, request.header("anthropic-version"), ask)) {
    responder->respond(anthropic_error(400, *problem, id));
    return;
  }
  const Behaviour behaviour = behaviour_for(ask.model);
  answer_after(runtime, behaviour.delay, [&runtime, ask, behaviour, id, responder] {
    answer(runtime, ask, behaviour, id, responder);
  });
}

std::optional<VertexAnthropicCall> vertex_anthropic_call(std::string_view path) {
  constexpr std::string_view kPublisher = "/publishers/anthropic/models/";
  if (!path.starts_with("/v1/projects/")) return std::nullopt;
  const std::size_t at = path.find(kPublisher);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view rest = path.substr(at + kPublisher.size());
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view method = rest.substr(colon + 1);
  if (method != "rawPredict" && method != "streamRawPredict") return std::nullopt;
  return VertexAnthropicCall{std::string(rest.substr(0, colon)), method == "streamRawPredict"};
}

void answer_vertex_anthropic(http::Runtime& runtime, const http::Request& request, std::uint64_t id,
                             const std::shared_ptr<http::Responder>& responder) {
  const std::optional<VertexAnthropicCall> call = vertex_anthropic_call(request.path());
  if (!request.header("authorization").starts_with(std::string("Bearer ") + "ya29.mock-")) {
    responder->respond(json_response(
        401, R"({"error":{"code":401,"message":"Request had invalid authentication credentials.",)"
             R"("status":"UNAUTHENTICATED"}})"));
    return;
  }
  Ask ask;
  if (std::optional<std::string> problem = read_ask(request.body, {}, ask, call->model)) {
    responder->respond(anthropic_error(400, *problem, id));
    return;
  }
  if (ask.stream != call->stream) {
    responder->respond(anthropic_error(
        400, call->stream ? "streamRawPredict needs \"stream\": true" : "rawPredict cannot stream",
        id));
    return;
  }
  const Behaviour behaviour = behaviour_for(ask.model);
  answer_after(runtime, behaviour.delay, [&runtime, ask, behaviour, id, responder] {
    answer(runtime, ask, behaviour, id, responder);
  });
}

}  // namespace llmtap::test
