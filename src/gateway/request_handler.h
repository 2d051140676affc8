// RequestHandler: the gateway's routes (README "HTTP API"). Authenticates, parses the request
// once, picks a deployment, answers locally (mock_response) or forwards upstream over pooled
// connections (UpstreamTransport), sends the answer back, and only then builds the call's Record
// and hands it to the RecordSink — so a log endpoint never delays a client. Both are seams: the
// production ones wrap http::Client and delivery::Dispatcher, unit tests pass fakes.
//
// Lifecycle: built once at start-up from the resolved Config; handle() is called by http::Server
// for every request. Thread-safety: handle() runs concurrently on the runtime's threads; the
// handler's own state is immutable apart from atomic counters.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "gateway/deployment_metrics.h"
#include "gateway/google_token_source.h"
#include "gateway/record_sink.h"
#include "gateway/route_metrics.h"
#include "gateway/router.h"
#include "gateway/stream_outcome.h"
#include "gateway/upstream_transport.h"
#include "http/client_result.h"
#include "http/server.h"
#include "http/url.h"
#include "payload/record_builder.h"
#include "router/attempt_plan.h"
#include "router/health.h"

namespace llmtap::gateway {

class RequestHandler : public std::enable_shared_from_this<RequestHandler> {
 public:
  // `upstream`, `builder` and `records` must outlive the handler and every call in flight.
  RequestHandler(const config::Config& config, UpstreamTransport& upstream,
                 const payload::RecordBuilder& builder, RecordSink& records);

  void handle(http::Request request, std::shared_ptr<http::Responder> responder);

  // Once draining, readiness answers 503 so load balancers stop sending new work.
  void set_draining() { draining_.store(true); }
  // The server whose own counters GET /metrics reports; set once, before it listens.
  void set_server(const http::Server& server) { server_ = &server; }

 private:
  struct Call;
  void handle_llm_call(std::shared_ptr<Call> call);
  static void set_request_tags(Call& call);
  // Takes the router's next step: an attempt (now, or after its wait), or LiteLLM's 429 when
  // every deployment is cooling down.
  void take_step(const std::shared_ptr<Call>& call, router::AttemptPlan::Step step);
  void start_attempt(std::shared_ptr<Call> call);
  static void reset_attempt(Call& call);
  static void add_routing_headers(const Call& call, http::Headers& headers,
                                  std::chrono::steady_clock::time_point now);
  static std::string_view model_group_of(const Call& call);
  // After a failed attempt: true when the router goes on (another attempt, or the 429 of a
  // group with every deployment cooling) and this attempt's record is logged; false when this
  // failure is the answer.
  bool next_attempt(const std::shared_ptr<Call>& call);
  // The stream's outcome counted in the deployment's health once the client's stream began.
  void count_stream_outcome(Call& call, const StreamFailure* error);
  // The attempt's outcome in the per-deployment metrics.
  void count_attempt(const Call& call, bool success);
  void forward_upstream(std::shared_ptr<Call> call);
  // Sends the built request (after a Vertex deployment's access token is added to it).
  void send_upstream(std::shared_ptr<Call> call, http::ClientRequest up, bool stream);
  // The answer of a non-streamed upstream call, translated first when the API is not OpenAI's.
  void answer_upstream(const std::shared_ptr<Call>& call, http::ClientResult result);
  // Streams (stream: true): the upstream's SSE relayed event by event, or a mock answer as SSE.
  void forward_stream(std::shared_ptr<Call> call, http::ClientRequest upstream_request);
  void end_upstream_stream(const std::shared_ptr<Call>& call, http::ClientResult result);
  void stream_mock(std::shared_ptr<Call> call);
  void write_mock_event(std::shared_ptr<Call> call,
                        std::shared_ptr<const std::vector<std::string>> events, std::size_t next);
  void begin_relay(Call& call);
  void finish_stream(const std::shared_ptr<Call>& call, const StreamFailure* error);
  void finish(const std::shared_ptr<Call>& call, http::Response response);
  void fail(const std::shared_ptr<Call>& call, int status, std::string_view type,
            std::string_view error_class, std::string message, std::string_view param = {});
  // `final`: the outcome the client got (false for a failed attempt that was retried or fell back).
  void emit_record(const Call& call, bool final = true);
  // An upstream's error status: passed through (OpenAI-compatible) or translated.
  void answer_upstream_error(const std::shared_ptr<Call>& call, int status, std::string body);
  // The upstream exchange failed before any answer: 504 on a timeout, else 502.
  void fail_exchange(const std::shared_ptr<Call>& call, const http::ClientResult& result);
  static std::string answer_id(const Call& call);
  bool redacts(const Call& call) const;  // turn_off_message_logging, or this request's own choice
  payload::ResponseReadOptions response_read_options(const Call& call) const;
  bool authorized(const http::Request& request) const;
  // The records' custom_llm_provider of the call's deployment (record_provider()).
  std::string_view record_provider_of(const Call& call) const;

  Router router_;
  config::RouterSettings router_settings_;
  router::Topology topology_;
  router::Health health_;
  DeploymentMetrics deployment_metrics_;
  // Per deployment, what forwarding needs and is worked out once here instead of on every
  // request: the upstream URL per LLM route, whole and streamed (Gemini streams elsewhere; the
  // target is null where the deployment's API has no such route or its api_base is no URL), and
  // the max_tokens a translated request gets when the client names none (LiteLLM sends the
  // model's max output tokens, else 4096).
  struct RouteUpstream {
    std::string url;  // also what a translated API's record reports as api_base
    std::shared_ptr<const http::Target> target;
  };
  using UpstreamRoutes = std::array<RouteUpstream, kRouteNames.size()>;
  struct DeploymentUpstream {
    UpstreamRoutes whole;
    UpstreamRoutes streamed;
    std::int64_t default_max_tokens = 0;
    std::string_view record_provider;  // the records' custom_llm_provider (record_provider())
    // Vertex AI: the access tokens of the deployment's service account (shared by the
    // deployments with the same key).
    std::shared_ptr<GoogleTokenSource> google_tokens;
  };
  std::unordered_map<const config::Deployment*, DeploymentUpstream> upstreams_;
  DeploymentUpstream forwarding_for(const config::Deployment& d,
                                    std::shared_ptr<GoogleTokenSource> tokens) const;
  // What the call's deployment forwards with: its own (upstreams_) or its concrete one's.
  const DeploymentUpstream* forwarding_of(const Call& call) const;

  // Wildcard model names (README "Wildcard model names"): a wildcard deployment with its model
  // filled in for one requested name, with its forwarding worked out as at start-up; cached per
  // deployment and model, up to kMaxWildcardDeployments.
  struct ConcreteDeployment {
    config::Deployment deployment;
    DeploymentUpstream forwarding;
  };
  static constexpr std::size_t kMaxWildcardDeployments = 1024;
  std::shared_ptr<const ConcreteDeployment> concrete_deployment(std::size_t index,
                                                                std::string_view requested);
  std::mutex wildcard_mutex_;
  std::map<std::pair<std::size_t, std::string>, std::shared_ptr<const ConcreteDeployment>>
      wildcard_cache_;  // guarded by wildcard_mutex_
  std::string master_key_;
  UpstreamTransport& upstream_;
  const payload::RecordBuilder& builder_;
  RecordSink& records_;
  RouteMetrics metrics_;
  std::atomic<bool> draining_{false};
  const http::Server* server_ = nullptr;
};

}  // namespace llmtap::gateway
