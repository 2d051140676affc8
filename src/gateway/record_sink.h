// RecordSink: what RequestHandler needs from log delivery — somewhere to hand each finished call's
// Record, whether anyone receives records at all (a gateway without callbacks builds none), and
// delivery's counters for GET /metrics. DispatcherRecordSink (over delivery::Dispatcher) in
// production; a fake that keeps the records in the handler's unit tests, which is why this seam
// exists.
//
// Thread-safety: every method may be called from any thread; dispatch() must not block on I/O,
// as it runs on the request's thread after the client was answered.
#pragma once

#include <string>

#include "payload/record.h"

namespace llmtap::gateway {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void dispatch(const payload::Record& record) = 0;
  // False when no callback is configured: the handler then skips building records.
  virtual bool wants_records() const = 0;
  // Prometheus text exposition of delivery's counters (may be empty).
  virtual std::string metrics_text() const = 0;
};

}  // namespace llmtap::gateway
