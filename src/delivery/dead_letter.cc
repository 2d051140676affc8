#include "delivery/dead_letter.h"

#include <spdlog/spdlog.h>

namespace llmtap::delivery {

void LoggingDeadLetterSink::store(const std::string& callback, const Batch& batch, const RejectInfo& info) {
  spdlog::error("callback {}: gave up on batch {} ({} records, {} bytes): {}; response body: '{}'", callback,
                batch.idempotency_key, batch.records.size(), batch.record_bytes, info.reason, info.body_excerpt);
}

}  // namespace llmtap::delivery
