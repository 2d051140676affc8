// Records over literal JSON, and the callback the disk-buffer tests drive, for the delivery tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "config/config.h"
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

// An ndjson callback to an endpoint nobody dials (the tests' transport is a fake), one request in
// flight, a 1 s flush and an hour of retries, holding `window_records` in memory.
inline config::CallbackConfig durable_callback(
    std::size_t batch_size,
    std::size_t window_records = config::CallbackConfig{}.max_queue_records) {
  config::CallbackConfig cb;
  cb.name = "durable";
  cb.endpoint = "http://127.0.0.1:9/logs";
  cb.log_format = config::LogFormat::ndjson;
  cb.batch_size = batch_size;
  cb.flush_interval = std::chrono::seconds(1);
  cb.max_in_flight = 1;
  cb.max_queue_records = window_records;
  cb.max_retry_time = std::chrono::seconds(3600);
  return cb;
}

}  // namespace llmtap::delivery
