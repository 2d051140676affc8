// A payload::Record over literal JSON, for the delivery tests.
#pragma once

#include <memory>
#include <string>

#include "payload/record.h"

namespace llmtap::delivery {

inline payload::Record record(std::string json,
                              payload::RecordStatus status = payload::RecordStatus::success) {
  payload::Record r;
  r.json = std::make_shared<const std::string>(std::move(json));
  r.status = status;
  return r;
}

// Record number `i`: `{"n":i}` with call id `call-i`, for tests that count records through.
inline payload::Record record(int i) {
  payload::Record r;
  r.json = std::make_shared<const std::string>("{\"n\":" + std::to_string(i) + "}");
  r.call_id = "call-" + std::to_string(i);
  return r;
}

}  // namespace llmtap::delivery
