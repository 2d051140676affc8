// RequestHandler: the gateway's routes (README "HTTP API"). Authenticates, parses the request
// once, picks a deployment, answers locally (mock_response) or forwards upstream over pooled
// connections, sends the answer back, and only then builds the call's Record and hands it to the
// Dispatcher — so a log endpoint never delays a client.
//
// Lifecycle: built once at start-up from the resolved Config; handle() is called by http::Server
// for every request. Thread-safety: handle() runs concurrently on the runtime's threads; the
// handler's own state is immutable apart from atomic counters.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "gateway/route_metrics.h"
#include "gateway/router.h"
#include "http/client.h"
#include "http/server.h"
#include "payload/record_builder.h"

namespace llmtap::delivery {
class Dispatcher;
}

namespace llmtap::gateway {

class RequestHandler : public std::enable_shared_from_this<RequestHandler> {
 public:
  RequestHandler(const config::Config& config, http::Client& upstream,
                 const payload::RecordBuilder& builder, delivery::Dispatcher& dispatcher);

  void handle(http::Request request, std::shared_ptr<http::Responder> responder);

  // Once draining, readiness answers 503 so load balancers stop sending new work.
  void set_draining() { draining_.store(true); }
  // The server whose own counters GET /metrics reports; set once, before it listens.
  void set_server(const http::Server& server) { server_ = &server; }

 private:
  struct Call;
  void handle_llm_call(std::shared_ptr<Call> call);
  static void set_request_tags(Call& call);
  void forward_upstream(std::shared_ptr<Call> call);
  // Streams (stream: true): the upstream's SSE relayed event by event, or a mock answer as SSE.
  void forward_stream(std::shared_ptr<Call> call, http::ClientRequest upstream_request);
  void end_upstream_stream(const std::shared_ptr<Call>& call, http::ClientResult result);
  void stream_mock(std::shared_ptr<Call> call);
  void write_mock_event(std::shared_ptr<Call> call,
                        std::shared_ptr<const std::vector<std::string>> events, std::size_t next);
  void begin_relay(Call& call);
  struct StreamError;
  void finish_stream(const std::shared_ptr<Call>& call, const StreamError* error);
  void finish(const std::shared_ptr<Call>& call, http::Response response);
  void fail(const std::shared_ptr<Call>& call, int status, std::string_view type,
            std::string_view error_class, std::string message, std::string_view param = {});
  void emit_record(const Call& call);
  bool redacts(const Call& call) const;  // turn_off_message_logging, or this request's own choice
  payload::ResponseReadOptions response_read_options(const Call& call) const;
  bool authorized(const http::Request& request) const;

  Router router_;
  // Each deployment's upstream URL per LLM route, parsed once here instead of on every request.
  using UpstreamTargets = std::array<std::shared_ptr<const http::Target>, kRouteNames.size()>;
  std::unordered_map<const config::Deployment*, UpstreamTargets> upstream_targets_;
  std::string master_key_;
  http::Client& upstream_;
  const payload::RecordBuilder& builder_;
  delivery::Dispatcher& dispatcher_;
  RouteMetrics metrics_;
  std::atomic<bool> draining_{false};
  const http::Server* server_ = nullptr;
};

}  // namespace llmtap::gateway
