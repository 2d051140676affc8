#include "providers/gemini/stream_translator.h"

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json_escape.h"
#include "http/sse_splitter.h"
#include "payload/json_scanner.h"
#include "payload/json_writer.h"
#include "providers/finish_reason.h"
#include "providers/gemini/errors.h"
#include "providers/gemini/usage.h"
#include "providers/json/chat_chunk_writer.h"
#include "providers/json/ondemand_read.h"
#include "providers/json/padded_ondemand_parser.h"

namespace llmtap::providers::gemini {
namespace {

namespace od = simdjson::ondemand;

// Events are read in one forward pass (json/ondemand_read.h says why).

bool read_usage(od::object object, Usage& usage) {
  usage = Usage{};  // cumulative: each usageMetadata is the whole count so far
  return for_each_member(object, [&](std::string_view key, od::value value) {
    if (key == "promptTokenCount") return read_count(value, usage.prompt_token_count);
    if (key == "candidatesTokenCount") return read_count(value, usage.candidates_token_count);
    if (key == "totalTokenCount") return read_count(value, usage.total_token_count);
    if (key == "cachedContentTokenCount") {
      return read_count(value, usage.cached_content_token_count);
    }
    if (key == "thoughtsTokenCount") return read_count(value, usage.thoughts_token_count);
    return true;
  });
}

// The parsers an event is read with, one per thread (json/padded_ondemand_parser.h).
struct EventParser {
  PaddedOndemandParser events;
  simdjson::dom::parser arguments;  // one functionCall's args at a time, to print them compact
};

EventParser& event_parser() {
  thread_local EventParser parser;
  return parser;
}

// What one event says, gathered in one pass. Views point into the parser's buffers; the
// delta's pieces are appended to the translator's per-event scratch strings.
struct Event {
  bool has_candidates = false;
  bool has_finish_reason = false;
  std::string_view finish_reason;
  bool has_usage = false;
  Usage usage;
  bool blocked = false;  // promptFeedback.blockReason
  bool has_error = false;
  std::int64_t error_number = 0;
  std::string_view error_status;
  std::string_view error_message;
  bool error_has_message = false;
};

class GeminiStreamTranslator final : public StreamTranslator {
 public:
  explicit GeminiStreamTranslator(const StreamIdentity& identity) : id_(identity.id) {
    append_chunk_head(prefix_, identity.id, identity.created);
    json::append_quoted(prefix_, identity.model);
    append_chunk_choices_key(prefix_);
  }

  void feed(std::string_view piece, std::string& out) override {
    if (ended_ || splitter_.overflow()) return;
    splitter_.append(piece);
    drain(out, std::string_view::npos, &out);
  }

  void finish(std::string& out) override {
    if (ended_ || splitter_.overflow()) return;
    const std::size_t tail = splitter_.pending_bytes();
    // A tail that is not SSE is held back: it is passed through only when no ending follows
    // (bytes without a blank line would run into the ending's first event).
    std::string raw_tail;
    if (tail != 0) {
      // The blank line the upstream did not send; passed-through bytes stop before it.
      splitter_.append("\n\n");
      drain(out, tail, &raw_tail);
    }
    ended_ = true;
    if (!stopped_ && finished_ && !splitter_.overflow()) {
      write_end(out);
      // Nothing follows [DONE]: stray bytes after the answer's last event are dropped.
      if (!raw_tail.empty()) ++skipped_events_;
    } else {
      out.append(raw_tail);
    }
  }

  bool overflow() const override { return splitter_.overflow(); }
  const UpstreamError* stream_error() const override {
    return stream_error_ ? &*stream_error_ : nullptr;
  }

 private:
  // Translates the complete events buffered into `out`; a non-SSE event's bytes go to `raw`, at
  // most `raw_limit` of them (finish() adds bytes the upstream never sent).
  void drain(std::string& out, std::size_t raw_limit, std::string* raw) {
    http::SseEvent event;
    while (!stopped_ && splitter_.next(event)) {
      if (!event.sse) {
        raw->append(event.raw.substr(0, raw_limit));
      } else if (event.has_data && !translate(event.data, out)) {
        ++skipped_events_;
      }
    }
    if (stopped_) ended_ = true;
  }

  bool translate(std::string_view data, std::string& out) {
    EventParser& parser = event_parser();
    od::document doc;
    od::object root;
    if (parser.events.iterate(data, doc) != simdjson::SUCCESS ||
        doc.get_object().get(root) != simdjson::SUCCESS) {
      return false;
    }
    text_.clear();
    reasoning_.clear();
    calls_.clear();
    event_calls_ = 0;
    Event event;
    const bool complete = read_event(root, event, parser);
    if (event.has_error) {
      on_error(event, data, out);
      return complete;
    }
    if (!complete) return false;
    if (!event.has_candidates && !event.has_usage && !event.blocked) return false;
    if (!text_.empty() || !reasoning_.empty() || event_calls_ > 0) write_delta(out);
    tool_calls_ += event_calls_;
    if (event.has_usage) usage_ = event.usage;
    if (event.has_finish_reason) {
      finish_reason_ = map_finish_reason(event.finish_reason);
      finished_ = true;
    }
    if (event.blocked) {
      finish_reason_ = "content_filter";
      finished_ = true;
    }
    return true;
  }

  bool read_event(od::object root, Event& event, EventParser& parser) {
    return for_each_member(root, [&](std::string_view key, od::value value) {
      od::object object;
      bool present = false;
      if (key == "candidates") {
        od::array candidates;
        if (!read_array(value, candidates, event.has_candidates)) return false;
        if (!event.has_candidates) return true;
        bool first = true;
        return for_each_element(candidates, [&](od::value candidate) {
          od::object object_value;
          bool is_object = false;
          if (!read_object(candidate, object_value, is_object)) return false;
          if (!is_object || !first) return is_object;  // later candidates: skipped unread
          first = false;
          return read_candidate(object_value, event, parser);
        });
      }
      if (key == "usageMetadata") {
        if (!read_object(value, object, event.has_usage)) return false;
        return !event.has_usage || read_usage(object, event.usage);
      }
      if (key == "promptFeedback") {
        if (!read_object(value, object, present)) return false;
        return !present || for_each_member(object, [&](std::string_view k, od::value v) {
          std::string_view reason;
          bool has = false;
          if (k != "blockReason") return true;
          if (!read_string(v, reason, has)) return false;
          event.blocked = has && !reason.empty();
          return true;
        });
      }
      if (key == "error") {
        if (!read_object(value, object, event.has_error)) return false;
        return !event.has_error || read_error(object, event);
      }
      return true;  // modelVersion, responseId, createTime…
    });
  }

  static bool read_error(od::object error, Event& event) {
    return for_each_member(error, [&](std::string_view key, od::value value) {
      bool present = false;
      if (key == "code") return read_count(value, event.error_number);
      if (key == "status") return read_string(value, event.error_status, present);
      if (key == "message") return read_string(value, event.error_message, event.error_has_message);
      return true;
    });
  }

  bool read_candidate(od::object candidate, Event& event, EventParser& parser) {
    return for_each_member(candidate, [&](std::string_view key, od::value value) {
      if (key == "finishReason") {
        return read_string(value, event.finish_reason, event.has_finish_reason);
      }
      if (key != "content") return true;  // index, safetyRatings, citationMetadata…
      od::object content;
      bool present = false;
      if (!read_object(value, content, present)) return false;
      return !present || for_each_member(content, [&](std::string_view k, od::value v) {
        if (k != "parts") return true;
        od::array parts;
        bool has_parts = false;
        if (!read_array(v, parts, has_parts)) return false;
        return !has_parts || for_each_element(parts, [&](od::value part) {
          od::object object;
          bool is_object = false;
          if (!read_object(part, object, is_object)) return false;
          return !is_object || read_part(object, parser);
        });
      });
    });
  }

  // One part: its text (a thought or not) appended to the event's text or reasoning, or its
  // functionCall appended to the event's calls.
  bool read_part(od::object part, EventParser& parser) {
    std::string_view text;
    bool thought = false;
    std::string_view name;
    std::string_view args;
    bool has_call = false;
    const bool complete = for_each_member(part, [&](std::string_view key, od::value value) {
      if (key == "text") return read_token(value, text);
      if (key == "thought") return read_bool(value, thought);
      if (key != "functionCall") return true;
      od::object call;
      if (!read_object(value, call, has_call)) return false;
      return !has_call || for_each_member(call, [&](std::string_view k, od::value v) {
        if (k == "name") return read_token(v, name);
        if (k == "args") return payload::JsonScanner::scan(v, &args) == simdjson::SUCCESS;
        return true;
      });
    });
    if (!complete) return false;
    if (text.size() > 2) {
      // Tokens joined inside one pair of quotes: their escapes stand on their own.
      (thought ? reasoning_ : text_).append(text.substr(1, text.size() - 2));
    }
    if (has_call && !name.empty()) return append_call(name, args, parser);
    return true;
  }

  bool append_call(std::string_view name, std::string_view args, EventParser& parser) {
    std::string arguments = "{}";
    if (!args.empty()) {
      // The args as compact JSON, printed as the answer prints them (generate_answer.cc).
      simdjson::dom::element element;
      if (parser.arguments.parse(args.data(), args.size()).get(element) != simdjson::SUCCESS) {
        return false;
      }
      arguments = simdjson::minify(element);
    }
    const std::int64_t index = tool_calls_ + event_calls_++;
    if (!calls_.empty()) calls_.push_back(',');
    calls_.append(R"({"index":)");
    append_integer(calls_, index);
    calls_.append(R"(,"id":")");
    calls_.append(tool_call_id(id_, index));
    calls_.append(R"(","type":"function","function":{"name":)");
    calls_.append(name);
    calls_.append(R"(,"arguments":)");
    json::append_quoted(calls_, arguments);
    calls_.append("}}");
    return true;
  }

  void write_delta(std::string& out) {
    out.append(prefix_);
    out.append(R"([{"index":0,"delta":{)");
    bool comma = false;
    if (!role_sent_) {
      out.append(R"("role":"assistant")");
      role_sent_ = true;
      comma = true;
    }
    const auto field = [&](std::string_view key, std::string_view inner, bool quoted) {
      if (comma) out.push_back(',');
      comma = true;
      out.append(key);
      if (quoted) out.push_back('"');
      out.append(inner);
      if (quoted) out.push_back('"');
    };
    if (!text_.empty()) field(R"("content":)", text_, true);
    if (!reasoning_.empty()) field(R"("reasoning_content":)", reasoning_, true);
    if (event_calls_ > 0) {
      field(R"("tool_calls":[)", calls_, false);
      out.push_back(']');
    }
    out.append(R"(},"finish_reason":null}]})"
               "\n\n");
  }

  void write_end(std::string& out) const {
    std::string_view reason = finish_reason_.empty() ? std::string_view("stop") : finish_reason_;
    if (reason == "stop" && tool_calls_ > 0) reason = "tool_calls";
    append_stream_end(out, prefix_, reason,
                      [this](payload::JsonWriter& w) { write_usage(w, usage_); });
  }

  // An error event ends the stream, whatever else it holds.
  void on_error(const Event& event, std::string_view data, std::string& out) {
    stopped_ = true;
    const UpstreamError error =
        map_stream_error(static_cast<int>(std::min<std::int64_t>(event.error_number, 999)),
                         event.error_status, event.error_has_message ? event.error_message : data);
    append_error_event(out, error);
    stream_error_ = error;
  }

  std::optional<UpstreamError> stream_error_;  // the error event translated, if any
  http::SseSplitter splitter_;
  const std::string id_;
  // `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":`.
  std::string prefix_;
  // The event in progress: its joined text and reasoning (JSON string contents, escapes kept)
  // and its tool_calls entries. Cleared per event, so bounded by the splitter's limit.
  std::string text_;
  std::string reasoning_;
  std::string calls_;
  std::int64_t event_calls_ = 0;
  Usage usage_;
  std::string_view finish_reason_;  // map_finish_reason's static text
  std::int64_t tool_calls_ = 0;     // calls streamed so far
  bool finished_ = false;           // a finishReason or blockReason came
  bool role_sent_ = false;
  bool stopped_ = false;  // an error event translated: the rest of the bytes are ignored
  bool ended_ = false;    // nothing more is read (stopped_, or finish() called)
  // Events whose data was not JSON or not a response (no interface exposes it yet).
  std::uint64_t skipped_events_ = 0;
};

}  // namespace

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity) {
  return std::make_unique<GeminiStreamTranslator>(identity);
}

}  // namespace llmtap::providers::gemini
