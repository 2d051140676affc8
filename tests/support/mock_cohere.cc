#include "support/mock_cohere.h"

#include <simdjson.h>

#include <chrono>
#include <cstring>
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

constexpr std::string_view kChatPath = "/v2/chat";
constexpr std::string_view kEmbedPath = "/v2/embed";

// What a request asks for, read once from its body.
struct Ask {
  std::string model;
  bool stream = false;
  std::string first_user_text;
  std::optional<std::string> first_tool;  // tools[0].function.name
  std::vector<std::string> texts;         // embed: texts (or images)
  std::vector<std::string> embedding_types;
  std::size_t dimension = 4;
};

// What the model name asks the mock to do.
using Behaviour = ProviderMarkers;

Behaviour behaviour_for(const std::string& model) { return provider_markers(model); }

std::string answer_id(std::uint64_t id) { return "cohere-mock-" + std::to_string(id); }

http::Response cohere_error(int status, std::string_view message, std::uint64_t id) {
  return json_response(status, R"({"id":)" + json_string(answer_id(id)) + R"(,"message":)" +
                                   json_string(message) + "}");
}

// The first user message's text: its content when a string, else its first text part's.
std::string first_user_text(simdjson::dom::array messages) {
  for (simdjson::dom::element message : messages) {
    std::string_view role;
    if (message["role"].get_string().get(role) || role != "user") continue;
    std::string_view text;
    if (!message["content"].get_string().get(text)) return std::string(text);
    simdjson::dom::array parts;
    if (message["content"].get_array().get(parts)) return {};
    for (simdjson::dom::element part : parts) {
      if (!part["text"].get_string().get(text)) return std::string(text);
    }
    return {};
  }
  return {};
}

// The first field Cohere v2 rejects in `messages`, named, or nothing.
std::optional<std::string> rejected_field(simdjson::dom::array messages) {
  std::size_t i = 0;
  for (simdjson::dom::element message : messages) {
    std::string_view role;
    if (!message.is_object()) return "messages[" + std::to_string(i) + "] must be an object";
    if (message["role"].get_string().get(role)) {
      return "messages[" + std::to_string(i) + "].role is required";
    }
    if (role == "tool" && !message["name"].error()) {
      return "messages[" + std::to_string(i) + "].name is not a known field";
    }
    simdjson::dom::array calls;
    if (role == "assistant" && !message["tool_calls"].get_array().get(calls)) {
      for (simdjson::dom::element call : calls) {
        if (!call["index"].error()) {
          return "messages[" + std::to_string(i) + "].tool_calls[].index is not a known field";
        }
      }
    }
    ++i;
  }
  return std::nullopt;
}

// Reads the body as Cohere validates it: the first problem, or std::nullopt with `ask` filled.
std::optional<std::string> read_ask(const std::string& body, bool chat, Ask& ask) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) || !root.is_object()) {
    return "invalid request: the body must be a JSON object";
  }
  std::string_view model;
  if (root["model"].get_string().get(model)) return "invalid request: model must be a string";
  ask.model = model;
  if (chat) {
    simdjson::dom::array messages;
    if (root["messages"].get_array().get(messages)) {
      return "invalid request: messages must be an array";
    }
    if (std::optional<std::string> field = rejected_field(messages)) {
      return "invalid request: " + *field;
    }
    ask.first_user_text = first_user_text(messages);
    bool stream = false;
    if (!root["stream"].get_bool().get(stream)) ask.stream = stream;
    std::string_view tool;
    if (!root.at_pointer("/tools/0/function/name").get_string().get(tool)) {
      ask.first_tool = std::string(tool);
    }
    return std::nullopt;
  }
  simdjson::dom::array inputs;
  if (root["texts"].get_array().get(inputs) && root["images"].get_array().get(inputs)) {
    return "invalid request: one of texts, images or inputs must be specified";
  }
  for (simdjson::dom::element input : inputs) {
    std::string_view text;
    if (input.get_string().get(text)) return "invalid request: texts must be strings";
    ask.texts.emplace_back(text);
  }
  if (ask.texts.empty()) ask.first_user_text = "";
  if (!ask.texts.empty()) ask.first_user_text = ask.texts.front();
  if (root["input_type"].get_string().error()) {
    return "invalid request: valid input_type must be provided with the provided model";
  }
  simdjson::dom::array types;
  if (!root["embedding_types"].get_array().get(types)) {
    for (simdjson::dom::element type : types) {
      std::string_view name;
      if (type.get_string().get(name)) return "invalid request: embedding_types must be strings";
      ask.embedding_types.emplace_back(name);
    }
  }
  if (ask.embedding_types.empty()) ask.embedding_types.emplace_back("float");
  std::int64_t dimension = 0;
  if (!root["output_dimension"].get_int64().get(dimension) && dimension > 0 && dimension <= 64) {
    ask.dimension = static_cast<std::size_t>(dimension);
  }
  return std::nullopt;
}

std::string error_message(int status, const Ask& ask) {
  if (status == 401) return "invalid api token";
  if (status == 400) return "invalid request: upstream error for: " + ask.first_user_text;
  return "upstream error for: " + ask.first_user_text;
}

bool uses_tool(const Ask& ask, const Behaviour& behaviour) {
  return behaviour.tool && ask.first_tool.has_value();
}

constexpr std::string_view kArguments = R"({"city":"Paris"})";

std::string usage(int output_tokens) {
  return R"({"billed_units":{"input_tokens":11,"output_tokens":)" + std::to_string(output_tokens) +
         R"(},"tokens":{"input_tokens":71,"output_tokens":)" + std::to_string(output_tokens) + "}}";
}

std::string whole_answer(std::uint64_t id, const Ask& ask, const Behaviour& behaviour) {
  std::string message = R"({"role":"assistant",)";
  if (uses_tool(ask, behaviour)) {
    message +=
        R"("tool_plan":"I will call )" + *ask.first_tool +
        R"(.","tool_calls":[{"id":"get_weather_mock1","type":"function","function":{"name":)" +
        json_string(*ask.first_tool) + R"(,"arguments":)" + json_string(kArguments) + "}}]}";
  } else {
    message += R"("content":[{"type":"text","text":"mock answer"}]})";
  }
  return R"({"id":)" + json_string(answer_id(id)) + R"(,"finish_reason":)" +
         (uses_tool(ask, behaviour) ? R"("TOOL_CALL")" : R"("COMPLETE")") + R"(,"message":)" +
         message + R"(,"usage":)" + usage(7) + "}";
}

std::string sse(std::string_view type, std::string_view data) {
  std::string event = "event: ";
  event.append(type).append("\ndata: ").append(data).append("\n\n");
  return event;
}

std::string content_delta(std::string_view text) {
  return sse("content-delta",
             R"({"type":"content-delta","index":0,"delta":{"message":{"content":{"text":)" +
                 json_string(text) + "}}}}");
}

std::string message_end(std::string_view delta) {
  return sse("message-end", R"({"type":"message-end","delta":)" + std::string(delta) + "}");
}

// The events of a streamed answer, in Cohere's order, each a whole `event:`/`data:` block.
std::vector<std::string> stream_events(std::uint64_t id, const Ask& ask,
                                       const Behaviour& behaviour) {
  const bool tool = uses_tool(ask, behaviour);
  std::vector<std::string> events;
  events.push_back(
      sse("message-start", R"({"id":)" + json_string(answer_id(id)) +
                               R"(,"type":"message-start","delta":{"message":{"role":"assistant",)"
                               R"("content":[],"tool_plan":"","tool_calls":[],"citations":[]}}})"));
  if (tool) {
    events.push_back(sse(
        "tool-plan-delta",
        R"({"type":"tool-plan-delta","delta":{"message":{"tool_plan":"I will call the tool."}}})"));
    events.push_back(sse(
        "tool-call-start",
        R"({"type":"tool-call-start","index":0,"delta":{"message":{"tool_calls":{"id":"get_weather_mock1","type":"function","function":{"name":)" +
            json_string(*ask.first_tool) + R"(,"arguments":""}}}}})"));
    // Cohere cuts the arguments anywhere, even inside a string.
    for (std::string_view piece : {R"({"city":)", R"("Par)", R"(is"})"}) {
      events.push_back(sse(
          "tool-call-delta",
          R"({"type":"tool-call-delta","index":0,"delta":{"message":{"tool_calls":{"function":{"arguments":)" +
              json_string(piece) + "}}}}}"));
    }
    events.push_back(sse("tool-call-end", R"({"type":"tool-call-end","index":0})"));
    events.push_back(message_end(R"({"finish_reason":"TOOL_CALL","usage":)" + usage(7) + "}"));
    events.emplace_back("data: [DONE]\n\n");
    return events;
  }
  events.push_back(sse(
      "content-start",
      R"({"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}})"));
  events.push_back(content_delta("mock"));
  if (behaviour.midstream_error) {
    events.push_back(message_end(R"({"finish_reason":"ERROR","error":"internal error"})"));
    return events;
  }
  events.push_back(content_delta(" ans"));
  events.push_back(content_delta("wer"));
  events.push_back(sse("content-end", R"({"type":"content-end","index":0})"));
  events.push_back(message_end(R"({"finish_reason":"COMPLETE","usage":)" + usage(7) + "}"));
  events.emplace_back("data: [DONE]\n\n");
  return events;
}

// The float32 bytes of `values`, little-endian, in base64.
std::string base64_floats(const std::vector<float>& values) {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(values.size() * 4, '\0');
  std::memcpy(bytes.data(), values.data(), bytes.size());  // x86 and ARM are little-endian
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto b = [&](std::size_t k) {
      return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0U;
    };
    const unsigned triple = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += kAlphabet[(triple >> 18) & 63];
    out += kAlphabet[(triple >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(triple >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[triple & 63] : '=';
  }
  return out;
}

std::string embed_answer(std::uint64_t id, const Ask& ask) {
  std::string embeddings = "{";
  for (std::size_t t = 0; t < ask.embedding_types.size(); ++t) {
    if (t != 0) embeddings += ',';
    embeddings += json_string(ask.embedding_types[t]) + ":[";
    for (std::size_t i = 0; i < ask.texts.size(); ++i) {
      if (i != 0) embeddings += ',';
      // Exact in binary: 0.5, 0.25, … scaled by the input's position.
      std::vector<float> vector;
      for (std::size_t d = 0; d < ask.dimension; ++d) {
        vector.push_back(static_cast<float>(i + 1) / static_cast<float>(1U << (d + 1)));
      }
      if (ask.embedding_types[t] == "base64") {
        embeddings += json_string(base64_floats(vector));
        continue;
      }
      embeddings += '[';
      for (std::size_t d = 0; d < vector.size(); ++d) {
        if (d != 0) embeddings += ',';
        std::string number = std::to_string(vector[d]);
        number.erase(number.find_last_not_of('0') + 1);
        if (number.back() == '.') number += '0';
        embeddings += number;
      }
      embeddings += ']';
    }
    embeddings += ']';
  }
  embeddings += '}';
  std::string texts = "[";
  for (std::size_t i = 0; i < ask.texts.size(); ++i) {
    if (i != 0) texts += ',';
    texts += json_string(ask.texts[i]);
  }
  texts += ']';
  return R"({"id":)" + json_string(answer_id(id)) + R"(,"embeddings":)" + embeddings +
         R"(,"texts":)" + texts +
         R"(,"meta":{"api_version":{"version":"2"},"billed_units":{"input_tokens":)" +
         std::to_string(3 * ask.texts.size()) + R"(}},"response_type":"embeddings_by_type"})";
}

void answer(http::Runtime& runtime, bool chat, const Ask& ask, const Behaviour& behaviour,
            std::uint64_t id, const std::shared_ptr<http::Responder>& responder) {
  if (behaviour.status) {
    responder->respond(cohere_error(*behaviour.status, error_message(*behaviour.status, ask), id));
    return;
  }
  if (!chat) {
    responder->respond(json_response(200, embed_answer(id, ask)));
    return;
  }
  if (ask.stream) {
    responder->begin_stream(200, {{"Content-Type", "text/event-stream"},
                                  {"Cache-Control", "no-cache"},
                                  {"x-debug-trace-id", answer_id(id)}});
    write_events(runtime, responder, stream_events(id, ask, behaviour), behaviour.drip);
    return;
  }
  http::Response response = json_response(200, whole_answer(id, ask, behaviour));
  response.headers.push_back({"x-debug-trace-id", answer_id(id)});
  responder->respond(std::move(response));
}

}  // namespace

bool is_cohere_path(std::string_view path) { return path == kChatPath || path == kEmbedPath; }

void answer_cohere(http::Runtime& runtime, const http::Request& request, std::uint64_t id,
                   const std::shared_ptr<http::Responder>& responder) {
  const std::string_view bearer = request.header("authorization");
  if (!bearer.starts_with("Bearer ") && !bearer.starts_with("bearer ")) {
    responder->respond(cohere_error(401, "no api key supplied", id));
    return;
  }
  if (bearer.substr(7) == "bad-key") {
    responder->respond(cohere_error(401, "invalid api token", id));
    return;
  }
  const bool chat = request.path() == kChatPath;
  Ask ask;
  if (std::optional<std::string> problem = read_ask(request.body, chat, ask)) {
    responder->respond(cohere_error(400, *problem, id));
    return;
  }
  const Behaviour behaviour = behaviour_for(ask.model);
  answer_after(runtime, behaviour.delay, [&runtime, chat, ask, behaviour, id, responder] {
    answer(runtime, chat, ask, behaviour, id, responder);
  });
}

}  // namespace llmtap::test
