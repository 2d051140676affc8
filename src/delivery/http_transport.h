// HttpTransport: the production Transport, one http::Client (its own keep-alive pool) per
// callback, so one endpoint's slow connections never hold another's requests.
// Lifecycle: owned by a Pipeline; the Runtime must outlive it. Thread-safety: as http::Client.
#pragma once

#include "delivery/transport.h"
#include "http/client.h"
#include "http/runtime.h"

namespace llmtap::delivery {

class HttpTransport final : public Transport {
 public:
  HttpTransport(http::Runtime& runtime, http::ClientOptions options) : client_(runtime, std::move(options)) {}
  void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) override;

 private:
  http::Client client_;
};

}  // namespace llmtap::delivery
