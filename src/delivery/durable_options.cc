#include "delivery/durable_options.h"

#include <stdexcept>

namespace llmtap::delivery {

std::shared_ptr<SegmentLog> open_disk_buffer(const config::CallbackConfig& callback) {
  SegmentLogOptions options;
  options.dir = callback.buffer_path;
  options.segment_bytes =
      std::min(kSegmentBytes, std::max<std::size_t>(callback.buffer_max_bytes / 4, 4096));
  options.max_bytes = callback.buffer_max_bytes;
  options.fsync = callback.fsync;
  options.file_ops = disk::file_ops_from_environment();
  auto log = SegmentLog::open(std::move(options));
  if (!log) {
    // The file and the system error are in the log line SegmentLog::open() wrote.
    throw std::runtime_error("callback '" + callback.name + "': disk buffer " +
                             callback.buffer_path + ": " + log.error().message());
  }
  return std::move(*log);
}

PipelineOptions durable_pipeline_options(const config::CallbackConfig& callback) {
  PipelineOptions options;
  if (!callback.dead_letter_path.empty()) {
    options.dead_letter = std::make_shared<FileDeadLetterSink>(callback.dead_letter_path);
  }
  if (callback.buffer == config::BufferKind::disk) options.disk_buffer = open_disk_buffer(callback);
  return options;
}

}  // namespace llmtap::delivery
