#include "delivery/request_sealer.h"

#include <stdexcept>
#include <string>

#include "delivery/compressor.h"

namespace llmtap::delivery {

RequestSealer::RequestSealer(const config::CallbackConfig& callback)
    : compression_(callback.compression) {
  if (!callback.signing_secret.empty()) {
    signer_ = WebhookSigner::from_secret(callback.signing_secret);
    if (!signer_) {
      throw std::invalid_argument("callback " + callback.name +
                                  ": signing_secret is not whsec_<base64>");
    }
  }
}

void RequestSealer::seal(http::ClientRequest& request, std::string_view id,
                         std::int64_t unix_seconds) const {
  if (signer_) {
    request.headers.push_back({"webhook-id", std::string(id)});
    request.headers.push_back({"webhook-timestamp", std::to_string(unix_seconds)});
    request.headers.push_back({"webhook-signature", signer_->sign(id, unix_seconds, request.body)});
  }
  if (compression_ == config::Compression::none) return;
  auto compressed = compress(compression_, request.body);
  if (!compressed) return;
  request.body = std::move(*compressed);
  request.headers.push_back({"Content-Encoding", std::string(content_encoding(compression_))});
}

}  // namespace llmtap::delivery
