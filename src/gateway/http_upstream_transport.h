// HttpUpstreamTransport: the production UpstreamTransport, a thin forwarder to the gateway's one
// pooled http::Client. An adapter rather than http::Client implementing the interface itself:
// src/http knows nothing of the gateway (modules depend downwards only), and delivery's
// HttpTransport is the same shape for the same reason.
//
// Lifecycle: the client must outlive it. Thread-safety: as http::Client.
#pragma once

#include <functional>
#include <utility>

#include "gateway/upstream_transport.h"
#include "http/client.h"

namespace llmtap::gateway {

class HttpUpstreamTransport final : public UpstreamTransport {
 public:
  explicit HttpUpstreamTransport(http::Client& client) : client_(client) {}

  void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) override {
    client_.send(std::move(request), std::move(done));
  }
  void send_streaming(http::ClientRequest request, http::StreamCallbacks callbacks) override {
    client_.send_streaming(std::move(request), std::move(callbacks));
  }

 private:
  http::Client& client_;
};

}  // namespace llmtap::gateway
