// RecordShaper: what a callback does to each record before it is queued — wraps it in the
// callback's envelope and, when it would not fit max_batch_bytes on its own, truncates it
// (payload/record_truncator.h) — so the Batcher's size accounting and the Encoder's
// concatenation stay exact and never see an oversized record.
//
// Envelopes (bytes spliced around the record; the record itself is never re-serialized):
//   splunk_hec  {"time":<startTime>,<fields>,"event":<record>}   (Splunk HTTP Event Collector)
//   datadog     {<fields>,<record's members>}                    (Datadog logs intake: ddsource,
//               service, ddtags, hostname sit beside the record's attributes)
// where <fields> are the callback's envelope_fields as JSON strings.
//
// Besides max_batch_bytes, an envelope may carry its platform's limit on one entry: Datadog's
// intake takes no log over 1 MB (kDatadogMaxEntryBytes), so a bigger one is truncated here, field
// by field, instead of being cut or refused there.
//
// The common case (no envelope, record fits) returns the same shared bytes: no copy.
// Lifecycle: built once per pipeline. Thread-safety: const; safe from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"
#include "payload/record.h"

namespace llmtap::delivery {

// Datadog logs intake: the largest single log entry (enveloped, uncompressed) it accepts whole.
inline constexpr std::size_t kDatadogMaxEntryBytes = 1000 * 1000;

class RecordShaper {
 public:
  explicit RecordShaper(const config::CallbackConfig& callback);

  // The record as it will be batched: enveloped, and at most max_record_bytes() long when possible.
  payload::Record shape(const payload::Record& record) const;

  // The largest record that still makes a body within max_batch_bytes on its own, and no more than
  // the envelope's per-entry limit (kDatadogMaxEntryBytes for datadog).
  std::size_t max_record_bytes() const { return max_record_bytes_; }
  // Records truncated so far (for logs and tests).
  std::uint64_t truncated() const;

 private:
  std::string wrap(std::string_view record) const;
  // Bytes wrap() adds around `record`.
  std::size_t overhead(std::string_view record) const;
  std::string splunk_prefix(std::string_view record) const;

  config::Envelope envelope_;
  std::string fields_;  // `"k":"v","k2":"v2"`, escaped once
  std::size_t max_record_bytes_;
  std::string callback_name_;
  mutable std::atomic<std::uint64_t> truncated_{0};
};

}  // namespace llmtap::delivery
