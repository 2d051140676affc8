#include "providers/cohere/stream_translator.h"

#include <simdjson.h>

#include <string_view>
#include <utility>

#include "base/json_escape.h"
#include "http/sse_splitter.h"
#include "providers/cohere/errors.h"
#include "providers/cohere/usage.h"
#include "providers/finish_reason.h"
#include "providers/json/chat_chunk_writer.h"
#include "providers/json/dom_members.h"
#include "providers/json/padded_dom_parser.h"

namespace llmtap::providers::cohere {
namespace {

namespace dom = simdjson::dom;

// The object at `path` (keys one after the other) under `object`, if every step is an object.
bool object_at(dom::object object, std::initializer_list<std::string_view> path, dom::object& out) {
  out = object;
  for (std::string_view key : path) {
    if (out[key].get(out) != simdjson::SUCCESS) return false;
  }
  return true;
}

class CohereStreamTranslator final : public StreamTranslator {
 public:
  explicit CohereStreamTranslator(const StreamIdentity& identity) {
    append_chunk_head(prefix_, identity.id, identity.created);
    json::append_quoted(prefix_, identity.model);
    append_chunk_choices_key(prefix_);
  }

  void feed(std::string_view piece, std::string& out) override {
    if (ended_ || splitter_.overflow()) return;
    splitter_.append(piece);
    drain(out, std::string_view::npos);
  }

  void finish(std::string& out) override {
    if (ended_ || splitter_.overflow()) return;
    const std::size_t tail = splitter_.pending_bytes();
    if (tail != 0) {
      // The blank line the upstream did not send; passed-through bytes stop before it.
      splitter_.append("\n\n");
      drain(out, tail);
    }
    ended_ = true;
  }

  bool overflow() const override { return splitter_.overflow(); }
  const UpstreamError* stream_error() const override {
    return stream_error_ ? &*stream_error_ : nullptr;
  }

 private:
  void drain(std::string& out, std::size_t raw_limit) {
    http::SseEvent event;
    while (!ended_ && splitter_.next(event)) {
      if (!event.sse) {
        out.append(event.raw.substr(0, raw_limit));
      } else if (event.has_data && event.data != "[DONE]" && !translate(event.data, out)) {
        ++skipped_events_;
      }
    }
  }

  bool translate(std::string_view data, std::string& out) {
    thread_local PaddedDomParser parser;
    dom::element root;
    dom::object event;
    if (parser.parse(data, root) != simdjson::SUCCESS || root.get(event) != simdjson::SUCCESS) {
      return false;
    }
    const std::string_view type = string_member(event, "type");
    if (type.empty()) return false;
    if (type == "content-start" || type == "content-delta") {
      dom::object content;
      if (object_at(event, {"delta", "message", "content"}, content)) {
        const std::string_view text = string_member(content, "text");
        if (!text.empty()) write_text(text, out);
      }
    } else if (type == "tool-call-start") {
      dom::object call;
      if (!object_at(event, {"delta", "message", "tool_calls"}, call)) return false;
      write_call_start(call, out);
    } else if (type == "tool-call-delta") {
      dom::object function;
      if (object_at(event, {"delta", "message", "tool_calls", "function"}, function) &&
          tool_calls_ > 0) {
        const std::string_view arguments = string_member(function, "arguments");
        if (!arguments.empty()) write_call_arguments(arguments, out);
      }
    } else if (type == "message-end") {
      on_message_end(event, out);
    }
    return true;
  }

  void begin_delta(std::string& out) { append_delta_head(out, prefix_, role_sent_); }
  static void end_delta(std::string& out) { append_delta_end(out); }

  void write_text(std::string_view text, std::string& out) {
    begin_delta(out);
    out.append(R"("content":)");
    json::append_quoted(out, text);
    end_delta(out);
  }

  void write_call_start(dom::object call, std::string& out) {
    dom::object function;
    const bool has_function = call["function"].get(function) == simdjson::SUCCESS;
    begin_delta(out);
    out.append(R"("tool_calls":[{"index":)");
    append_integer(out, tool_calls_++);
    out.append(R"(,"id":)");
    json::append_quoted(out, string_member(call, "id"));
    out.append(R"(,"type":"function","function":{"name":)");
    json::append_quoted(out, has_function ? string_member(function, "name") : std::string_view());
    out.append(R"(,"arguments":)");
    json::append_quoted(out,
                        has_function ? string_member(function, "arguments") : std::string_view());
    out.append("}}]");
    end_delta(out);
  }

  void write_call_arguments(std::string_view arguments, std::string& out) {
    begin_delta(out);
    out.append(R"("tool_calls":[{"index":)");
    append_integer(out, tool_calls_ - 1);
    out.append(R"(,"function":{"arguments":)");
    json::append_quoted(out, arguments);
    out.append("}}]");
    end_delta(out);
  }

  void on_message_end(dom::object event, std::string& out) {
    ended_ = true;
    dom::object delta;
    if (event["delta"].get(delta) != simdjson::SUCCESS) {
      write_end(out, "", Usage{});
      return;
    }
    if (const std::string_view error = string_member(delta, "error"); !error.empty()) {
      const UpstreamError mapped = map_stream_error(error);
      append_error_event(out, mapped);
      stream_error_ = mapped;
      return;
    }
    dom::object usage;
    write_end(out, string_member(delta, "finish_reason"),
              delta["usage"].get(usage) == simdjson::SUCCESS ? read_usage(usage) : Usage{});
  }

  void write_end(std::string& out, std::string_view cohere_reason, const Usage& usage) const {
    const std::string_view reason =
        tool_calls_ > 0 ? std::string_view("tool_calls") : map_finish_reason(cohere_reason);
    append_stream_end(out, prefix_, reason, [&](payload::JsonWriter& w) { write_usage(w, usage); });
  }

  std::optional<UpstreamError> stream_error_;  // the message-end error translated, if any
  http::SseSplitter splitter_;
  // `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":`.
  std::string prefix_;
  std::int64_t tool_calls_ = 0;  // calls started so far
  bool role_sent_ = false;
  bool ended_ = false;  // message-end translated, or finish() called: nothing more is read
  // Events whose data was not JSON or not an event (no interface exposes it yet).
  std::uint64_t skipped_events_ = 0;
};

}  // namespace

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity) {
  return std::make_unique<CohereStreamTranslator>(identity);
}

}  // namespace llmtap::providers::cohere
