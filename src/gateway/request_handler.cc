#include "gateway/request_handler.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <variant>

#include "base/ascii.h"
#include "delivery/retry.h"
#include "gateway/aws_request_signing.h"
#include "gateway/key_mask.h"
#include "gateway/message_redaction.h"
#include "gateway/openai_json.h"
#include "gateway/request_routing.h"
#include "gateway/stream_outcome.h"
#include "gateway/stream_relay.h"
#include "gateway/upstream_api.h"
#include "gateway/upstream_body.h"
#include "gateway/upstream_outcome.h"
#include "gateway/upstream_url.h"
#include "payload/call_id.h"
#include "payload/call_info.h"
#include "payload/json_writer.h"
#include "payload/request_summary.h"
#include "providers/upstream_error.h"
#include "router/failure.h"
#include "router/wildcard.h"

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

// The routes that are LLM calls; each path is also what is appended to a deployment's api_base.
constexpr RouteInfo kLlmRoutes[] = {
    {Route::chat_completions, payload::CallType::completion, "/chat/completions"},
    {Route::completions, payload::CallType::text_completion, "/completions"},
    {Route::embeddings, payload::CallType::embedding, "/embeddings"},
};

// LiteLLM's proxy serves each route with and without the /v1 prefix (and /openai/… for
// Azure-style clients, which llmtap leaves out: it serves Azure deployments, not Azure's paths).
RouteInfo classify(std::string_view path) {
  if (path.starts_with("/v1/")) path.remove_prefix(3);
  for (const RouteInfo& llm : kLlmRoutes) {
    if (path == llm.upstream_suffix) return llm;
  }
  if (path == "/models") return {Route::models, {}, {}};
  if (path == "/health/liveliness" || path == "/health/liveness" || path == "/health/readiness" ||
      path == "/health")
    return {Route::health, {}, {}};
  if (path == "/metrics") return {Route::metrics, {}, {}};
  return {};
}

// The bearer token a client authenticated with, from any header LiteLLM's proxy accepts.
std::string_view client_key(const http::Request& request) {
  std::string_view auth = request.header("authorization");
  if (auth.size() > 7 && ascii::iequals(auth.substr(0, 7), "bearer ")) return auth.substr(7);
  if (auto key = request.header("x-litellm-api-key"); !key.empty()) {
    if (key.size() > 7 && ascii::iequals(key.substr(0, 7), "bearer ")) return key.substr(7);
    return key;
  }
  if (auto key = request.header("api-key"); !key.empty()) return key;
  return {};
}

// The header that carries a deployment's key upstream.
http::Header auth_header(config::UpstreamAuth auth, const std::string& key) {
  switch (auth) {
    case config::UpstreamAuth::api_key_header:
      return {"api-key", key};
    case config::UpstreamAuth::x_api_key:
      return {"x-api-key", key};
    case config::UpstreamAuth::x_goog_api_key:
      return {"x-goog-api-key", key};
    case config::UpstreamAuth::aws_sigv4:               // signed instead (aws_request_signing.h)
    case config::UpstreamAuth::google_service_account:  // an access token instead
    case config::UpstreamAuth::bearer:
      break;
  }
  return {"Authorization", "Bearer " + key};
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Upstream error bodies of streamed requests are collected piece by piece; beyond this the rest
// is not needed for the client's error or the record.
constexpr std::size_t kMaxErrorBodyBytes = 64 * 1024;
// The partial content quoted in a broken stream's error_str.
constexpr std::size_t kMaxPartialExcerpt = 512;
// LiteLLM's DEFAULT_ANTHROPIC_CHAT_MAX_TOKENS, for a model the price map does not know.
constexpr std::int64_t kDefaultMaxTokens = 4096;

// The model groups of the router's deployments, as the attempt planner sees them.
router::Topology topology_of(const Router& routes) {
  router::Topology topology;
  const auto& deployments = routes.deployments();
  topology.num_retries.reserve(deployments.size());
  topology.weights.reserve(deployments.size());
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    topology.groups[deployments[i].model_name].push_back(i);
    topology.num_retries.push_back(deployments[i].num_retries);
    topology.weights.push_back({deployments[i].weight, deployments[i].rpm, deployments[i].tpm});
  }
  return topology;
}

std::vector<router::Health::DeploymentFacts> health_facts_of(const router::Topology& topology,
                                                             const Router& routes) {
  const auto& deployments = routes.deployments();
  std::vector<router::Health::DeploymentFacts> facts(deployments.size());
  for (const auto& [group, members] : topology.groups) {
    for (std::size_t i : members) facts[i].group_size = members.size();
  }
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    facts[i].cooldown_time = deployments[i].cooldown_time;
  }
  return facts;
}

// "12.345": milliseconds to the microsecond, without fmt's general formatting on every answer.
std::string milliseconds_text(double ms) {
  std::array<char, 32> text{};
  const auto [end, ec] =
      std::to_chars(text.data(), text.data() + text.size(), ms, std::chars_format::fixed, 3);
  return ec == std::errc() ? std::string(text.data(), end) : std::string("0");
}

// The router's randomness (which deployment, the backoff's jitter): the per-thread generator.
std::uint64_t router_random() { return payload::thread_random(); }

}  // namespace

struct RequestHandler::Call {
  http::Request request;
  std::shared_ptr<http::Responder> responder;
  RouteInfo route;
  payload::CallId call_id = payload::new_call_id();
  double start_epoch = epoch_seconds();
  SteadyClock::time_point started = SteadyClock::now();
  // Retries and fallbacks (router/attempt_plan.h); absent until the model is known.
  std::optional<router::AttemptPlan> plan;
  router::AttemptPlan::Attempt attempt;  // the attempt in flight
  bool final_answer = false;             // no further attempt: this outcome is the client's
  // The attempt's own start (its record's startTime); the request's for the first.
  double attempt_start_epoch = start_epoch;
  SteadyClock::time_point attempt_started = started;

  // The attempt in flight; reset_attempt() clears these for the next one.
  bool local_failure = false;  // refused by llmtap before any upstream call
  // A wildcard deployment's model filled in for this request; `deployment` points into it.
  std::shared_ptr<const ConcreteDeployment> concrete;
  SteadyClock::time_point upstream_started{};
  SteadyClock::time_point upstream_finished{};

  std::optional<payload::RequestSummary> summary;
  std::string request_tags;  // the record's request_tags; summary->tags_raw points here
  const config::Deployment* deployment = nullptr;
  http::Response response;         // what the client got
  http::Headers upstream_headers;  // what the upstream answered with (for additional_headers)
  bool success = false;

  // Streams only. The relay exists once the client's stream has begun; before that an upstream
  // error answer is collected in upstream_error_body and answered like a non-streamed one.
  std::unique_ptr<StreamRelay> relay;
  // A translated API's stream: the translator turns its events into OpenAI chunks, collected in
  // `translated` (reused for every piece) and fed to the relay.
  std::unique_ptr<providers::StreamTranslator> translator;
  std::string translated;
  bool json_mode = false;          // a translated request asked for JSON through a tool
  bool base64_embeddings = false;  // embeddings to be answered as base64 (encoding_format)
  std::vector<providers::bedrock::RenamedTool> renamed_tools;  // the request's renamed tools
  // The URL the call went to (the handler's, lives as long as it); empty until forwarded.
  std::string_view upstream_url;
  int upstream_status = 0;
  std::string upstream_error_body;
  std::optional<double> completion_start;
  struct Error {
    int status = 500;
    std::string error_class;
    std::string message;
  };
  std::optional<Error> error;
  // A whole 2xx answer, read (and validated) once before the client got it; the record uses it.
  std::optional<payload::ResponseFacts> response_facts;
};

// Clears what one attempt left in the call, so the next one starts as the first did.
void RequestHandler::reset_attempt(Call& call) {
  call.local_failure = false;
  call.upstream_started = {};
  call.upstream_finished = {};
  call.deployment = nullptr;
  call.concrete.reset();
  call.response = {};
  call.upstream_headers.clear();
  call.success = false;
  call.translator.reset();
  call.translated.clear();
  call.json_mode = false;
  call.base64_embeddings = false;
  call.renamed_tools.clear();
  call.upstream_url = {};
  call.upstream_status = 0;
  call.upstream_error_body.clear();
  call.completion_start.reset();
  call.error.reset();
  call.response_facts.reset();
}

// LiteLLM answers a translated call with its own id, "chatcmpl-<uuid>" (the call id here).
std::string RequestHandler::answer_id(const Call& call) {
  return fmt::format("chatcmpl-{}", call.call_id.view());
}

bool RequestHandler::redacts(const Call& call) const {
  return redact_messages(builder_.redacts_messages_by_default(), call.request,
                         call.summary ? &*call.summary : nullptr);
}

payload::ResponseReadOptions RequestHandler::response_read_options(const Call& call) const {
  return {call.route.type == payload::CallType::embedding, redacts(call)};
}

RequestHandler::RequestHandler(const config::Config& config, UpstreamTransport& upstream,
                               const payload::RecordBuilder& builder, RecordSink& records)
    : router_(config),
      router_settings_(config.router),
      topology_(topology_of(router_)),
      health_(router_settings_, health_facts_of(topology_, router_)),
      deployment_metrics_(router_.deployments()),
      master_key_(config.master_key),
      upstream_(upstream),
      builder_(builder),
      records_(records) {
  std::unordered_map<std::string, std::shared_ptr<GoogleTokenSource>> token_sources;
  for (const config::Deployment& d : router_.deployments()) {
    std::shared_ptr<GoogleTokenSource> tokens;
    if (d.auth == config::UpstreamAuth::google_service_account) {
      std::shared_ptr<GoogleTokenSource>& shared = token_sources[d.vertex.credentials_json];
      if (!shared || !d.vertex.credentials_problem.empty()) {
        shared = std::make_shared<GoogleTokenSource>(
            d.vertex.credentials_json, d.vertex.credentials_problem, upstream_, d.timeout);
      }
      tokens = shared;
    }
    upstreams_[&d] = forwarding_for(d, std::move(tokens));
  }
}

RequestHandler::DeploymentUpstream RequestHandler::forwarding_for(
    const config::Deployment& d, std::shared_ptr<GoogleTokenSource> tokens) const {
  DeploymentUpstream forwarding;
  forwarding.default_max_tokens = kDefaultMaxTokens;
  for (const RouteInfo& llm : kLlmRoutes) {
    if (!serves(d.api, llm.type)) continue;
    const auto at = static_cast<std::size_t>(llm.route);
    for (const bool stream : {false, true}) {
      RouteUpstream& route = (stream ? forwarding.streamed : forwarding.whole)[at];
      route.url = upstream_url(d, llm.upstream_suffix, stream);
      // nullptr when api_base is no URL: such a request then fails as the client's bad_url.
      route.target = http::make_target(route.url);
    }
  }
  const payload::PriceMap* prices = builder_.prices();
  const payload::ModelPrice* price =
      prices != nullptr ? prices->find(d.provider, d.upstream_model) : nullptr;
  if (price != nullptr && price->max_output_tokens > 0) {
    forwarding.default_max_tokens = price->max_output_tokens;
  }
  forwarding.record_provider = record_provider(d, price);
  forwarding.google_tokens = std::move(tokens);
  return forwarding;
}

std::shared_ptr<const RequestHandler::ConcreteDeployment> RequestHandler::concrete_deployment(
    std::size_t index, std::string_view requested) {
  const config::Deployment& wildcard = router_.deployments()[index];
  const std::optional<std::vector<std::string_view>> captures =
      router::match_wildcard(wildcard.model_name, requested);
  // A fallback hop into a wildcard group the name does not match: every `*` is the whole name.
  const std::vector<std::string_view> whole{requested};
  const std::string model = router::fill_wildcard(wildcard.model, captures ? *captures : whole);
  const std::lock_guard lock(wildcard_mutex_);
  auto key = std::make_pair(index, model);
  if (auto found = wildcard_cache_.find(key); found != wildcard_cache_.end()) return found->second;
  auto concrete = std::make_shared<ConcreteDeployment>();
  concrete->deployment = wildcard;
  concrete->deployment.model = model;
  // The provider prefix stays the wildcard deployment's; the rest is the model sent upstream.
  const std::size_t slash = model.find('/');
  concrete->deployment.upstream_model =
      slash == std::string::npos || model.substr(0, slash) != wildcard.provider
          ? model
          : model.substr(slash + 1);
  const auto template_forwarding = upstreams_.find(&wildcard);
  concrete->forwarding =
      forwarding_for(concrete->deployment, template_forwarding != upstreams_.end()
                                               ? template_forwarding->second.google_tokens
                                               : nullptr);
  // Bounded: names are the clients' to choose. Past the bound each call makes its own.
  if (wildcard_cache_.size() < kMaxWildcardDeployments) wildcard_cache_.emplace(key, concrete);
  return concrete;
}

const RequestHandler::DeploymentUpstream* RequestHandler::forwarding_of(const Call& call) const {
  if (call.concrete) return &call.concrete->forwarding;
  if (auto found = upstreams_.find(call.deployment); found != upstreams_.end()) {
    return &found->second;
  }
  return nullptr;
}

std::string_view RequestHandler::record_provider_of(const Call& call) const {
  if (const DeploymentUpstream* forwarding = forwarding_of(call)) {
    return forwarding->record_provider;
  }
  return call.deployment->provider;
}

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
    metrics_.record(call->route.route, r.status,
                    seconds_between(call->started, SteadyClock::now()));
    call->responder->respond(std::move(r));
  };

  switch (call->route.route) {
    case Route::not_found:
      return answer(
          json_response(404, error_body(fmt::format("no route for {} {}", req.method, req.path()),
                                        "invalid_request_error", {}, 404)));
    case Route::health: {
      if (req.path().ends_with("readiness")) {
        bool draining = draining_.load();
        return answer(json_response(draining ? 503 : 200, draining ? R"({"status":"draining"})"
                                                                   : R"({"status":"healthy"})"));
      }
      return answer(json_response(200, R"("I'm alive!")"));
    }
    case Route::metrics: {
      http::Response r;
      r.headers.push_back({"Content-Type", "text/plain; version=0.0.4"});
      r.body = records_.metrics_text();
      metrics_.append_text(r.body);
      deployment_metrics_.append_text(r.body, health_, SteadyClock::now());
      if (server_ != nullptr) {
        append_server_text({server_->handler_exceptions(), server_->tls_handshake_failures()},
                           r.body);
      }
      return answer(std::move(r));
    }
    case Route::models: {
      if (!authorized(req)) {
        return answer(json_response(
            401,
            error_body("Authentication Error: invalid or missing API key", "auth_error", {}, 401)));
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
    return answer(json_response(
        405, error_body("method not allowed; use POST", "invalid_request_error", {}, 405)));
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
  auto parsed = payload::parse_request(call->request.body, call->route.type);
  if (!parsed) {
    return fail(call, 400, "invalid_request_error", "BadRequestError", parsed.error().message,
                parsed.error().param);
  }
  call->summary = std::move(*parsed);
  set_request_tags(*call);
  const auto picked = router_.pick(call->summary->model, payload::thread_random());
  std::string_view group;
  if (picked) {
    group = (*picked)->model_name;
  } else if (picked.error() == errc::unknown_model) {
    group = router_.wildcard_group(call->summary->model);
  }
  if (group.empty()) {
    const bool unknown = picked.error() == errc::unknown_model;
    return fail(call, unknown ? 404 : 400, "invalid_request_error",
                unknown ? "NotFoundError" : "BadRequestError",
                router_.error_message(picked.error(), call->summary->model), "model");
  }
  call->plan.emplace(topology_, router_settings_, health_,
                     request_routing(group, call->summary->litellm_parameters));
  // The request's arrival is "now" enough for the router's clock (cooldowns are seconds long).
  take_step(call, call->plan->first(call->started, router_random()));
}

void RequestHandler::take_step(const std::shared_ptr<Call>& call, router::AttemptPlan::Step step) {
  if (auto* none = std::get_if<router::AttemptPlan::NoDeployments>(&step)) {
    // LiteLLM's RouterRateLimitError, which its proxy answers with 429.
    call->final_answer = true;
    const auto seconds =
        std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(none->retry_in).count());
    std::string message = fmt::format(
        "No deployments available for selected model, Try again in {} seconds. Passed model={}. "
        "Every deployment of '{}' is cooling down after failures.",
        seconds, call->summary->model, none->group);
    http::Response r;
    r.status = 429;
    r.headers.push_back({"Content-Type", "application/json"});
    r.headers.push_back({"Retry-After", std::to_string(seconds)});
    r.body = error_body(message, "rate_limit_error", {}, 429);
    call->error = Call::Error{429, "RateLimitError", std::move(message)};
    return finish(call, std::move(r));
  }
  auto* attempt = std::get_if<router::AttemptPlan::Attempt>(&step);
  if (attempt == nullptr) return;  // GiveUp is never a first step; after a failure it is seen there
  call->attempt = *attempt;
  const config::Deployment& chosen = router_.deployments()[attempt->deployment];
  if (router::is_wildcard(chosen.model_name)) {
    call->concrete = concrete_deployment(attempt->deployment, call->summary->model);
    call->deployment = &call->concrete->deployment;
  } else {
    call->deployment = &chosen;
  }
  if (attempt->wait.count() <= 0) return start_attempt(call);
  auto self = shared_from_this();
  upstream_.after(attempt->wait, [self, call] { self->start_attempt(call); });
}

void RequestHandler::start_attempt(std::shared_ptr<Call> call) {
  if (call->attempt.number > 1) {
    call->attempt_start_epoch = epoch_seconds();
    call->attempt_started = SteadyClock::now();
  }
  const bool stream = call->summary->stream && call->route.type != payload::CallType::embedding;
  if (stream && call->deployment->mock_response) return stream_mock(std::move(call));
  if (call->deployment->mock_response) {
    http::Response r;
    r.headers.push_back({"Content-Type", "application/json"});
    r.body =
        mock_response_body(call->route.type, call->summary->model, *call->deployment->mock_response,
                           call->call_id, static_cast<std::int64_t>(call->start_epoch));
    call->success = true;
    return finish(call, std::move(r));
  }
  forward_upstream(std::move(call));
}

// LiteLLM's request_tags add the x-litellm-tags header (or the body's top-level tags) and the
// User-Agent to metadata.tags.
void RequestHandler::set_request_tags(Call& call) {
  payload::RequestSummary& summary = *call.summary;
  std::string_view body_tags;
  for (const auto& [key, value] : summary.litellm_parameters) {
    if (key == "tags") body_tags = value;
  }
  call.request_tags =
      payload::request_tags_json(summary.tags_raw, body_tags, call.request.header("x-litellm-tags"),
                                 call.request.header("user-agent"));
  summary.tags_raw = call.request_tags;
}

void RequestHandler::forward_upstream(std::shared_ptr<Call> call) {
  const config::Deployment& d = *call->deployment;
  const payload::RequestSummary& s = *call->summary;
  if (!serves(d.api, call->route.type)) {
    // LiteLLM answers such a call with a 400 naming the provider; it is logged as a failure.
    call->local_failure = true;
    return fail(call, 400, "invalid_request_error", "BadRequestError",
                fmt::format("provider '{}' does not serve {} calls; model '{}' is deployment '{}'",
                            d.provider, payload::to_string(call->route.type), s.model, d.model),
                "model");
  }
  const DeploymentUpstream* upstream = forwarding_of(*call);
  const bool stream = s.stream && call->route.type != payload::CallType::embedding;
  http::ClientRequest up;
  up.method = "POST";
  if (upstream != nullptr) {
    const RouteUpstream& route =
        (stream ? upstream->streamed
                : upstream->whole)[static_cast<std::size_t>(call->route.route)];
    up.target = route.target;
    call->upstream_url = route.url;
  }
  if (!up.target) up.url = upstream_url(d, call->route.upstream_suffix, stream);
  up.timeout = d.timeout;
  if (d.api == config::UpstreamApi::openai) {
    up.headers.reserve(2);
    up.headers.push_back({"Content-Type", "application/json"});
    if (!d.api_key.empty()) up.headers.push_back(auth_header(d.auth, d.api_key));
    // The client names the public model; the upstream wants its own name (Azure's deployments
    // form ignores it: the URL names the deployment). A stream also asks for usage (for the
    // record) when the client did not. The rest goes upstream byte for byte.
    up.body = upstream_body(call->request.body, s, d.upstream_model, stream);
  } else {
    auto translated =
        translate_request(d, record_provider_of(*call), s, call->route.type, stream,
                          upstream != nullptr ? upstream->default_max_tokens : kDefaultMaxTokens);
    if (!translated) {
      call->local_failure = true;
      return fail(call, 400, "invalid_request_error", translated.error().error_class,
                  std::move(translated.error().message), translated.error().param);
    }
    up.headers = std::move(translated->headers);
    call->json_mode = translated->json_mode;
    call->base64_embeddings = translated->base64_embeddings;
    call->renamed_tools = std::move(translated->renamed_tools);
    up.body = std::move(translated->body);
    if (d.auth == config::UpstreamAuth::aws_sigv4 && up.target) {
      sign_aws_request(d.aws, *up.target, up.headers, up.body, std::chrono::system_clock::now());
    }
  }
  if (upstream != nullptr && upstream->google_tokens) {
    auto self = shared_from_this();
    return upstream->google_tokens->with_token(
        [self, call, up = std::move(up), stream](GoogleTokenSource::TokenResult token) mutable {
          if (!token) {
            // LiteLLM's catch-all for a credentials failure: an APIConnectionError (500).
            return self->fail(call, 500, "api_error", "APIConnectionError",
                              "VertexAIException - " + token.error(), {});
          }
          up.headers.push_back({"Authorization", "Bearer " + *token});
          self->send_upstream(std::move(call), std::move(up), stream);
        });
  }
  send_upstream(std::move(call), std::move(up), stream);
}

void RequestHandler::send_upstream(std::shared_ptr<Call> call, http::ClientRequest up,
                                   bool stream) {
  if (stream) return forward_stream(std::move(call), std::move(up));

  call->upstream_started = SteadyClock::now();
  auto self = shared_from_this();
  upstream_.send(std::move(up), [self, call](http::ClientResult result) {
    self->answer_upstream(call, std::move(result));
  });
}

void RequestHandler::answer_upstream(const std::shared_ptr<Call>& call, http::ClientResult result) {
  call->upstream_finished = SteadyClock::now();
  const config::Deployment& dep = *call->deployment;
  if (!result.ok()) return fail_exchange(call, result);
  http::Response& answer = result.response;
  call->upstream_headers = std::move(answer.headers);
  const bool translated = dep.api != config::UpstreamApi::openai;
  if (answer.status < 200 || answer.status >= 300) {
    return answer_upstream_error(call, answer.status, std::move(answer.body));
  }
  if (translated) {
    auto openai = translate_answer(
        dep.api, answer.body,
        {answer_id(*call), static_cast<std::int64_t>(call->start_epoch), dep.upstream_model,
         call->json_mode, call->route.type, call->base64_embeddings, call->renamed_tools});
    if (!openai) {
      std::string message =
          fmt::format("upstream {} answered {} with no {} answer: {}", dep.api_base, answer.status,
                      dep.provider, openai.error().message);
      mask_key(message, dep.api_key);
      return fail(call, 502, "api_error", "APIError", std::move(message));
    }
    answer.body = std::move(*openai);
  }
  // A 2xx whose body is not a JSON object (an HTML page from a proxy, a body cut short) is no
  // answer: the client gets a clear 502 instead of bytes its SDK cannot parse, and the record is
  // a failure, as LiteLLM logs one when the provider's answer does not parse. One validating
  // walk of the record's copy of the body answers both questions: is it an answer, and what
  // does the record say about it (id, usage…).
  call->response.body = answer.body;
  const payload::ResponseFacts& facts = call->response_facts.emplace(
      payload::read_response(call->response.body, response_read_options(*call)));
  if (!facts.valid || facts.repaired) {
    constexpr std::size_t kMaxBodyExcerpt = 200;
    std::string message = fmt::format(
        "upstream {} answered {} with invalid JSON ({}, {} bytes); body starts: {}", dep.api_base,
        answer.status, facts.repaired ? std::string_view("invalid UTF-8") : facts.problem,
        answer.body.size(), std::string_view(answer.body).substr(0, kMaxBodyExcerpt));
    mask_key(message, dep.api_key);
    call->response_facts.reset();
    call->response.body.clear();
    return fail(call, 502, "api_error", "APIError", std::move(message));
  }
  call->success = true;
  http::Response r;
  r.status = answer.status;
  r.headers.reserve(12);  // this, finish()'s x-litellm-call-id and the routing headers
  std::string_view content_type =
      translated ? std::string_view() : http::find_header(call->upstream_headers, "content-type");
  r.headers.push_back(
      {"Content-Type", content_type.empty() ? "application/json" : std::string(content_type)});
  r.body = std::move(answer.body);
  finish(call, std::move(r));
}

void RequestHandler::begin_relay(Call& call) {
  StreamRelayOptions options;
  options.type = call.route.type;
  options.forward_usage = call.summary->include_usage;
  options.mask_key = call.deployment->api_key;
  call.relay = std::make_unique<StreamRelay>(call.responder, options, epoch_seconds);
  http::Headers headers{{"Content-Type", "text/event-stream"},
                        {"Cache-Control", "no-cache"},
                        {"x-litellm-call-id", std::string(call.call_id.view())}};
  add_routing_headers(call, headers, SteadyClock::now());
  call.responder->begin_stream(200, std::move(headers));
}

void RequestHandler::forward_stream(std::shared_ptr<Call> call, http::ClientRequest up) {
  call->upstream_started = SteadyClock::now();
  auto self = shared_from_this();
  // The exchange's callbacks run one after the other on its strand, so they share `call` freely.
  http::StreamCallbacks callbacks;
  callbacks.on_head = [self, call](int status, const http::Headers& headers) {
    call->upstream_status = status;
    call->upstream_headers = headers;
    if (status < 200 || status >= 300) return;
    self->begin_relay(*call);
    const config::Deployment& d = *call->deployment;
    if (d.api != config::UpstreamApi::openai) {
      call->translator = make_stream_translator(
          d.api, answer_id(*call), static_cast<std::int64_t>(call->start_epoch), d.upstream_model,
          call->json_mode, std::move(call->renamed_tools));
    }
  };
  callbacks.on_data = [call](std::string_view data) {
    if (call->translator) {
      call->translated.clear();
      call->translator->feed(data, call->translated);
      if (call->translator->overflow()) return false;
      return call->relay->feed(call->translated) == StreamRelay::Stop::none;
    }
    if (call->relay) return call->relay->feed(data) == StreamRelay::Stop::none;
    std::string& body = call->upstream_error_body;
    body.append(data.substr(0, kMaxErrorBodyBytes - std::min(kMaxErrorBodyBytes, body.size())));
    return body.size() < kMaxErrorBodyBytes;
  };
  callbacks.on_done = [self, call](http::ClientResult result) {
    self->end_upstream_stream(call, std::move(result));
  };
  upstream_.send_streaming(std::move(up), std::move(callbacks));
}

void RequestHandler::end_upstream_stream(const std::shared_ptr<Call>& call,
                                         http::ClientResult result) {
  call->upstream_finished = SteadyClock::now();
  const config::Deployment& dep = *call->deployment;
  if (!call->relay) {
    // Nothing came back: the same answers as a non-streamed call.
    if (call->upstream_status == 0) return fail_exchange(call, result);
    return answer_upstream_error(call, call->upstream_status, std::move(call->upstream_error_body));
  }

  StreamRelay& relay = *call->relay;
  const bool translator_overflow = call->translator && call->translator->overflow();
  if (result.ok() && call->translator && !translator_overflow) {
    call->translated.clear();
    call->translator->finish(call->translated);
    relay.feed(call->translated);
  }
  if (result.ok()) relay.flush_tail();
  StreamEnd end;
  end.api_base = dep.api_base;
  end.timeout = dep.timeout;
  end.translated = call->translator != nullptr;
  end.exchange_ok = result.ok();
  end.exchange_error = result.error;
  end.exchange_message = result.error_message;
  end.stop = translator_overflow ? StreamRelay::Stop::bad_stream : relay.stop_reason();
  end.done_seen = relay.done_seen();
  end.error_raw = relay.assembler().error_raw();
  end.translated_error = call->translator ? call->translator->stream_error() : nullptr;
  end.chunks = relay.assembler().chunks();
  end.non_sse_bytes = relay.non_sse_bytes();
  end.non_sse_excerpt = relay.non_sse_excerpt();
  end.max_event_bytes = http::SseSplitter::kDefaultMaxEventBytes;
  std::optional<StreamFailure> failure = stream_failure(end);
  if (!failure) return finish_stream(call, nullptr);
  mask_key(failure->message, dep.api_key);
  finish_stream(call, &*failure);
}

void RequestHandler::stream_mock(std::shared_ptr<Call> call) {
  auto events = std::make_shared<const std::vector<std::string>>(
      mock_stream_events(call->route.type, call->summary->model, *call->deployment->mock_response,
                         call->call_id, static_cast<std::int64_t>(call->start_epoch)));
  begin_relay(*call);
  write_mock_event(std::move(call), std::move(events), 0);
}

// One event at a time, each once the previous is on the wire, so the client sees a real stream
// and a client that goes away stops the chain.
void RequestHandler::write_mock_event(std::shared_ptr<Call> call,
                                      std::shared_ptr<const std::vector<std::string>> events,
                                      std::size_t next) {
  if (next == events->size()) return finish_stream(call, nullptr);
  auto self = shared_from_this();
  StreamRelay& relay = *call->relay;
  relay.feed((*events)[next], [self, call, events, next](bool ok) {
    if (ok) return self->write_mock_event(call, events, next + 1);
    StreamFailure failure{kClientClosedRequest, "client_disconnected", "ClientDisconnected",
                          "the client disconnected mid-stream"};
    self->finish_stream(call, &failure);
  });
}

void RequestHandler::finish_stream(const std::shared_ptr<Call>& call, const StreamFailure* error) {
  count_stream_outcome(*call, error);
  StreamRelay& relay = *call->relay;
  call->completion_start = relay.first_chunk_time();
  const StreamAssembler& assembled = relay.assembler();
  int status = 200;
  if (error == nullptr) {
    relay.end();
    call->success = true;
    call->response.body = assembled.response_json();
  } else {
    status = error->status;
    relay.fail(error_body(error->message, error->type, {}, error->status));
    // The tokens seen so far go in the failure record; its response stays {} (README "The record").
    std::string message = fmt::format("{}; {} chunks received, {} content bytes", error->message,
                                      assembled.chunks(), assembled.content_bytes());
    if (assembled.has_usage())
      fmt::format_to(std::back_inserter(message), ", usage {}", assembled.usage_raw());
    if (assembled.content_bytes() > 0) {
      fmt::format_to(std::back_inserter(message), ", partial content: \"{}\"",
                     assembled.content_excerpt(kMaxPartialExcerpt));
    }
    call->error = Call::Error{error->status, std::string(error->error_class), std::move(message)};
  }
  metrics_.record(call->route.route, status, seconds_between(call->started, SteadyClock::now()));
  emit_record(*call);
}

void RequestHandler::answer_upstream_error(const std::shared_ptr<Call>& call, int status,
                                           std::string body) {
  const config::Deployment& dep = *call->deployment;
  mask_key(body, dep.api_key);
  UpstreamErrorAnswer answer =
      upstream_error_answer(dep.api, record_provider_of(*call), status, std::move(body),
                            http::find_header(call->upstream_headers, "content-type"));
  call->error = Call::Error{answer.error.status, std::move(answer.error.error_class),
                            std::move(answer.error.message)};
  finish(call, std::move(answer.response));
}

void RequestHandler::fail_exchange(const std::shared_ptr<Call>& call,
                                   const http::ClientResult& result) {
  const config::Deployment& dep = *call->deployment;
  providers::UpstreamError failure =
      exchange_failure(dep.api_base, dep.timeout, result.error, result.error_message);
  fail(call, failure.status, failure.type, failure.error_class, std::move(failure.message));
}

void RequestHandler::fail(const std::shared_ptr<Call>& call, int status, std::string_view type,
                          std::string_view error_class, std::string message,
                          std::string_view param) {
  http::Response r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = error_body(message, type, param, status);
  call->error = Call::Error{status, std::string(error_class), std::move(message)};
  finish(call, std::move(r));
}

// A wildcard hop's group is the name the client sent (LiteLLM's model_group there), else the
// deployment's model_name.
std::string_view RequestHandler::model_group_of(const Call& call) {
  if (call.concrete) return call.summary->model;
  return call.deployment->model_name;
}

// LiteLLM's x-litellm-* headers: which deployment and group answered, at which base, how many
// retries and fallback hops it took (x-litellm-max-retries only once a retry was made, as LiteLLM
// adds it), the version, and the request's duration with llmtap's share of it.
void RequestHandler::add_routing_headers(const Call& call, http::Headers& headers,
                                         std::chrono::steady_clock::time_point now) {
  if (call.deployment == nullptr || !call.plan) return;
  const config::Deployment& d = *call.deployment;
  std::string_view api_base = record_api_base(d, call.upstream_url);
  api_base = api_base.substr(0, api_base.find('?'));
  headers.push_back({"x-litellm-model-id", d.id});
  headers.push_back({"x-litellm-model-group", std::string(model_group_of(call))});
  if (!api_base.empty()) headers.push_back({"x-litellm-model-api-base", std::string(api_base)});
  const int retries = call.plan->attempted_retries();
  headers.push_back({"x-litellm-attempted-retries", std::to_string(retries)});
  if (retries > 0) {
    headers.push_back({"x-litellm-max-retries", std::to_string(call.plan->max_retries())});
  }
  headers.push_back({"x-litellm-attempted-fallbacks", std::to_string(call.plan->fallback_depth())});
  headers.push_back({"x-litellm-version", LLMTAP_VERSION});
  // Request in to answer out, and the part of it that was not the answering upstream's.
  const double total_ms = seconds_between(call.started, now) * 1000.0;
  const SteadyClock::time_point upstream_end =
      call.upstream_finished == SteadyClock::time_point{} ? now : call.upstream_finished;
  const double upstream_ms = call.upstream_started == SteadyClock::time_point{}
                                 ? 0
                                 : seconds_between(call.upstream_started, upstream_end) * 1000.0;
  headers.push_back({"x-litellm-response-duration-ms", milliseconds_text(total_ms)});
  headers.push_back(
      {"x-litellm-overhead-duration-ms", milliseconds_text(std::max(0.0, total_ms - upstream_ms))});
}

bool RequestHandler::next_attempt(const std::shared_ptr<Call>& call) {
  const Call::Error& error = *call->error;
  router::AttemptFailure failure;
  failure.status = error.status;
  failure.kind = call->local_failure ? router::FailureKind::local
                                     : router::classify_failure(error.status, error.error_class);
  if (auto value = http::find_header(call->upstream_headers, "retry-after"); !value.empty()) {
    if (auto delay = delivery::parse_retry_after(value, std::chrono::system_clock::now())) {
      failure.retry_after = std::chrono::ceil<std::chrono::milliseconds>(*delay);
    }
  }
  count_attempt(*call, false);
  router::AttemptPlan::Step step =
      call->plan->after_failure(failure, SteadyClock::now(), router_random());
  const auto* attempt = std::get_if<router::AttemptPlan::Attempt>(&step);
  // While shutting down a backed-off retry would outlast the drain (its timer never fires once
  // the runtime stops, and the call would end without an answer or a record): this failure is
  // the answer instead.
  const bool too_late = attempt != nullptr && attempt->wait.count() > 0 && draining_.load();
  if (std::holds_alternative<router::AttemptPlan::GiveUp>(step) || too_late) {
    call->final_answer = true;
    return false;
  }
  // The failed attempt is logged now, as LiteLLM logs every attempt; the client waits for the
  // next one.
  call->response.status = error.status;
  emit_record(*call, false);
  reset_attempt(*call);
  if (std::holds_alternative<router::AttemptPlan::NoDeployments>(step)) {
    call->attempt.number = call->plan->attempts() + 1;
  }
  take_step(call, step);
  return true;
}

void RequestHandler::count_attempt(const Call& call, bool success) {
  if (call.deployment == nullptr || !call.plan) return;
  deployment_metrics_.on_attempt(call.attempt.deployment, success, call.attempt.retry > 0,
                                 call.attempt.fallback_depth > 0 && call.attempt.retry == 0);
}

void RequestHandler::count_stream_outcome(Call& call, const StreamFailure* error) {
  if (!call.plan) return;
  count_attempt(call, error == nullptr);
  if (error == nullptr) {
    call.plan->after_success(SteadyClock::now());
  } else if (error->status != kClientClosedRequest) {
    // Too late for another attempt (the client has part of this one), not for the cooldown.
    router::AttemptFailure failure{router::classify_failure(error->status, error->error_class),
                                   error->status, std::nullopt};
    health_.on_failure(call.attempt.deployment, failure, SteadyClock::now());
  }
}

void RequestHandler::finish(const std::shared_ptr<Call>& call, http::Response response) {
  if (call->plan && !call->final_answer) {
    if (call->error && next_attempt(call)) return;
  }
  const SteadyClock::time_point now = SteadyClock::now();
  if (call->plan && !call->error) {
    count_attempt(*call, true);
    call->plan->after_success(now);
  }
  response.headers.push_back({"x-litellm-call-id", std::string(call->call_id.view())});
  add_routing_headers(*call, response.headers, now);
  int status = response.status;
  metrics_.record(call->route.route, status, seconds_between(call->started, now));
  // The client is answered first and the record built afterwards, so logging never delays a
  // response. The record needs the body only: it keeps a copy (one memcpy), the headers move.
  call->response.status = status;
  if (!call->response_facts) call->response.body = response.body;  // else copied when it was read
  call->responder->respond(std::move(response));
  emit_record(*call);
}

void RequestHandler::emit_record(const Call& call, bool final) {
  // Nobody to send it to: a gateway without callbacks does not pay for building records.
  if (!records_.wants_records()) return;
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
    info.model_group = model_group_of(call);
    // LiteLLM's reconstruct_model_name logs Bedrock calls under the deployment's model as written
    // (bedrock/us.anthropic.claude-…): the prefix is added back for Bedrock only.
    info.model = d.api == config::UpstreamApi::bedrock ? d.model : d.upstream_model;
    info.price_model = d.upstream_model;
    info.model_id = d.id;
    info.custom_llm_provider = record_provider_of(call);
    info.api_base = record_api_base(d, call.upstream_url);
    info.input_cost_per_token = d.input_cost_per_token;
    info.output_cost_per_token = d.output_cost_per_token;
  } else if (call.summary) {
    info.model_group = call.summary->model;
    info.model = call.summary->model;
  }

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
    info.response_facts = call.response_facts ? &*call.response_facts : nullptr;
  }
  info.response_headers.reserve(call.upstream_headers.size());
  for (const auto& h : call.upstream_headers) info.response_headers.emplace_back(h.name, h.value);
  if (call.deployment != nullptr && call.deployment->api != config::UpstreamApi::openai) {
    for (const auto& h : call.upstream_headers) {
      if (auto alias = openai_header_name(call.deployment->api, h.name); !alias.empty()) {
        info.response_headers.emplace_back(alias, h.value);
      }
    }
  }

  info.attempt = {call.attempt.number, call.attempt.fallback_depth, final};

  auto now = SteadyClock::now();
  info.start_time = call.attempt_start_epoch;
  info.end_time = call.attempt_start_epoch + seconds_between(call.attempt_started, now);
  double upstream_seconds = call.upstream_started == SteadyClock::time_point{}
                                ? 0
                                : seconds_between(call.upstream_started, call.upstream_finished);
  info.completion_start_time = call.completion_start.value_or(info.end_time);
  info.overhead_ms = (seconds_between(call.attempt_started, now) - upstream_seconds) * 1000.0;

  records_.dispatch(builder_.build(info, redacts(call)));
}

}  // namespace llmtap::gateway
