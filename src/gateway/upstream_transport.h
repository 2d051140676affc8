// UpstreamTransport: how RequestHandler puts one call on the wire to a deployment's upstream,
// whole or streamed. HttpUpstreamTransport (over http::Client) in production; a fake in the
// handler's unit tests, which is why this seam exists — it lets every answer, failure and stream
// ending of an upstream be scripted without sockets.
//
// The contract is http::Client's: `done` (or StreamCallbacks::on_done) exactly once; a stream's
// on_head, on_data and on_done one after another, never at the same time. Completions may come on
// any thread, later or — for a fake — inside the call itself; the handler copes with both.
// Thread-safety: send(), send_streaming() and after() may be called from any thread.
#pragma once

#include <chrono>
#include <functional>

#include "http/client.h"
#include "http/client_result.h"

namespace llmtap::gateway {

class UpstreamTransport {
 public:
  virtual ~UpstreamTransport() = default;
  // Sends `request`; `done` gets the whole answer (any status) or how the exchange failed.
  virtual void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) = 0;
  // Sends `request` and delivers the answer's body piece by piece (http::StreamCallbacks).
  virtual void send_streaming(http::ClientRequest request, http::StreamCallbacks callbacks) = 0;
  // Runs `fn` once `delay` has passed (a backed-off retry waits with it), on a runtime thread; a
  // fake runs it when the test says. Not run at all once the runtime has stopped.
  virtual void after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
};

}  // namespace llmtap::gateway
