// HttpTransport: the production Transport, one http::Client (its own keep-alive pool) per
// callback, so one endpoint's slow connections never hold another's requests.
// The callback's `tls` settings become the client's TLS options (CA file, client certificate for
// mutual TLS, verify); `verify: false` is logged as a warning when the transport is built.
// Lifecycle: owned by a Pipeline; the Runtime must outlive it. Thread-safety: as http::Client.
#pragma once

#include "config/config.h"
#include "delivery/transport.h"
#include "http/client.h"
#include "http/runtime.h"

namespace llmtap::delivery {

class HttpTransport final : public Transport {
 public:
  HttpTransport(http::Runtime& runtime, http::ClientOptions options)
      : client_(runtime, std::move(options)) {}
  // Throws std::runtime_error when the tls files cannot be loaded (start-up only).
  HttpTransport(http::Runtime& runtime, const config::CallbackConfig& callback);

  // The client options a callback's settings ask for.
  static http::ClientOptions options_for(const config::CallbackConfig& callback);

  void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) override;

 private:
  http::Client client_;
};

}  // namespace llmtap::delivery
