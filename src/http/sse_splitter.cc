#include "http/sse_splitter.h"

namespace llmtap::http {

void SseSplitter::append(std::string_view piece) {
  if (overflow_) return;
  // Drop the events already handed out; what remains is the event in progress.
  if (event_start_ > 0) {
    buffer_.erase(0, event_start_);
    scan_ -= event_start_;
    event_start_ = 0;
  }
  buffer_.append(piece);
}

void SseSplitter::reset_event() {
  event_start_ = scan_;
  data_lines_ = 0;
  first_data_offset_ = 0;
  first_data_size_ = 0;
  has_fields_ = false;
  known_fields_ = false;
  joined_.clear();
}

bool SseSplitter::next(SseEvent& event) {
  if (overflow_) return false;
  const std::string_view all(buffer_);
  for (;;) {
    const std::size_t end = all.find_first_of("\r\n", scan_);
    if (end == std::string_view::npos) {
      if (all.size() - event_start_ > max_event_bytes_) overflow_ = true;
      return false;
    }
    std::size_t terminator = 1;
    if (all[end] == '\r') {
      // A CR at the very end may be the first half of a CRLF: wait for the next byte.
      if (end + 1 == all.size()) return false;
      if (all[end + 1] == '\n') terminator = 2;
    }
    const std::string_view line = all.substr(scan_, end - scan_);
    scan_ = end + terminator;

    if (line.empty()) {
      if (!has_fields_) {
        // Blank lines between events carry nothing; they are not events of their own.
        reset_event();
        continue;
      }
      event.raw = all.substr(event_start_, scan_ - event_start_);
      event.has_data = data_lines_ > 0;
      event.sse = known_fields_;
      if (data_lines_ > 1) {
        // The next event builds in joined_; the one handed out keeps its bytes in emitted_.
        emitted_.swap(joined_);
        event.data = emitted_;
      } else {
        event.data = all.substr(event_start_ + first_data_offset_, first_data_size_);
      }
      reset_event();
      return true;
    }
    has_fields_ = true;
    if (line.front() == ':') {  // a comment, e.g. a keep-alive
      known_fields_ = true;
      continue;
    }
    const std::size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    if (name == "event" || name == "id" || name == "retry") known_fields_ = true;
    if (name != "data") continue;  // event, id, retry: forwarded in raw, not needed here
    known_fields_ = true;
    std::string_view value =
        colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (data_lines_ == 0) {
      first_data_offset_ =
          value.empty() ? 0 : static_cast<std::size_t>(value.data() - all.data()) - event_start_;
      first_data_size_ = value.size();
    } else {
      if (data_lines_ == 1) {
        joined_.assign(all.substr(event_start_ + first_data_offset_, first_data_size_));
      }
      joined_.push_back('\n');
      joined_.append(value);
    }
    ++data_lines_;
  }
}

}  // namespace llmtap::http
