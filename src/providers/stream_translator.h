// StreamTranslator: turns a provider's native stream, as its bytes arrive, into the OpenAI
// `chat.completion.chunk` server-sent events an OpenAI client reads — so the gateway relays a
// translated stream exactly as it relays an OpenAI-compatible one (gateway::StreamRelay: usage
// chunk dropped when the client did not ask for it, `data: [DONE]` remembered, an `error` event
// ending the stream as a failure).
//
// What a translator appends to `out`, per event: `data: <chunk JSON>\n\n`, the finishing chunk
// (empty delta and finish_reason), one usage-only chunk (`"choices":[]`, always: the relay drops
// it when the client did not ask), then `data: [DONE]\n\n` when the native stream ends normally;
// `data: {"error":{...}}\n\n` for a native error event. Native bytes that are not server-sent
// events (a JSON or HTML body answering the stream request) are appended unchanged, so the relay
// sees and reports them as it does for OpenAI upstreams.
//
// Memory is bounded: the event in progress (at most the splitter's limit, overflow() past it) and
// a fixed amount of state per stream, never the stream so far. Not thread-safe: one translator
// per stream, fed from one thread at a time. Sans-I/O.
#pragma once

#include <string>
#include <string_view>

#include "providers/upstream_error.h"

namespace llmtap::providers {

class StreamTranslator {
 public:
  virtual ~StreamTranslator() = default;

  // Appends to `out` what the complete native events in `piece` (with the bytes fed before)
  // translate to; an event split across pieces is translated once its last byte arrives.
  virtual void feed(std::string_view piece, std::string& out) = 0;
  // At the end of the upstream's bytes: an event left without its terminating blank line is
  // translated as if it had one.
  virtual void finish(std::string& out) = 0;
  // True once a native event grew past the size limit: nothing more can be translated and the
  // gateway ends the stream as a bad one.
  virtual bool overflow() const = 0;
  // Once a native error event was translated: what LiteLLM raises for it (status, OpenAI type,
  // exception class, message), which the error chunk's fields alone cannot carry; else null.
  virtual const UpstreamError* stream_error() const = 0;
};

}  // namespace llmtap::providers
