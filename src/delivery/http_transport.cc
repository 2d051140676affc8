#include "delivery/http_transport.h"

#include <utility>

namespace llmtap::delivery {

void HttpTransport::send(http::ClientRequest request, std::function<void(http::ClientResult)> done) {
  client_.send(std::move(request), std::move(done));
}

}  // namespace llmtap::delivery
