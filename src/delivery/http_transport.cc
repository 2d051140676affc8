#include "delivery/http_transport.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace llmtap::delivery {

http::ClientOptions HttpTransport::options_for(const config::CallbackConfig& callback) {
  http::ClientOptions options;
  options.tls.verify = callback.tls.verify;
  options.tls.ca_file = callback.tls.ca_file;
  options.tls.cert_file = callback.tls.cert_file;
  options.tls.key_file = callback.tls.key_file;
  return options;
}

HttpTransport::HttpTransport(http::Runtime& runtime, const config::CallbackConfig& callback)
    : client_(runtime, options_for(callback)) {
  if (!callback.tls.verify) {
    spdlog::warn(
        "callback {}: tls.verify is false: the endpoint's certificate and host name are NOT "
        "checked",
        callback.name);
  }
}

void HttpTransport::send(http::ClientRequest request,
                         std::function<void(http::ClientResult)> done) {
  client_.send(std::move(request), std::move(done));
}

}  // namespace llmtap::delivery
