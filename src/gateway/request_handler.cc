#include "gateway/request_handler.h"

#include <chrono>
#include <optional>

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include "delivery/dispatcher.h"
#include "gateway/call_id.h"
#include "gateway/openai_json.h"
#include "payload/call_info.h"
#include "payload/json_writer.h"
#include "payload/request_summary.h"

namespace llmtap::gateway {
namespace {

using SteadyClock = std::chrono::steady_clock;

double epoch_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double seconds_between(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

struct RouteInfo {
  Route route = Route::not_found;
  payload::CallType type = payload::CallType::completion;
  std::string_view upstream_suffix;  // appended to api_base
};

// LiteLLM's proxy serves each route with and without the /v1 prefix (and /openai/… for the
// Azure-style clients is left out on purpose: llmtap has no Azure routing yet).
RouteInfo classify(std::string_view path) {
  if (path.starts_with("/v1/")) path.remove_prefix(3);
  if (path == "/chat/completions") return {Route::chat_completions, payload::CallType::completion, "/chat/completions"};
  if (path == "/completions") return {Route::completions, payload::CallType::text_completion, "/completions"};
  if (path == "/embeddings") return {Route::embeddings, payload::CallType::embedding, "/embeddings"};
  if (path == "/models") return {Route::models, {}, {}};
  if (path == "/health/liveliness" || path == "/health/liveness" || path == "/health/readiness" ||
      path == "/health")
    return {Route::health, {}, {}};
  if (path == "/metrics") return {Route::metrics, {}, {}};
  return {};
}

// LiteLLM's exception class names, by the HTTP status an upstream answered with.
std::string_view error_class_for_status(int status) {
  switch (status) {
    case 400: return "BadRequestError";
    case 401: return "AuthenticationError";
    case 403: return "PermissionDeniedError";
    case 404: return "NotFoundError";
    case 408: return "Timeout";
    case 413: return "BadRequestError";
    case 422: return "UnprocessableEntityError";
    case 429: return "RateLimitError";
    case 500: return "InternalServerError";
    case 502: return "APIConnectionError";
    case 503: return "ServiceUnavailableError";
    case 504: return "Timeout";
    default: return status >= 500 ? "APIError" : "BadRequestError";
  }
}

// The upstream's own error text: error.message of an OpenAI-shaped body, else the body itself
// (bounded, so a huge HTML error page does not become a huge record).
std::string upstream_error_message(std::string_view body) {
  constexpr std::size_t kMaxExcerpt = 2048;
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  auto doc = parser.parse(padded);
  if (!doc.error()) {
    std::string_view message;
    if (!doc["error"]["message"].get(message)) return std::string(message.substr(0, kMaxExcerpt));
    if (!doc["error"].get(message)) return std::string(message.substr(0, kMaxExcerpt));
  }
  return std::string(body.substr(0, kMaxExcerpt));
}

// The bearer token a client authenticated with, from any header LiteLLM's proxy accepts.
std::string_view client_key(const http::Request& request) {
  std::string_view auth = request.header("authorization");
  if (auth.size() > 7 && http::iequals(auth.substr(0, 7), "bearer ")) return auth.substr(7);
  if (auto key = request.header("x-litellm-api-key"); !key.empty()) {
    if (key.size() > 7 && http::iequals(key.substr(0, 7), "bearer ")) return key.substr(7);
    return key;
  }
  if (auto key = request.header("api-key"); !key.empty()) return key;
  return {};
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

struct RequestHandler::Call {
  http::Request request;
  std::shared_ptr<http::Responder> responder;
  RouteInfo route;
  std::string call_id = new_call_id();
  double start_epoch = epoch_seconds();
  SteadyClock::time_point started = SteadyClock::now();
  SteadyClock::time_point upstream_started{};
  SteadyClock::time_point upstream_finished{};

  std::optional<payload::RequestSummary> summary;
  const config::Deployment* deployment = nullptr;
  http::Response response;            // what the client got
  http::Headers upstream_headers;     // what the upstream answered with (for additional_headers)
  bool success = false;
  struct Error {
    int status = 500;
    std::string error_class;
    std::string message;
  };
  std::optional<Error> error;
};

RequestHandler::RequestHandler(const config::Config& config, http::Client& upstream,
                               const payload::RecordBuilder& builder,
                               delivery::Dispatcher& dispatcher)
    : router_(config),
      master_key_(config.master_key),
      upstream_(upstream),
      builder_(builder),
      dispatcher_(dispatcher) {}

bool RequestHandler::authorized(const http::Request& request) const {
  if (master_key_.empty()) return true;
  return constant_time_equals(client_key(request), master_key_);
}

void RequestHandler::handle(http::Request request, std::shared_ptr<http::Responder> responder) {
  auto call = std::make_shared<Call>();
  call->route = classify(request.path());
  call->request = std::move(request);
  call->responder = std::move(responder);
  const auto& req = call->request;

  auto json_response = [](int status, std::string body) {
    http::Response r;
    r.status = status;
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = std::move(body);
    return r;
  };
  auto answer = [&](http::Response r) {
    metrics_.record(call->route.route, r.status, seconds_between(call->started, SteadyClock::now()));
    call->responder->respond(std::move(r));
  };

  switch (call->route.route) {
    case Route::not_found:
      return answer(json_response(404, error_body(fmt::format("no route for {} {}", req.method, req.path()),
                                                  "invalid_request_error", {}, 404)));
    case Route::health: {
      if (req.path().ends_with("readiness")) {
        bool draining = draining_.load();
        return answer(json_response(draining ? 503 : 200,
                                    draining ? R"({"status":"draining"})" : R"({"status":"healthy"})"));
      }
      return answer(json_response(200, R"("I'm alive!")"));
    }
    case Route::metrics: {
      http::Response r;
      r.headers.push_back({"Content-Type", "text/plain; version=0.0.4"});
      r.body = dispatcher_.metrics_text();
      metrics_.append_text(r.body);
      return answer(std::move(r));
    }
    case Route::models: {
      if (!authorized(req)) {
        return answer(json_response(401, error_body("Authentication Error: invalid or missing API key",
                                                    "auth_error", {}, 401)));
      }
      std::string body = R"({"object":"list","data":[)";
      bool first = true;
      for (const auto& name : router_.model_names()) {
        if (!first) body += ',';
        first = false;
        body += R"({"id":)";
        payload::JsonWriter(body).string(name);
        body += R"(,"object":"model","created":1677610602,"owned_by":"openai"})";
      }
      body += "]}";
      return answer(json_response(200, std::move(body)));
    }
    default:
      break;
  }

  if (req.method != "POST") {
    return answer(json_response(405, error_body("method not allowed; use POST", "invalid_request_error", {}, 405)));
  }
  // Unauthenticated calls get no record: they are not LLM calls, and logging them would let anyone
  // fill a log platform.
  if (!authorized(req)) {
    return answer(json_response(401, error_body("Authentication Error: invalid or missing API key",
                                                "auth_error", {}, 401)));
  }
  handle_llm_call(std::move(call));
}

void RequestHandler::handle_llm_call(std::shared_ptr<Call> call) {
  payload::RequestParseError parse_error;
  call->summary = payload::parse_request(call->request.body, call->route.type, &parse_error);
  if (!call->summary) {
    return fail(call, 400, "invalid_request_error", "BadRequestError", parse_error.message,
                parse_error.param);
  }
  RouteError route_error;
  call->deployment = router_.pick(call->summary->model, thread_random(), &route_error);
  if (call->deployment == nullptr) {
    return fail(call, route_error.http_status, "invalid_request_error",
                route_error.http_status == 404 ? "NotFoundError" : "BadRequestError",
                std::move(route_error.message), "model");
  }
  if (call->summary->stream) {
    return fail(call, 400, "invalid_request_error", "BadRequestError",
                "stream: true is not supported by this llmtap build yet", "stream");
  }
  if (call->deployment->mock_response) {
    http::Response r;
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = mock_response_body(call->route.type, call->summary->model, *call->deployment->mock_response,
                                call->call_id, static_cast<std::int64_t>(call->start_epoch));
    call->success = true;
    return finish(call, std::move(r));
  }
  forward_upstream(std::move(call));
}

void RequestHandler::forward_upstream(std::shared_ptr<Call> call) {
  const config::Deployment& d = *call->deployment;
  const payload::RequestSummary& s = *call->summary;
  http::ClientRequest up;
  up.method = "POST";
  up.url = d.api_base + std::string(call->route.upstream_suffix);
  up.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(d.timeout_seconds * 1000));
  up.headers.push_back({"Content-Type", "application/json"});
  if (!d.api_key.empty()) up.headers.push_back({"Authorization", "Bearer " + d.api_key});
  // The client names the public model; the upstream wants its own name. Only the model token is
  // replaced — the rest of the body goes upstream byte for byte.
  const std::string& body = call->request.body;
  if (s.model != d.upstream_model && !s.model_raw.empty()) {
    auto offset = static_cast<std::size_t>(s.model_raw.data() - body.data());
    up.body.reserve(body.size() + d.upstream_model.size());
    up.body.append(body, 0, offset);
    payload::JsonWriter(up.body).string(d.upstream_model);
    up.body.append(body, offset + s.model_raw.size());
  } else {
    up.body = body;
  }

  call->upstream_started = SteadyClock::now();
  auto self = shared_from_this();
  upstream_.send(std::move(up), [self, call](http::ClientResult result) {
    call->upstream_finished = SteadyClock::now();
    const config::Deployment& dep = *call->deployment;
    if (!result.ok()) {
      if (result.error == http::ClientError::timeout) {
        return self->fail(call, 504, "timeout", "Timeout",
                          fmt::format("upstream {} timed out after {}s", dep.api_base, dep.timeout_seconds));
      }
      return self->fail(call, 502, "api_connection_error", "APIConnectionError",
                        fmt::format("upstream {} failed: {} ({})", dep.api_base,
                                    http::to_string(result.error), result.error_message));
    }
    http::Response& answer = result.response;
    http::Response r;
    r.status = answer.status;
    std::string_view content_type = answer.header("content-type");
    r.headers.push_back({"Content-Type", content_type.empty() ? "application/json" : std::string(content_type)});
    call->upstream_headers = std::move(answer.headers);
    if (answer.status >= 200 && answer.status < 300) {
      call->success = true;
    } else {
      call->error = Call::Error{answer.status, std::string(error_class_for_status(answer.status)),
                                upstream_error_message(answer.body)};
    }
    r.body = std::move(answer.body);
    self->finish(call, std::move(r));
  });
}

void RequestHandler::fail(const std::shared_ptr<Call>& call, int status, std::string_view type,
                          std::string_view error_class, std::string message, std::string_view param) {
  http::Response r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = error_body(message, type, param, status);
  call->error = Call::Error{status, std::string(error_class), std::move(message)};
  finish(call, std::move(r));
}

void RequestHandler::finish(const std::shared_ptr<Call>& call, http::Response response) {
  response.headers.push_back({"x-litellm-call-id", call->call_id});
  int status = response.status;
  call->response = std::move(response);
  metrics_.record(call->route.route, status, seconds_between(call->started, SteadyClock::now()));
  // The client is answered first and the record built afterwards, so logging never delays a
  // response; the record still needs the body, hence the copy (a memcpy, cheaper than a build).
  call->responder->respond(call->response);
  emit_record(*call);
}

void RequestHandler::emit_record(const Call& call) {
  payload::CallInfo info;
  info.call_id = call.call_id;
  info.call_type = call.route.type;
  info.request_body = call.request.body;
  info.request = call.summary ? &*call.summary : nullptr;
  info.stream = call.summary && call.summary->stream;
  info.client_api_key = client_key(call.request);
  info.requester_ip = call.request.remote_address;
  info.user_agent = call.request.header("user-agent");
  info.request_headers.reserve(call.request.headers.size());
  for (const auto& h : call.request.headers) info.request_headers.emplace_back(h.name, h.value);

  if (call.deployment != nullptr) {
    const auto& d = *call.deployment;
    info.model_group = d.model_name;
    info.model = d.upstream_model;
    info.model_id = d.id;
    info.custom_llm_provider = d.provider;
    info.api_base = d.mock_response ? std::string_view() : std::string_view(d.api_base);
    info.input_cost_per_token = d.input_cost_per_token;
    info.output_cost_per_token = d.output_cost_per_token;
  } else if (call.summary) {
    info.model_group = call.summary->model;
    info.model = call.summary->model;
  }

  std::optional<payload::ErrorInfo> error;
  std::string error_code;
  if (call.error) {
    error_code = std::to_string(call.error->status);
    payload::ErrorInfo e;
    e.http_status = call.error->status;
    e.error_class = call.error->error_class;
    e.error_code = error_code;
    e.message = call.error->message;
    e.llm_provider = info.custom_llm_provider;
    info.error = e;
  } else {
    info.response_body = call.response.body;
  }
  for (const auto& h : call.upstream_headers) info.response_headers.emplace_back(h.name, h.value);

  auto now = SteadyClock::now();
  info.start_time = call.start_epoch;
  info.end_time = call.start_epoch + seconds_between(call.started, now);
  double upstream_seconds = call.upstream_started == SteadyClock::time_point{}
                                ? 0
                                : seconds_between(call.upstream_started, call.upstream_finished);
  info.completion_start_time = info.end_time;
  info.overhead_ms = (seconds_between(call.started, now) - upstream_seconds) * 1000.0;

  dispatcher_.dispatch(builder_.build(info));
}

}  // namespace llmtap::gateway
