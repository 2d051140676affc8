// Transport: how a Pipeline puts one encoded batch on the wire. HttpTransport (over http::Client)
// in production; a fake in tests, which is why this seam exists.
// Thread-safety: send() may be called from any thread; `done` runs exactly once, on any thread,
// never inside send() itself for HttpTransport (fakes may complete whenever the test says).
#pragma once

#include <functional>

#include "http/client_result.h"

namespace llmtap::delivery {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) = 0;
};

}  // namespace llmtap::delivery
