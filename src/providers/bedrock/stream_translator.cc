#include "providers/bedrock/stream_translator.h"

#include <simdjson.h>

#include <optional>
#include <string_view>
#include <utility>

#include "base/json_escape.h"
#include "providers/anthropic/usage.h"
#include "providers/bedrock/converse_answer.h"
#include "providers/bedrock/errors.h"
#include "providers/bedrock/eventstream.h"
#include "providers/bedrock/usage.h"
#include "providers/finish_reason.h"
#include "providers/json/chat_chunk_writer.h"
#include "providers/json/dom_members.h"
#include "providers/json/padded_dom_parser.h"

namespace llmtap::providers::bedrock {
namespace {

namespace dom = simdjson::dom;

constexpr std::string_view kJsonToolName = "json_tool_call";

class BedrockStreamTranslator final : public StreamTranslator {
 public:
  explicit BedrockStreamTranslator(StreamIdentity identity)
      : json_mode_(identity.json_mode), renamed_tools_(std::move(identity.renamed_tools)) {
    append_chunk_head(prefix_, identity.id, identity.created);
    json::append_quoted(prefix_, identity.model);
    append_chunk_choices_key(prefix_);
  }

  void feed(std::string_view piece, std::string& out) override {
    if (piece.empty() || ended_ || overflow_) return;
    if (passthrough_) {
      out.append(piece);
      return;
    }
    if (!started_) {
      started_ = true;
      // A first length byte of 2 or more announces ≥ 32 MiB, past any limit: no event stream.
      if (static_cast<unsigned char>(piece.front()) >= 0x02) {
        passthrough_ = true;
        out.append(piece);
        return;
      }
    }
    const Result<void> fed =
        decoder_.feed(piece, [&](const EventMessage& message) { on_message(message, out); });
    if (fed || ended_) return;
    if (fed.error() == frame_errc::message_too_long) {
      overflow_ = true;
      return;
    }
    fail(make_frame_error(fed.error().message()), out);
  }

  void finish(std::string& out) override {
    if (ended_ || overflow_ || passthrough_) return;
    if (stop_seen_) write_end(out);
    ended_ = true;
  }

  bool overflow() const override { return overflow_; }
  const UpstreamError* stream_error() const override {
    return stream_error_ ? &*stream_error_ : nullptr;
  }

 private:
  static UpstreamError make_frame_error(const std::string& what) {
    return UpstreamError{500, "api_error", "APIConnectionError", "BedrockException - " + what};
  }

  void fail(UpstreamError error, std::string& out) {
    append_error_event(out, error);
    stream_error_ = std::move(error);
    ended_ = true;
  }

  void on_message(const EventMessage& message, std::string& out) {
    if (ended_) return;
    if (message.message_type == "exception") {
      fail(map_stream_exception(message.exception_type, message.payload), out);
      return;
    }
    if (message.message_type == "error") {
      fail(map_stream_exception(message.error_code, message.error_message), out);
      return;
    }
    thread_local PaddedDomParser parser;
    dom::element root;
    dom::object event;
    if (parser.parse(message.payload, root) != simdjson::SUCCESS ||
        root.get(event) != simdjson::SUCCESS) {
      ++skipped_events_;
      return;
    }
    const std::string_view type = message.event_type;
    if (type == "contentBlockStart") {
      on_block_start(event, out);
    } else if (type == "contentBlockDelta") {
      on_block_delta(event, out);
    } else if (type == "contentBlockStop") {
      on_block_stop(event, out);
    } else if (type == "messageStop") {
      stop_reason_ = std::string(string_member(event, "stopReason"));
      stop_seen_ = true;
      if (metadata_seen_) write_end(out);
    } else if (type == "metadata") {
      dom::object usage;
      if (event["usage"].get(usage) == simdjson::SUCCESS) usage_ = read_usage(usage);
      metadata_seen_ = true;
      if (stop_seen_) write_end(out);
    }
  }

  static std::int64_t block_index(dom::object event) {
    std::int64_t index = -1;
    if (event["contentBlockIndex"].get(index) != simdjson::SUCCESS) index = -1;
    return index;
  }

  void on_block_start(dom::object event, std::string& out) {
    dom::object tool;
    if (event["start"]["toolUse"].get(tool) != simdjson::SUCCESS) return;
    tool_open_ = true;
    tool_block_ = block_index(event);
    tool_has_input_ = false;
    const std::string_view name = string_member(tool, "name");
    tool_is_json_ = json_mode_ && name == kJsonToolName;
    if (tool_is_json_) return;
    tool_index_ = tool_calls_++;
    begin_delta(out);
    out.append(R"("tool_calls":[{"index":)");
    append_integer(out, tool_index_);
    out.append(R"(,"id":)");
    json::append_quoted(out, string_member(tool, "toolUseId"));
    out.append(R"(,"type":"function","function":{"name":)");
    json::append_quoted(out, client_tool_name(name, renamed_tools_));
    out.append(R"(,"arguments":""}}])");
    end_delta(out);
  }

  void on_block_delta(dom::object event, std::string& out) {
    dom::object delta;
    if (event["delta"].get(delta) != simdjson::SUCCESS) return;
    std::string_view text;
    dom::object inner;
    if (delta["text"].get(text) == simdjson::SUCCESS) {
      if (!text.empty()) write_field(R"("content":)", text, out);
    } else if (delta["toolUse"].get(inner) == simdjson::SUCCESS) {
      const std::string_view input = string_member(inner, "input");
      if (input.empty() || !in_open_tool(event)) return;
      tool_has_input_ = true;
      if (tool_is_json_) {
        write_field(R"("content":)", input, out);
      } else {
        write_arguments(input, out);
      }
    } else if (delta["reasoningContent"].get(inner) == simdjson::SUCCESS) {
      const std::string_view reasoning = string_member(inner, "text");
      if (!reasoning.empty()) write_field(R"("reasoning_content":)", reasoning, out);
    }
  }

  void on_block_stop(dom::object event, std::string& out) {
    if (!in_open_tool(event)) return;
    if (!tool_has_input_ && !tool_is_json_) write_arguments("{}", out);
    tool_open_ = false;
  }

  // Whether the event is about the open tool call's block (its index, when both name one).
  bool in_open_tool(dom::object event) const {
    if (!tool_open_) return false;
    const std::int64_t index = block_index(event);
    return index < 0 || tool_block_ < 0 || index == tool_block_;
  }

  void begin_delta(std::string& out) { append_delta_head(out, prefix_, role_sent_); }
  static void end_delta(std::string& out) { append_delta_end(out); }

  // `"<key>":<value as a JSON string>` as the chunk's delta.
  void write_field(std::string_view key, std::string_view value, std::string& out) {
    begin_delta(out);
    out.append(key);
    json::append_quoted(out, value);
    end_delta(out);
  }

  void write_arguments(std::string_view arguments, std::string& out) {
    begin_delta(out);
    out.append(R"("tool_calls":[{"index":)");
    append_integer(out, tool_index_);
    out.append(R"(,"function":{"arguments":)");
    json::append_quoted(out, arguments);
    out.append("}}]");
    end_delta(out);
  }

  void write_end(std::string& out) {
    std::string_view reason = map_finish_reason(stop_reason_);
    if (reason == "stop" && tool_calls_ > 0) reason = "tool_calls";
    append_stream_end(out, prefix_, reason,
                      [&](payload::JsonWriter& w) { anthropic::write_usage(w, usage_); });
    ended_ = true;
  }

  std::optional<UpstreamError> stream_error_;  // the exception or frame error translated, if any
  EventStreamDecoder decoder_;
  // `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":`.
  std::string prefix_;
  const bool json_mode_;
  const std::vector<RenamedTool> renamed_tools_;
  std::string stop_reason_;       // messageStop's stopReason
  anthropic::Usage usage_;        // metadata's usage
  std::int64_t tool_calls_ = 0;   // calls started so far
  std::int64_t tool_index_ = 0;   // the open call's index
  std::int64_t tool_block_ = -1;  // the open call's contentBlockIndex, or -1 when it has none
  bool tool_open_ = false;        // a toolUse block started and not stopped
  bool tool_has_input_ = false;
  bool tool_is_json_ = false;
  bool role_sent_ = false;
  bool stop_seen_ = false;
  bool metadata_seen_ = false;
  bool started_ = false;
  bool passthrough_ = false;  // the bytes are no event stream: appended as they are
  bool overflow_ = false;
  bool ended_ = false;  // the ending, an error event, or finish(): nothing more is read
  // Events whose payload was not a JSON object (no interface exposes it yet).
  std::uint64_t skipped_events_ = 0;
};

}  // namespace

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity) {
  return std::make_unique<BedrockStreamTranslator>(std::move(identity));
}

}  // namespace llmtap::providers::bedrock
