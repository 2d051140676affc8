#include "support/mock_upstream.h"

#include <simdjson.h>

#include <chrono>
#include <optional>
#include <vector>

#include "sink/json_text.h"
#include "support/mock_anthropic.h"
#include "support/mock_bedrock.h"
#include "support/mock_cohere.h"
#include "support/mock_gemini.h"
#include "support/mock_markers.h"
#include "support/mock_stream.h"

namespace llmtap::test {
namespace {

using sink::json_response;
using sink::json_string;

enum class Endpoint { chat, completion, embedding };

// What a request asks for, read once from its body.
struct Ask {
  Endpoint endpoint = Endpoint::chat;
  std::string model;
  bool stream = false;
  bool include_usage = false;
  std::string first_content;  // messages[0].content, or the prompt / input when a string
  std::string api_key;  // the bearer token it came with (echoed by status-401, as OpenAI does)
};

// What the model name asks the mock to do.
struct Behaviour {
  std::optional<int> status;
  std::chrono::milliseconds delay{0};
  bool garbage = false;
  bool truncated = false;  // 200 with the JSON answer cut in the middle
  bool bad_utf8 = false;   // content with bytes that are not UTF-8 (answers and stream events)
  bool close = false;
  std::chrono::milliseconds drip{0};  // stream: pause between events
  bool cut = false;                   // stream: drop the connection after the first two events
};

Behaviour behaviour_for(const std::string& model) {
  Behaviour behaviour;
  if (auto status = marker_number(model, "status-")) behaviour.status = static_cast<int>(*status);
  if (auto sleep = marker_number(model, "sleep-"))
    behaviour.delay = std::chrono::milliseconds{*sleep};
  behaviour.garbage = model.find("garbage") != std::string::npos;
  behaviour.truncated = model.find("truncated") != std::string::npos;
  behaviour.bad_utf8 = model.find("badutf8") != std::string::npos;
  behaviour.close = model.find("close") != std::string::npos;
  if (auto drip = marker_number(model, "drip-")) behaviour.drip = std::chrono::milliseconds{*drip};
  behaviour.cut = model.find("cut") != std::string::npos;
  return behaviour;
}

std::optional<Endpoint> endpoint_for(std::string_view path) {
  if (path == "/v1/chat/completions" || path == "/chat/completions") return Endpoint::chat;
  if (path == "/v1/completions" || path == "/completions") return Endpoint::completion;
  if (path == "/v1/embeddings" || path == "/embeddings") return Endpoint::embedding;
  return std::nullopt;
}

// A route of Azure OpenAI's: /openai/deployments/<deployment>/<route> (the deployment names the
// model; api-version is required) or the v1 API's /openai/v1/<route> (the body names it).
struct AzureRoute {
  Endpoint endpoint = Endpoint::chat;
  std::string deployment;  // empty on the v1 API
};

std::optional<AzureRoute> azure_route_for(std::string_view path) {
  constexpr std::string_view kV1 = "/openai/v1/";
  constexpr std::string_view kDeployments = "/openai/deployments/";
  if (path.starts_with(kV1)) {
    path.remove_prefix(kV1.size() - 1);
    if (auto endpoint = endpoint_for(path)) return AzureRoute{*endpoint, {}};
    return std::nullopt;
  }
  if (!path.starts_with(kDeployments)) return std::nullopt;
  path.remove_prefix(kDeployments.size());
  const std::size_t slash = path.find('/');
  if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
  auto endpoint = endpoint_for(path.substr(slash));
  if (!endpoint) return std::nullopt;
  return AzureRoute{*endpoint, std::string(path.substr(0, slash))};
}

// Cloudflare Workers AI's OpenAI-compatible API, /client/v4/accounts/<account>/ai/v1/<route>:
// the route after the account's prefix, or nullopt.
std::optional<Endpoint> cloudflare_endpoint_for(std::string_view path) {
  constexpr std::string_view kAccounts = "/client/v4/accounts/";
  constexpr std::string_view kAiV1 = "/ai/v1/";
  if (!path.starts_with(kAccounts)) return std::nullopt;
  path.remove_prefix(kAccounts.size());
  const std::size_t account_end = path.find('/');
  if (account_end == 0 || account_end == std::string_view::npos) return std::nullopt;
  path.remove_prefix(account_end);
  if (!path.starts_with(kAiV1)) return std::nullopt;
  return endpoint_for(path.substr(kAiV1.size() - 1));
}

// Vertex AI's OpenAI-compatible route, /v1/projects/<p>/locations/<l>/endpoints/openapi/
// chat/completions.
bool is_vertex_openapi_path(std::string_view path) {
  return is_vertex_path(path) && path.ends_with("/endpoints/openapi/chat/completions");
}

// Whether the request's query names `name` with a value (Azure's api-version).
bool has_query_value(std::string_view target, std::string_view name) {
  const std::size_t mark = target.find('?');
  if (mark == std::string_view::npos) return false;
  std::string_view query = target.substr(mark + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    const std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && param.substr(0, eq) == name && eq + 1 < param.size())
      return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

// Reads what the mock needs from a request body; false when it is not a JSON object.
bool read_ask(const std::string& body, Ask& ask) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) || !root.is_object()) return false;
  std::string_view text;
  if (!root["model"].get_string().get(text)) ask.model = text;
  bool flag = false;
  if (!root["stream"].get_bool().get(flag)) ask.stream = flag;
  if (!root.at_pointer("/stream_options/include_usage").get_bool().get(flag))
    ask.include_usage = flag;
  for (const char* pointer :
       {"/messages/0/content", "/prompt", "/input", "/prompt/0", "/input/0"}) {
    if (!root.at_pointer(pointer).get_string().get(text)) {
      ask.first_content = text;
      break;
    }
  }
  return true;
}

http::Response openai_error(int status, std::string_view message, std::string_view type) {
  return json_response(status, R"({"error":{"message":)" + json_string(message) + R"(,"type":)" +
                                   json_string(type) + R"(,"param":null,"code":)" +
                                   json_string(std::to_string(status)) + "}}");
}

// What OpenAI sends with every answer (the record keeps them as integers).
const std::vector<http::Header> kRateLimitHeaders = {{"x-ratelimit-limit-requests", "5000"},
                                                     {"x-ratelimit-remaining-requests", "4999"},
                                                     {"x-ratelimit-remaining-tokens", "29000"}};

constexpr std::string_view kUsage =
    R"({"prompt_tokens":11,"completion_tokens":7,"total_tokens":18})";

std::string created_now() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

// The head of every object: "id", "object", "created", "model".
std::string head(const std::string& id, std::string_view object, const Ask& ask) {
  return R"({"id":)" + json_string(id) + R"(,"object":)" + json_string(object) + R"(,"created":)" +
         created_now() + R"(,"model":)" + json_string(ask.model);
}

std::string whole_answer(const std::string& id, const Ask& ask) {
  switch (ask.endpoint) {
    case Endpoint::chat:
      return head(id, "chat.completion", ask) +
             R"(,"choices":[{"index":0,"message":{"role":"assistant","content":"mock answer"},)"
             R"("logprobs":null,"finish_reason":"stop"}],"usage":)" +
             std::string(kUsage) + "}";
    case Endpoint::completion:
      return head(id, "text_completion", ask) +
             R"(,"choices":[{"index":0,"text":"mock answer","logprobs":null,"finish_reason":"stop"}],"usage":)" +
             std::string(kUsage) + "}";
    case Endpoint::embedding:
      return R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],"model":)" +
             json_string(ask.model) + R"(,"usage":{"prompt_tokens":11,"total_tokens":11}})";
  }
  return "{}";
}

// The SSE events of a streamed answer, each one `data: …\n\n`.
std::vector<std::string> stream_events(const std::string& id, const Ask& ask) {
  const bool chat = ask.endpoint == Endpoint::chat;
  const std::string start = head(id, chat ? "chat.completion.chunk" : "text_completion", ask);
  const auto piece = [&](std::string_view content, bool first) {
    if (!chat) {
      return start + R"(,"choices":[{"index":0,"text":)" + json_string(content) +
             R"(,"logprobs":null,"finish_reason":null}]})";
    }
    return start + R"(,"choices":[{"index":0,"delta":{)" +
           (first ? R"("role":"assistant",)" : std::string()) + R"("content":)" +
           json_string(content) + R"(},"logprobs":null,"finish_reason":null}]})";
  };
  std::vector<std::string> events{piece("mock", true), piece(" answer", false)};
  events.push_back(
      start +
      (chat ? R"(,"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]})"
            : R"(,"choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"stop"}]})"));
  if (ask.include_usage)
    events.push_back(start + R"(,"choices":[],"usage":)" + std::string(kUsage) + "}");
  events.emplace_back("[DONE]");
  for (std::string& event : events) event = "data: " + event + "\n\n";
  return events;
}

// Puts bytes that are not UTF-8 (a lone continuation byte, an overlong encoding, 0xFF) into the
// "mock answer" / "mock" content, keeping the JSON syntax intact.
void with_bad_utf8(std::string& text) {
  static constexpr std::string_view kBad = "\x80\xC0\xAF\xFF";
  for (std::string_view word :
       {std::string_view("\"mock answer\""), std::string_view("\"mock\"")}) {
    if (auto at = text.find(word); at != std::string::npos) text.insert(at + 1, kBad);
  }
}

void answer(http::Runtime& runtime, const Ask& ask, const Behaviour& behaviour,
            const std::string& id, const std::shared_ptr<http::Responder>& responder) {
  if (behaviour.close) {
    // The Responder cannot close before the head; send the head, then drop the stream unfinished.
    responder->begin_stream(200, {{"Content-Type", "application/json"}});
    return;
  }
  if (behaviour.status) {
    std::string message = "upstream error for: " + ask.first_content;
    if (*behaviour.status == 401)
      message = "Incorrect API key provided: " + ask.api_key + "; " + message;
    responder->respond(openai_error(*behaviour.status, message, "mock_error"));
    return;
  }
  if (behaviour.garbage) {
    responder->respond(json_response(200, "this is <not> json {"));
    return;
  }
  if (ask.stream && ask.endpoint != Endpoint::embedding) {
    http::Headers headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
    headers.insert(headers.end(), kRateLimitHeaders.begin(), kRateLimitHeaders.end());
    responder->begin_stream(200, std::move(headers));
    std::vector<std::string> events = stream_events(id, ask);
    if (behaviour.bad_utf8) {
      for (std::string& event : events) with_bad_utf8(event);
    }
    write_events(runtime, responder, std::move(events), behaviour.drip,
                 behaviour.cut ? std::optional<std::size_t>(2) : std::nullopt);
    return;
  }
  std::string body = whole_answer(id, ask);
  if (behaviour.truncated) body.resize(body.size() / 2);
  if (behaviour.bad_utf8) with_bad_utf8(body);
  http::Response response = json_response(200, std::move(body));
  response.headers.insert(response.headers.end(), kRateLimitHeaders.begin(),
                          kRateLimitHeaders.end());
  responder->respond(std::move(response));
}

}  // namespace

MockUpstream::MockUpstream(http::Runtime& runtime, MockUpstreamOptions options)
    : runtime_(runtime), google_token_(LLMTAP_TEST_GOOGLE_PUBLIC_KEY) {
  if (!options.requests_out_path.empty()) requests_log_.open(options.requests_out_path);
  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_ = std::make_unique<http::Server>(
      runtime, server_options,
      [this](http::Request request, std::shared_ptr<http::Responder> responder) {
        handle(std::move(request), std::move(responder));
      });
}

MockUpstream::~MockUpstream() = default;

void MockUpstream::handle(http::Request request, std::shared_ptr<http::Responder> responder) {
  if (requests_log_.is_open())
    requests_log_.append(request, R"(,"body":)" + json_string(request.body));
  if (request.method == "GET" && MockGoogleToken::is_stats_path(request.path())) {
    responder->respond(google_token_.stats());
    return;
  }
  if (request.method == "GET") {
    responder->respond(json_response(200, R"({"status":"ok"})"));
    return;
  }
  if (request.method == "POST" && request.path() == "/v1/messages") {
    answer_anthropic_messages(runtime_, request, next_id_++, responder);
    return;
  }
  if (request.method == "POST" && vertex_anthropic_call(request.path())) {
    answer_vertex_anthropic(runtime_, request, next_id_++, responder);
    return;
  }
  if (request.method == "POST" && is_gemini_path(request.path())) {
    answer_gemini(runtime_, request, next_id_++, responder);
    return;
  }
  if (request.method == "POST" && is_bedrock_path(request.path())) {
    answer_bedrock(runtime_, request, responder);
    return;
  }
  if (request.method == "POST" && MockGoogleToken::is_token_path(request.path())) {
    responder->respond(google_token_.answer(request));
    return;
  }
  if (request.method == "POST" && is_cohere_path(request.path())) {
    answer_cohere(runtime_, request, next_id_++, responder);
    return;
  }
  const std::optional<AzureRoute> azure = azure_route_for(request.path());
  std::optional<Endpoint> endpoint = azure ? azure->endpoint : endpoint_for(request.path());
  if (!endpoint) endpoint = cloudflare_endpoint_for(request.path());
  if (!endpoint && is_vertex_openapi_path(request.path())) {
    if (!request.header("authorization").starts_with("Bearer " + std::string(kMockTokenPrefix))) {
      responder->respond(json_response(401, R"({"error":{"code":401,"message":")" +
                                                std::string(kVertexUnauthenticated) +
                                                R"(","status":"UNAUTHENTICATED"}})"));
      return;
    }
    endpoint = Endpoint::chat;
  }
  if (request.method != "POST" || !endpoint) {
    responder->respond(openai_error(404, "mock upstream: no route " + std::string(request.path()),
                                    "invalid_request_error"));
    return;
  }
  if (azure && !azure->deployment.empty() && !has_query_value(request.target, "api-version")) {
    // What Azure answers a deployments URL without its api-version.
    responder->respond(json_response(
        404, R"({"error":{"code":"404","message":"Resource not found: api-version missing"}})"));
    return;
  }
  Ask ask;
  ask.endpoint = *endpoint;
  if (std::string_view auth = request.header("authorization"); auth.starts_with("Bearer ")) {
    ask.api_key = auth.substr(7);
  } else if (std::string_view key = request.header("api-key"); !key.empty()) {
    ask.api_key = key;  // Azure's header
  }
  if (!read_ask(request.body, ask)) {
    responder->respond(
        openai_error(400, "mock upstream: body is not a JSON object", "invalid_request_error"));
    return;
  }
  // Azure's deployments form ignores the body's model: the deployment is the model, and its name
  // steers the mock's behaviour.
  if (azure && !azure->deployment.empty()) ask.model = azure->deployment;
  const std::string prefix = ask.endpoint == Endpoint::chat         ? "chatcmpl-mock-"
                             : ask.endpoint == Endpoint::completion ? "cmpl-mock-"
                                                                    : "emb-mock-";
  const std::string id = prefix + std::to_string(next_id_++);
  const Behaviour behaviour = behaviour_for(ask.model);
  answer_after(runtime_, behaviour.delay, [this, ask, behaviour, id, responder] {
    answer(runtime_, ask, behaviour, id, responder);
  });
}

}  // namespace llmtap::test
