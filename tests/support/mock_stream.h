// What every mock upstream does the same way when it answers: write a stream's events one at a
// time, and answer after a delay. The OpenAI, Anthropic and Gemini mocks share these.
//
// Thread-safety: call from a runtime thread; the writer and the timer keep themselves alive
// until they are done.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/runtime.h"
#include "http/server.h"

namespace llmtap::test {

// Writes `events` one after the other, each once the previous is on the wire (and `drip`
// later), so each goes out as its own chunk the way a real model streams tokens, then ends the
// stream. With `cut_after`, the responder is dropped after that many events: the connection
// closes with the stream unfinished. The stream must have begun (begin_stream).
void write_events(http::Runtime& runtime, std::shared_ptr<http::Responder> responder,
                  std::vector<std::string> events, std::chrono::milliseconds drip,
                  std::optional<std::size_t> cut_after = std::nullopt);

// Runs `answer` now when `delay` is not positive, else on a runtime timer `delay` later.
void answer_after(http::Runtime& runtime, std::chrono::milliseconds delay,
                  std::function<void()> answer);

}  // namespace llmtap::test
