// Record: one finished StandardLoggingPayload, serialized once into immutable JSON bytes that every
// callback shares (encoders concatenate these bytes; nothing re-serializes a record).
//
// A value type: cheap to copy (one shared_ptr and an inline id, no allocation), safe to read from
// any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "payload/call_id.h"

namespace llmtap::payload {

enum class RecordStatus { success, failure };

struct Record {
  std::shared_ptr<const std::string>
      json;  // one compact JSON object, valid UTF-8, no trailing newline
  RecordStatus status = RecordStatus::success;
  CallId call_id;  // litellm_call_id, for logs and the disk frame

  std::string_view bytes() const { return json ? std::string_view(*json) : std::string_view(); }
  std::size_t size() const { return json ? json->size() : 0; }
};

}  // namespace llmtap::payload
