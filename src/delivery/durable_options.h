// durable_pipeline_options(): the PipelineOptions a callback's durability keys ask for — the disk
// buffer (buffer: disk → an open SegmentLog at buffer_path) and the dead-letter store
// (dead_letter_path → FileDeadLetterSink, else log only). Used by `serve` and `replay`.
// Start-up only: throws std::runtime_error when the buffer cannot be opened (folder not
// writable, locked by another llmtap process, or a segment that cannot be read — recovery never
// deletes what it could not read; the file is named in the error log).
#pragma once

#include "config/config.h"
#include "delivery/pipeline.h"

namespace llmtap::delivery {

// The segment size of every disk buffer: small enough that a delivered segment is freed soon,
// large enough that rolling (one open/create) is rare on the request path.
inline constexpr std::size_t kSegmentBytes = 16 * 1024 * 1024;

PipelineOptions durable_pipeline_options(const config::CallbackConfig& callback);

// The callback's disk buffer opened on its own (replay of a stopped server's buffer); throws like
// durable_pipeline_options().
std::shared_ptr<SegmentLog> open_disk_buffer(const config::CallbackConfig& callback);

}  // namespace llmtap::delivery
