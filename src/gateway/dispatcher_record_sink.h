// DispatcherRecordSink: the production RecordSink, forwarding to delivery::Dispatcher (one
// pipeline per configured callback). An adapter rather than the Dispatcher implementing the
// interface itself: delivery knows nothing of the gateway that feeds it.
//
// Lifecycle: the dispatcher must outlive it. Thread-safety: as delivery::Dispatcher.
#pragma once

#include <string>

#include "delivery/dispatcher.h"
#include "gateway/record_sink.h"

namespace llmtap::gateway {

class DispatcherRecordSink final : public RecordSink {
 public:
  explicit DispatcherRecordSink(delivery::Dispatcher& dispatcher) : dispatcher_(dispatcher) {}

  void dispatch(const payload::Record& record) override { dispatcher_.dispatch(record); }
  bool wants_records() const override { return dispatcher_.pipeline_count() != 0; }
  std::string metrics_text() const override { return dispatcher_.metrics_text(); }

 private:
  delivery::Dispatcher& dispatcher_;
};

}  // namespace llmtap::gateway
