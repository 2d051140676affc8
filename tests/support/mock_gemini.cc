#include "support/mock_gemini.h"

#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sink/json_text.h"
#include "support/mock_markers.h"
#include "support/mock_stream.h"

namespace llmtap::test {
namespace {

using sink::json_response;
using sink::json_string;

// A model method URL, split: ".../models/<model>:<method>?<query>".
struct MethodCall {
  std::string model;
  std::string method;  // "generateContent", "streamGenerateContent", …
};

std::optional<MethodCall> method_call(std::string_view path) {
  const std::size_t models = path.rfind("/models/");
  if (models == std::string_view::npos) return std::nullopt;
  std::string_view rest = path.substr(models + 8);
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return MethodCall{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
}

// The value of query parameter `name` in `target`, or empty.
std::string_view query_value(std::string_view target, std::string_view name) {
  const std::size_t mark = target.find('?');
  if (mark == std::string_view::npos) return {};
  std::string_view query = target.substr(mark + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    const std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && param.substr(0, eq) == name) return param.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// What a request asks for, read once from its body.
struct Ask {
  std::string model;
  bool stream = false;
  bool sse = false;  // ?alt=sse
  std::string first_user_text;
  std::optional<std::string> first_function;  // the first declared function's name
};

// What the model name asks the mock to do: the shared markers and Gemini's own.
struct Behaviour : ProviderMarkers {
  bool think = false;
  bool blocked = false;
};

Behaviour behaviour_for(const std::string& model) {
  Behaviour behaviour{provider_markers(model)};
  behaviour.think = model.find("think") != std::string::npos;
  behaviour.blocked = model.find("blocked") != std::string::npos;
  return behaviour;
}

// Google's canonical status name for an HTTP status.
std::string_view status_name(int status) {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
  }
}

std::string error_object(int status, std::string_view message, std::string_view details = {}) {
  std::string body = R"({"error":{"code":)" + std::to_string(status) + R"(,"message":)" +
                     json_string(message) + R"(,"status":)" + json_string(status_name(status));
  if (!details.empty()) body.append(R"(,"details":)").append(details);
  return body + "}}";
}

http::Response google_error(int status, std::string_view message, std::string_view details = {}) {
  return json_response(status, error_object(status, message, details));
}

// The first user turn's first text part.
std::string first_user_text(simdjson::dom::array contents) {
  for (simdjson::dom::element turn : contents) {
    std::string_view role;
    if (!turn["role"].get_string().get(role) && role != "user") continue;
    simdjson::dom::array parts;
    if (turn["parts"].get_array().get(parts)) return {};
    for (simdjson::dom::element part : parts) {
      std::string_view text;
      if (!part["text"].get_string().get(text)) return std::string(text);
    }
    return {};
  }
  return {};
}

// The first declared function's name; Google's JSON parser takes camelCase and snake_case.
std::optional<std::string> first_function(simdjson::dom::element root) {
  simdjson::dom::array tools;
  if (root["tools"].get_array().get(tools)) return std::nullopt;
  for (simdjson::dom::element tool : tools) {
    for (const char* key : {"functionDeclarations", "function_declarations"}) {
      std::string_view name;
      if (!tool[key].at(0)["name"].get_string().get(name)) return std::string(name);
    }
  }
  return std::nullopt;
}

// Reads the body as Google validates it: the first problem, or nullopt with `ask` filled.
std::optional<std::string> read_ask(const std::string& body, Ask& ask) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) || !root.is_object()) {
    return "Invalid JSON payload received. Unknown name \"\": Root element must be a message.";
  }
  simdjson::dom::array contents;
  if (root["contents"].get_array().get(contents) || contents.size() == 0) {
    return "* GenerateContentRequest.contents: contents is not specified\n";
  }
  ask.first_user_text = first_user_text(contents);
  ask.first_function = first_function(root);
  return std::nullopt;
}

std::string usage(const Behaviour& behaviour, int candidates) {
  std::string out = R"({"promptTokenCount":11)";
  if (candidates > 0) out += R"(,"candidatesTokenCount":)" + std::to_string(candidates);
  const int thoughts = behaviour.think && candidates > 0 ? 3 : 0;
  out += R"(,"totalTokenCount":)" + std::to_string(11 + candidates + thoughts);
  if (behaviour.cache) out += R"(,"cachedContentTokenCount":3)";
  if (thoughts > 0) out += R"(,"thoughtsTokenCount":3)";
  return out + "}";
}

std::string function_call_part(const Ask& ask) {
  return R"({"functionCall":{"name":)" + json_string(*ask.first_function) +
         R"(,"args":{"city":"Paris"}}})";
}

// One GenerateContentResponse with the given parts (a JSON list's inside); `finished` adds
// finishReason STOP and the final usage.
std::string response(std::uint64_t id, const Ask& ask, const Behaviour& behaviour,
                     std::string_view parts, bool finished, int candidates_tokens) {
  std::string candidate = R"({"content":{"parts":[)" + std::string(parts) + R"(],"role":"model"})";
  if (finished) candidate += R"(,"finishReason":"STOP")";
  candidate += R"(,"index":0})";
  return R"({"candidates":[)" + candidate + R"(],"usageMetadata":)" +
         usage(behaviour, candidates_tokens) + R"(,"modelVersion":)" + json_string(ask.model) +
         R"(,"responseId":)" + json_string("mock-" + std::to_string(id)) + "}";
}

std::string blocked_response(std::uint64_t id, const Ask& ask, const Behaviour& behaviour) {
  return R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":)" + usage(behaviour, 0) +
         R"(,"modelVersion":)" + json_string(ask.model) + R"(,"responseId":)" +
         json_string("mock-" + std::to_string(id)) + "}";
}

bool uses_tool(const Ask& ask, const Behaviour& behaviour) {
  return behaviour.tool && ask.first_function.has_value();
}

constexpr std::string_view kThoughtPart = R"({"text":"mock thought","thought":true})";

std::string whole_response(std::uint64_t id, const Ask& ask, const Behaviour& behaviour) {
  if (behaviour.blocked) return blocked_response(id, ask, behaviour);
  std::string parts;
  if (behaviour.think) parts.append(kThoughtPart).append(",");
  parts += R"({"text":"mock answer"})";
  if (uses_tool(ask, behaviour)) parts += "," + function_call_part(ask);
  return response(id, ask, behaviour, parts, true, 7);
}

// The responses of a stream, in Gemini's order.
std::vector<std::string> stream_responses(std::uint64_t id, const Ask& ask,
                                          const Behaviour& behaviour) {
  if (behaviour.blocked) return {blocked_response(id, ask, behaviour)};
  std::vector<std::string> out;
  if (behaviour.think) out.push_back(response(id, ask, behaviour, kThoughtPart, false, 0));
  out.push_back(response(id, ask, behaviour, R"({"text":"mock"})", false, 1));
  if (behaviour.midstream_error) {
    out.push_back(error_object(503, "The model is overloaded. Please try again later."));
    return out;
  }
  out.push_back(response(id, ask, behaviour, R"({"text":" ans"})", false, 3));
  const bool tool = uses_tool(ask, behaviour);
  out.push_back(response(id, ask, behaviour, R"({"text":"wer"})", !tool, tool ? 5 : 7));
  if (tool) out.push_back(response(id, ask, behaviour, function_call_part(ask), true, 7));
  return out;
}

// batchEmbedContents: each request must name the URL's model ("models/<model>") and have parts;
// its vector has outputDimensionality values (default 3), value j of request i being
// (i + 1) / 2^(j + 1) — exact in binary, so a float32 base64 encoding of it is exact too.
http::Response embeddings(const std::string& body, const std::string& model) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array requests;
  if (parser.parse(body).get(root) || root["requests"].get_array().get(requests) ||
      requests.size() == 0) {
    return google_error(400, "* BatchEmbedContentsRequest.requests: requests is not specified");
  }
  std::string out = R"({"embeddings":[)";
  std::size_t i = 0;
  for (simdjson::dom::element request : requests) {
    std::string_view named;
    if (request["model"].get_string().get(named) || named != "models/" + model) {
      return google_error(400,
                          "* BatchEmbedContentsRequest.model: model in request must match "
                          "the model in the URL");
    }
    simdjson::dom::array parts;
    if (request["content"]["parts"].get_array().get(parts) || parts.size() == 0) {
      return google_error(400, "* BatchEmbedContentsRequest.requests[" + std::to_string(i) +
                                   "].content.parts: contents is not specified");
    }
    std::int64_t dimensions = 3;
    if (request["outputDimensionality"].get_int64().get(dimensions)) dimensions = 3;
    out += i > 0 ? R"(,{"values":[)" : R"({"values":[)";
    double value = static_cast<double>(i + 1);
    for (std::int64_t j = 0; j < dimensions; ++j) {
      value /= 2;
      if (j > 0) out += ',';
      char text[32];
      const int length = std::snprintf(text, sizeof text, "%.17g", value);
      out.append(text, static_cast<std::size_t>(length));
    }
    out += "]}";
    ++i;
  }
  return json_response(200, out + "]}");
}

void answer(http::Runtime& runtime, const Ask& ask, const Behaviour& behaviour, std::uint64_t id,
            const std::shared_ptr<http::Responder>& responder) {
  if (behaviour.status) {
    responder->respond(
        google_error(*behaviour.status, "upstream error for: " + ask.first_user_text));
    return;
  }
  if (!ask.stream) {
    responder->respond(json_response(200, whole_response(id, ask, behaviour)));
    return;
  }
  std::vector<std::string> responses = stream_responses(id, ask, behaviour);
  if (!ask.sse) {
    // Without alt=sse Google streams one JSON array of the responses.
    std::string array = "[";
    for (std::size_t i = 0; i < responses.size(); ++i) {
      if (i > 0) array += ",\r\n";
      array += responses[i];
    }
    responder->respond(json_response(200, array + "]"));
    return;
  }
  std::vector<std::string> events;
  events.reserve(responses.size());
  for (std::string& data : responses) events.push_back("data: " + data + "\r\n\r\n");
  responder->begin_stream(200, {{"Content-Type", "text/event-stream"},
                                {"Content-Disposition", "attachment"},
                                {"Vary", "Origin"}});
  write_events(runtime, responder, std::move(events), behaviour.drip);
}

}  // namespace

bool is_gemini_path(std::string_view path) { return method_call(path).has_value(); }

void answer_gemini(http::Runtime& runtime, const http::Request& request, std::uint64_t id,
                   const std::shared_ptr<http::Responder>& responder) {
  if (is_vertex_path(request.path())) {
    // Vertex AI takes an OAuth access token, not a key: one the token mock issued.
    if (!request.header("authorization").starts_with("Bearer " + std::string(kMockTokenPrefix))) {
      responder->respond(google_error(401, std::string(kVertexUnauthenticated)));
      return;
    }
  } else if (std::string_view key = request.header("x-goog-api-key");
             key.empty() && query_value(request.target, "key").empty()) {
    responder->respond(google_error(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). "
        "Please use API Key or other form of API consumer identity to call this API."));
    return;
  }
  std::string_view key = request.header("x-goog-api-key");
  if (key.empty()) key = query_value(request.target, "key");
  if (key.starts_with("bad")) {
    responder->respond(google_error(
        400, "API key not valid. Please pass a valid API key.",
        R"([{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID",)"
        R"("domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}])"));
    return;
  }
  const std::optional<MethodCall> call = method_call(request.path());
  if (call && call->method == "batchEmbedContents") {
    const Behaviour behaviour = behaviour_for(call->model);
    if (behaviour.status) {
      responder->respond(google_error(*behaviour.status, "upstream error for: embeddings"));
      return;
    }
    responder->respond(embeddings(request.body, call->model));
    return;
  }
  if (!call || (call->method != "generateContent" && call->method != "streamGenerateContent")) {
    responder->respond(google_error(404, "mock gemini: no method " + std::string(request.path())));
    return;
  }
  Ask ask;
  ask.model = call->model;
  ask.stream = call->method == "streamGenerateContent";
  ask.sse = query_value(request.target, "alt") == "sse";
  if (std::optional<std::string> problem = read_ask(request.body, ask)) {
    responder->respond(google_error(400, *problem));
    return;
  }
  const Behaviour behaviour = behaviour_for(ask.model);
  answer_after(runtime, behaviour.delay, [&runtime, ask, behaviour, id, responder] {
    answer(runtime, ask, behaviour, id, responder);
  });
}

}  // namespace llmtap::test
