#include "delivery/encoder.h"

namespace llmtap::delivery {

std::string_view Encoder::content_type() const {
  return format_ == config::LogFormat::ndjson ? "application/x-ndjson" : "application/json";
}

std::size_t Encoder::encoded_size(std::span<const payload::Record> records) const {
  std::size_t size = 0;
  for (const auto& record : records) size += record.size();
  switch (format_) {
    case config::LogFormat::json_array:
      return size + 2 + (records.empty() ? 0 : records.size() - 1);
    case config::LogFormat::ndjson:
      return size + records.size();
    case config::LogFormat::single:
      return size;
  }
  return size;
}

std::string Encoder::encode(std::span<const payload::Record> records) const {
  std::string body;
  body.reserve(encoded_size(records));
  switch (format_) {
    case config::LogFormat::json_array:
      body.push_back('[');
      for (std::size_t i = 0; i < records.size(); ++i) {
        if (i > 0) body.push_back(',');
        body.append(records[i].bytes());
      }
      body.push_back(']');
      break;
    case config::LogFormat::ndjson:
      for (const auto& record : records) {
        body.append(record.bytes());
        body.push_back('\n');
      }
      break;
    case config::LogFormat::single:
      for (const auto& record : records) body.append(record.bytes());
      break;
  }
  return body;
}

}  // namespace llmtap::delivery
