#include "delivery/durable_options.h"

#include <stdexcept>

namespace llmtap::delivery {

std::shared_ptr<SegmentLog> open_disk_buffer(const config::CallbackConfig& callback) {
  SegmentLogOptions options;
  options.dir = callback.buffer_path;
  options.segment_bytes = std::min(kSegmentBytes, std::max<std::size_t>(callback.buffer_max_bytes / 4, 4096));
  options.max_bytes = callback.buffer_max_bytes;
  options.fsync = callback.fsync;
  std::string error;
  std::shared_ptr<SegmentLog> log = SegmentLog::open(std::move(options), &error);
  if (!log) throw std::runtime_error("callback '" + callback.name + "': disk buffer " + error);
  return log;
}

PipelineOptions durable_pipeline_options(const config::CallbackConfig& callback) {
  PipelineOptions options;
  if (!callback.dead_letter_path.empty()) {
    options.dead_letter = std::make_shared<FileDeadLetterSink>(callback.dead_letter_path);
  }
  if (callback.buffer == config::BufferKind::disk) options.spool = open_disk_buffer(callback);
  return options;
}

}  // namespace llmtap::delivery
