// RecordBuilder: turns a CallInfo into a Record (LiteLLM's StandardLoggingPayload, README "The
// record"), writing the JSON once. Raw request/response slices (messages, response) are copied as
// the exact bytes received after a UTF-8 check; only the few fields the record needs are read out.
//
// Immutable after construction; build() is const and safe to call from many threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "payload/call_info.h"
#include "payload/price_map.h"
#include "payload/record.h"

namespace llmtap::payload {

struct BuilderOptions {
  bool turn_off_message_logging = false;     // replace message/response content with a marker
  std::vector<std::string> excluded_fields;  // top-level keys removed from every record
  std::shared_ptr<const PriceMap> prices;    // may be null: then only deployment prices apply
};

class RecordBuilder {
 public:
  explicit RecordBuilder(BuilderOptions options);
  Record build(const CallInfo& call) const;
  // The same with this call's own redaction decision instead of turn_off_message_logging (LiteLLM
  // lets a request switch it on or off: headers or a body parameter, decided by the gateway).
  Record build(const CallInfo& call, bool redact_messages) const;
  bool redacts_messages_by_default() const { return options_.turn_off_message_logging; }
  const PriceMap* prices() const { return options_.prices.get(); }

 private:
  BuilderOptions options_;
};

}  // namespace llmtap::payload
