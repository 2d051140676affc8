// HttpUpstreamTransport: the production UpstreamTransport, a thin forwarder to the gateway's one
// pooled http::Client. An adapter rather than http::Client implementing the interface itself:
// src/http knows nothing of the gateway (modules depend downwards only), and delivery's
// HttpTransport is the same shape for the same reason.
//
// Lifecycle: the client and the runtime must outlive it. Thread-safety: as http::Client.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "gateway/upstream_transport.h"
#include "http/client.h"
#include "http/runtime.h"

namespace llmtap::gateway {

class HttpUpstreamTransport final : public UpstreamTransport {
 public:
  HttpUpstreamTransport(http::Client& client, http::Runtime& runtime)
      : client_(client), runtime_(runtime) {}

  void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) override {
    client_.send(std::move(request), std::move(done));
  }
  void send_streaming(http::ClientRequest request, http::StreamCallbacks callbacks) override {
    client_.send_streaming(std::move(request), std::move(callbacks));
  }
  void after(std::chrono::milliseconds delay, std::function<void()> fn) override {
    // The timer lives in its own callback until that has run (destroying it would cancel it).
    std::shared_ptr<http::Timer> timer = runtime_.make_timer();
    timer->expire_after(delay, [timer, fn = std::move(fn)](bool cancelled) {
      if (!cancelled) fn();
    });
  }

 private:
  http::Client& client_;
  http::Runtime& runtime_;
};

}  // namespace llmtap::gateway
