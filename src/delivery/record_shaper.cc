#include "delivery/record_shaper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "delivery/clickhouse_row.h"
#include "payload/json_writer.h"
#include "payload/record_truncator.h"

namespace llmtap::delivery {
namespace {

constexpr std::string_view kSplunkEvent = "\"event\":";

// Bytes the body adds around a lone record: `[` `]` for json_array, the newline for ndjson.
std::size_t format_overhead(config::LogFormat format) {
  switch (format) {
    case config::LogFormat::json_array:
      return 2;
    case config::LogFormat::ndjson:
      return 1;
    case config::LogFormat::single:
      return 0;
  }
  return 0;
}

}  // namespace

RecordShaper::RecordShaper(const config::CallbackConfig& callback)
    : envelope_(callback.envelope), callback_name_(callback.name) {
  for (const auto& [name, value] : callback.envelope_fields) {
    if (!fields_.empty()) fields_.push_back(',');
    fields_.push_back('"');
    payload::append_escaped(fields_, name);
    fields_.append("\":\"");
    payload::append_escaped(fields_, value);
    fields_.push_back('"');
  }
  const std::size_t overhead = format_overhead(callback.log_format);
  max_record_bytes_ = callback.max_batch_bytes > overhead ? callback.max_batch_bytes - overhead : 1;
  if (envelope_ == config::Envelope::datadog)
    max_record_bytes_ = std::min(max_record_bytes_, kDatadogMaxEntryBytes);
}

std::uint64_t RecordShaper::truncated() const { return truncated_.load(std::memory_order_relaxed); }

std::string RecordShaper::splunk_prefix(std::string_view record) const {
  std::string prefix = "{";
  // HEC's "time" is epoch seconds; the record's startTime is exactly that (absent: HEC uses now).
  if (auto time = payload::top_level_value(record, "startTime");
      time && !time->empty() && *time != "null") {
    prefix.append("\"time\":").append(*time).push_back(',');
  }
  if (!fields_.empty()) prefix.append(fields_).push_back(',');
  prefix.append(kSplunkEvent);
  return prefix;
}

std::size_t RecordShaper::overhead(std::string_view record) const {
  switch (envelope_) {
    case config::Envelope::none:
      return 0;
    case config::Envelope::splunk_hec:
      return splunk_prefix(record).size() + 1;
    case config::Envelope::datadog:
      return fields_.empty() ? 0 : fields_.size() + 1;
    case config::Envelope::clickhouse:
      return clickhouse_row(record).size() - record.size();
  }
  return 0;
}

std::string RecordShaper::wrap(std::string_view record) const {
  switch (envelope_) {
    case config::Envelope::none:
      return std::string(record);
    case config::Envelope::splunk_hec: {
      std::string out = splunk_prefix(record);
      out.reserve(out.size() + record.size() + 1);
      out.append(record).push_back('}');
      return out;
    }
    case config::Envelope::datadog: {
      if (fields_.empty() || record.size() < 2 || record.front() != '{') return std::string(record);
      std::string out;
      out.reserve(record.size() + fields_.size() + 1);
      out.push_back('{');
      out.append(fields_);
      // `{}` has no members to put a comma before.
      if (record.find_first_not_of(" \t\r\n", 1) != record.size() - 1) out.push_back(',');
      out.append(record.substr(1));
      return out;
    }
    case config::Envelope::clickhouse:
      return clickhouse_row(record);
  }
  return std::string(record);
}

payload::Record RecordShaper::shape(const payload::Record& record) const {
  const std::string_view bytes = record.bytes();
  if (envelope_ == config::Envelope::clickhouse) {  // the row is built once when it fits
    if (std::string row = clickhouse_row(bytes); row.size() <= max_record_bytes_) {
      payload::Record out = record;
      out.json = std::make_shared<const std::string>(std::move(row));
      return out;
    }
  }
  const std::size_t extra = overhead(bytes);
  if (extra == 0 && bytes.size() <= max_record_bytes_ && envelope_ == config::Envelope::none)
    return record;
  payload::Record out = record;
  if (bytes.size() + extra <= max_record_bytes_) {
    out.json = std::make_shared<const std::string>(wrap(bytes));
    return out;
  }
  const std::size_t limit = max_record_bytes_ > extra ? max_record_bytes_ - extra : 0;
  payload::Truncated cut = payload::truncate_record(bytes, limit);
  const std::uint64_t n = truncated_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (n == 1 ||
      n % 1000 == 0) {  // bounded logging: a stream of huge records must not flood the log
    spdlog::warn(
        "callback {}: record {} of {} bytes is over the {}-byte record limit (max_batch_bytes or "
        "the "
        "envelope's per-entry limit); truncated {} values to {} bytes{} ({} records truncated so "
        "far)",
        callback_name_, record.call_id.view(), bytes.size(), max_record_bytes_, cut.cut_values,
        cut.json.size() + extra, cut.fits ? "" : " (still over the limit)", n);
  }
  out.json = std::make_shared<const std::string>(wrap(cut.json));
  return out;
}

}  // namespace llmtap::delivery
