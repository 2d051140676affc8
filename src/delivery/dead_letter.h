// DeadLetterSink: where a batch goes when the Pipeline gives up on it (a 3xx/4xx answer, a bad
// URL, or a retry budget spent). Today the only sink logs the batch's key, size, status and a body
// excerpt (LoggingDeadLetterSink); the dead-letter store of spec §6 plugs in here later, which is
// why the whole Batch is handed over.
// Thread-safety: store() is called from runtime threads, concurrently for different batches.
#pragma once

#include <string>

#include "delivery/batcher.h"

namespace llmtap::delivery {

struct RejectInfo {
  int status = 0;               // HTTP status, 0 when no response came
  std::string reason;           // "HTTP 400", "timeout: … (retry budget of 300s spent …)"
  std::string body_excerpt;     // start of the response body, printable
  bool budget_exhausted = false;
};

class DeadLetterSink {
 public:
  virtual ~DeadLetterSink() = default;
  virtual void store(const std::string& callback, const Batch& batch, const RejectInfo& info) = 0;
};

class LoggingDeadLetterSink final : public DeadLetterSink {
 public:
  void store(const std::string& callback, const Batch& batch, const RejectInfo& info) override;
};

}  // namespace llmtap::delivery
