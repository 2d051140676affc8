// SseSplitter: cuts a server-sent-events byte stream into events as the bytes arrive. Pieces from
// the network are not aligned to events (an event may span pieces, a piece may hold several), so
// the splitter keeps the bytes of the event in progress and hands out each event once its
// terminating blank line has arrived — with its exact bytes (to forward unchanged) and its data
// (the `data:` lines joined by '\n', to read).
//
// Lines end in LF, CRLF or a lone CR (the SSE grammar). Comments (`: ping`) and other fields are
// kept in the event's raw bytes but contribute no data. An event larger than the limit stops the
// splitter (overflow()), so a peer that never sends a blank line cannot grow memory without bound.
//
// Usage: append(piece); while (next(event)) {...}. Views in an SseEvent are valid until the next
// append(). Not thread-safe: one splitter per stream, used from one thread at a time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace llmtap::http {

struct SseEvent {
  std::string_view raw;   // every byte of the event, its terminating blank line included
  std::string_view data;  // the data lines' values joined by '\n' (empty when there were none)
  bool has_data = false;  // at least one `data` line (a comment-only keep-alive has none)
  // At least one line SSE defines: a comment or a data/event/id/retry field. An "event" made only
  // of other lines is not SSE at all (an HTML page, a JSON body sent to a stream request).
  bool sse = false;
};

class SseSplitter {
 public:
  static constexpr std::size_t kDefaultMaxEventBytes = 1024 * 1024;

  explicit SseSplitter(std::size_t max_event_bytes = kDefaultMaxEventBytes)
      : max_event_bytes_(max_event_bytes) {}

  // Adds bytes from the stream. Invalidates the views of events handed out before.
  void append(std::string_view piece);
  // The next complete event, if one is buffered.
  bool next(SseEvent& event);
  // True once an event grew past the limit; the stream cannot be split any further.
  bool overflow() const { return overflow_; }
  // Bytes of the event in progress (an incomplete tail at end of stream is discarded by SSE rules).
  std::size_t pending_bytes() const { return buffer_.size() - event_start_; }

 private:
  void reset_event();

  std::size_t max_event_bytes_;
  std::string buffer_;
  std::size_t event_start_ = 0;  // first byte of the event in progress
  std::size_t scan_ = 0;         // first byte of the next line not yet looked at
  // The event in progress: its first data value (offset from event_start_, length), and, once a
  // second data line arrives, the joined values.
  std::size_t data_lines_ = 0;
  std::size_t first_data_offset_ = 0;
  std::size_t first_data_size_ = 0;
  bool has_fields_ = false;
  bool known_fields_ = false;
  std::string joined_;
  std::string emitted_;  // joined data of the last event handed out
  bool overflow_ = false;
};

}  // namespace llmtap::http
