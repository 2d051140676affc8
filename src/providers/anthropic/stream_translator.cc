#include "providers/anthropic/stream_translator.h"

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json_escape.h"
#include "http/sse_splitter.h"
#include "payload/json_writer.h"
#include "providers/anthropic/usage.h"
#include "providers/finish_reason.h"
#include "providers/json/chat_chunk_writer.h"
#include "providers/json/ondemand_read.h"
#include "providers/json/padded_ondemand_parser.h"

namespace llmtap::providers::anthropic {
namespace {

namespace od = simdjson::ondemand;

// message_start's model as a JSON token (quotes and escapes included); a longer one is not a
// model name, and the identity's model stays.
constexpr std::size_t kMaxModelTokenBytes = 256;

// Events are read in one forward pass (json/ondemand_read.h says why).

// Which counts a usage object may change. message_start's are the stream's first; message_delta
// repeats them: its output_tokens is cumulative and replaces, its other counts replace only when
// non-zero (older Anthropic sends input_tokens in message_start only, and a 0 or an absent value
// must not erase it; newer Anthropic repeats it there).
enum class UsageSource { kMessageStart, kMessageDelta };

void take(std::int64_t value, std::int64_t& count, UsageSource source) {
  if (source == UsageSource::kMessageStart || value != 0) count = value;
}

bool read_cache_creation(od::object details, Usage& usage, UsageSource source) {
  usage.has_cache_creation_details = true;
  return for_each_member(details, [&](std::string_view key, od::value value) {
    std::int64_t* count = nullptr;
    if (key == "ephemeral_5m_input_tokens") {
      count = &usage.ephemeral_5m_input_tokens;
    } else if (key == "ephemeral_1h_input_tokens") {
      count = &usage.ephemeral_1h_input_tokens;
    } else {
      return true;
    }
    std::int64_t n = 0;
    bool present = false;
    if (!read_count(value, n, present)) return false;
    if (present) take(n, *count, source);
    return true;
  });
}

bool read_usage(od::object object, Usage& usage, UsageSource source) {
  return for_each_member(object, [&](std::string_view key, od::value value) {
    if (key == "cache_creation") {
      od::object details;
      bool present = false;  // null when the creation was not split by TTL
      if (!read_object(value, details, present)) return false;
      return !present || read_cache_creation(details, usage, source);
    }
    std::int64_t n = 0;
    bool present = false;
    if (key == "output_tokens") {
      if (!read_count(value, n, present)) return false;
      if (present) usage.output_tokens = n;  // cumulative in message_delta
      return true;
    }
    std::int64_t* count = nullptr;
    if (key == "input_tokens") {
      count = &usage.input_tokens;
    } else if (key == "cache_creation_input_tokens") {
      count = &usage.cache_creation_input_tokens;
    } else if (key == "cache_read_input_tokens") {
      count = &usage.cache_read_input_tokens;
    } else {
      return true;  // server_tool_use, service_tier…: not counted here
    }
    if (!read_count(value, n, present)) return false;
    if (present) take(n, *count, source);
    return true;
  });
}

// What one event says, gathered in one pass (members come in any order, and `type` need not be
// first). Views point into the parser's buffers: valid until the next event is parsed.
struct Event {
  std::string_view type;
  // message_start: message.model as a token, message.usage applied to start_usage.
  bool has_message = false;
  std::string_view model;
  bool has_start_usage = false;
  Usage start_usage;
  // content_block_start: content_block.type, and a tool's id and name as tokens.
  bool has_block = false;
  std::string_view block_type;
  std::string_view block_id;
  std::string_view block_name;
  // content_block_delta: delta.type and its piece as a token; message_delta: delta.stop_reason.
  bool has_delta = false;
  std::string_view delta_type;
  std::string_view text;
  std::string_view thinking;
  std::string_view partial_json;
  bool has_stop_reason = false;
  std::string_view stop_reason;
  // message_delta: usage applied to delta_usage.
  bool has_delta_usage = false;
  Usage delta_usage;
  // error: error.type and error.message as tokens.
  bool has_error = false;
  std::string_view error_type;
  std::string_view error_message;
};

bool read_message(od::object message, Event& event) {
  return for_each_member(message, [&](std::string_view key, od::value value) {
    if (key == "model") return read_token(value, event.model);
    if (key != "usage") return true;
    od::object usage;
    if (!read_object(value, usage, event.has_start_usage)) return false;
    return !event.has_start_usage ||
           read_usage(usage, event.start_usage, UsageSource::kMessageStart);
  });
}

bool read_block(od::object block, Event& event) {
  return for_each_member(block, [&](std::string_view key, od::value value) {
    bool present = false;
    if (key == "type") return read_string(value, event.block_type, present);
    if (key == "id") return read_token(value, event.block_id);
    if (key == "name") return read_token(value, event.block_name);
    return true;  // input: {} at the start; arguments come as deltas
  });
}

bool read_delta(od::object delta, Event& event) {
  return for_each_member(delta, [&](std::string_view key, od::value value) {
    bool present = false;
    if (key == "type") return read_string(value, event.delta_type, present);
    if (key == "text") return read_token(value, event.text);
    if (key == "thinking") return read_token(value, event.thinking);
    if (key == "partial_json") return read_token(value, event.partial_json);
    // null while the message goes on.
    if (key == "stop_reason") return read_string(value, event.stop_reason, event.has_stop_reason);
    return true;
  });
}

bool read_error(od::object error, Event& event) {
  return for_each_member(error, [&](std::string_view key, od::value value) {
    if (key == "type") return read_token(value, event.error_type);
    if (key == "message") return read_token(value, event.error_message);
    return true;
  });
}

// The whole event; false at its first hard error (what was read before it stays in `event`).
bool read_event(od::object root, Event& event) {
  return for_each_member(root, [&](std::string_view key, od::value value) {
    bool present = false;
    if (key == "type") return read_string(value, event.type, present);
    od::object object;
    if (key == "message") {
      if (!read_object(value, object, event.has_message)) return false;
      return !event.has_message || read_message(object, event);
    }
    if (key == "content_block") {
      if (!read_object(value, object, event.has_block)) return false;
      return !event.has_block || read_block(object, event);
    }
    if (key == "delta") {
      if (!read_object(value, object, event.has_delta)) return false;
      return !event.has_delta || read_delta(object, event);
    }
    if (key == "usage") {
      if (!read_object(value, object, event.has_delta_usage)) return false;
      return !event.has_delta_usage ||
             read_usage(object, event.delta_usage, UsageSource::kMessageDelta);
    }
    if (key == "error") {
      if (!read_object(value, object, event.has_error)) return false;
      return !event.has_error || read_error(object, event);
    }
    return true;  // index: tool calls are counted here, choices[].index is always 0
  });
}

// One stream's translation. Per-stream state is fixed in size: the chunk prefix (id, created and
// a bounded model), the counts, and a few flags about the block in progress.
class AnthropicStreamTranslator final : public StreamTranslator {
 public:
  explicit AnthropicStreamTranslator(const StreamIdentity& identity)
      : json_mode_(identity.json_mode) {
    prefix_.reserve(64 + identity.id.size() + std::max(identity.model.size(), kMaxModelTokenBytes));
    append_chunk_head(prefix_, identity.id, identity.created);
    head_size_ = prefix_.size();
    std::string model_token;
    json::append_quoted(model_token, identity.model);
    set_model(model_token);
  }

  void feed(std::string_view piece, std::string& out) override {
    if (ended_ || splitter_.overflow()) return;
    splitter_.append(piece);
    drain(out, std::string_view::npos);
  }

  void finish(std::string& out) override {
    if (ended_ || splitter_.overflow()) return;
    ended_ = true;
    const std::size_t tail = splitter_.pending_bytes();
    if (tail == 0) return;
    // The blank line the upstream did not send; passed-through bytes stop before it.
    splitter_.append("\n\n");
    drain(out, tail);
  }

  bool overflow() const override { return splitter_.overflow(); }
  const UpstreamError* stream_error() const override {
    return stream_error_ ? &*stream_error_ : nullptr;
  }

 private:
  // Translates the complete events buffered; a non-SSE event's bytes are passed through, at most
  // `raw_limit` of them (finish() adds bytes the upstream never sent).
  void drain(std::string& out, std::size_t raw_limit) {
    http::SseEvent event;
    while (!stopped_ && splitter_.next(event)) {
      if (!event.sse) {
        out.append(event.raw.substr(0, raw_limit));
      } else if (event.has_data && !translate(event.data, out)) {
        // Not JSON, or not the shape its type promises. LiteLLM fails to parse such a line and
        // keeps it for the next one; a whole event cannot grow by waiting, so it is skipped.
        ++skipped_events_;
      }
    }
    if (stopped_) ended_ = true;
  }

  bool translate(std::string_view data, std::string& out) {
    // One per thread (json/padded_ondemand_parser.h).
    thread_local PaddedOndemandParser event_parser;
    od::document doc;
    od::object root;
    if (event_parser.iterate(data, doc) != simdjson::SUCCESS ||
        doc.get_object().get(root) != simdjson::SUCCESS) {
      return false;
    }
    Event event;
    // Both counts start from the stream's: a usage object repeats only some of them.
    event.start_usage = usage_;
    event.delta_usage = usage_;
    const bool complete = read_event(root, event);
    // An error event ends the stream even when what follows its type cannot be read.
    if (event.type == "error") {
      on_error(event, data, out);
      return complete;
    }
    if (!complete) return false;
    if (event.type == "content_block_delta") return on_block_delta(event, out);
    if (event.type == "content_block_start") return on_block_start(event, out);
    if (event.type == "content_block_stop") return on_block_stop(out);
    if (event.type == "message_start") return on_message_start(event);
    if (event.type == "message_delta") return on_message_delta(event);
    if (event.type == "message_stop") return on_message_stop(out);
    // ping, and types Anthropic may add (its versioning policy): nothing. No type: not an event.
    return !event.type.empty();
  }

  bool on_message_start(const Event& event) {
    if (!event.has_message) return false;
    if (!event.model.empty() && event.model.size() <= kMaxModelTokenBytes) set_model(event.model);
    if (event.has_start_usage) usage_ = event.start_usage;
    return true;
  }

  bool on_block_start(const Event& event, std::string& out) {
    in_tool_block_ = false;
    if (!event.has_block || event.block_type.empty()) return false;
    // text and thinking blocks start empty; redacted_thinking has no OpenAI field.
    if (event.block_type != "tool_use" && event.block_type != "server_tool_use") return true;
    if (event.block_id.empty() || event.block_name.empty()) return false;
    in_tool_block_ = true;
    tool_got_arguments_ = false;
    json_block_ = json_mode_ && event.block_name == R"("json_tool_call")";
    if (json_block_) {
      json_answered_ = true;
      return true;  // its input is the answer's content, not a call
    }
    open_chunk(out, true);
    out.append(R"("tool_calls":[{"index":)");
    append_integer(out, tool_calls_++);
    out.append(R"(,"id":)");
    out.append(event.block_id);
    out.append(R"(,"type":"function","function":{"name":)");
    out.append(event.block_name);
    // Not the block's `input: {}`, which would put "{}" before the deltas (LiteLLM #4537).
    out.append(R"(,"arguments":""}}])");
    close_chunk(out);
    return true;
  }

  bool on_block_delta(const Event& event, std::string& out) {
    if (!event.has_delta) return false;
    std::string_view token;
    std::string_view key;
    if (event.delta_type == "text_delta") {
      token = event.text;
      key = R"("content":)";
    } else if (event.delta_type == "thinking_delta") {
      token = event.thinking;
      key = R"("reasoning_content":)";
    } else if (event.delta_type == "input_json_delta") {
      // Only into a tool block: a server tool's result deltas are no call's arguments (#17254).
      if (!in_tool_block_) return true;
      token = event.partial_json;
    } else {
      // signature_delta, citations_delta: no OpenAI field. No type: not a delta.
      return !event.delta_type.empty();
    }
    if (token.empty()) return false;  // the piece is missing or not a string
    // An empty piece adds nothing: LiteLLM drops such text chunks too.
    if (token.size() == 2) return true;
    if (key.empty() && json_block_) key = R"("content":)";
    open_chunk(out, true);
    if (key.empty()) {
      tool_got_arguments_ = true;
      append_arguments(out, token);
    } else {
      out.append(key);
      out.append(token);
    }
    close_chunk(out);
    return true;
  }

  bool on_block_stop(std::string& out) {
    if (in_tool_block_ && !tool_got_arguments_ && !json_block_) {
      // A call without arguments still gets a JSON object: "" fails the client's next turn
      // (LiteLLM #5063).
      open_chunk(out, true);
      append_arguments(out, R"("{}")");
      close_chunk(out);
    }
    in_tool_block_ = false;
    json_block_ = false;
    return true;
  }

  bool on_message_delta(const Event& event) {
    // A null stop_reason keeps what an earlier delta said.
    if (event.has_stop_reason) finish_reason_ = map_finish_reason(event.stop_reason);
    if (event.has_delta_usage) usage_ = event.delta_usage;
    return true;
  }

  bool on_message_stop(std::string& out) {
    std::string_view reason = finish_reason_.empty() ? std::string_view("stop") : finish_reason_;
    if (reason == "stop" && tool_calls_ > 0) reason = "tool_calls";
    // LiteLLM's json mode: the answer is the JSON, so the stream stopped rather than called.
    if (json_answered_ && tool_calls_ == 0) reason = "stop";
    append_stream_end(out, prefix_, reason,
                      [this](payload::JsonWriter& w) { write_usage(w, usage_); });
    stopped_ = true;
    return true;
  }

  // LiteLLM raises AnthropicError with status 500 (the event carries none), and its proxy writes
  // the exception as an error event. An error event always ends the stream, whatever its shape.
  void on_error(const Event& event, std::string_view data, std::string& out) {
    stopped_ = true;
    out.append(R"(data: {"error":{"message":"AnthropicException - )");
    if (event.error_message.empty()) {
      json::append_escaped(out, data);  // no message: the event itself says the most
      out.push_back('"');
    } else {
      out.append(event.error_message.substr(1));  // its content and closing quote
    }
    out.append(R"(,"type":)");
    out.append(event.error_type.empty() ? std::string_view("null") : event.error_type);
    out.append(R"(,"param":null,"code":"500"}})"
               "\n\n");
    // LiteLLM's class for the 500 it raises; the message is the error chunk's.
    stream_error_ = UpstreamError{500, "api_error", "InternalServerError", {}};
  }

  void set_model(std::string_view model_token) {
    prefix_.resize(head_size_);
    prefix_.append(model_token);
    append_chunk_choices_key(prefix_);
  }

  // `data: {…,"choices":[{"index":0,"delta":{`, with the role on the first chunk that says
  // something (LiteLLM strips it from the later ones).
  void open_chunk(std::string& out, bool has_content) {
    out.append(prefix_);
    out.append(R"([{"index":0,"delta":{)");
    if (has_content && !role_sent_) {
      out.append(R"("role":"assistant",)");
      role_sent_ = true;
    }
  }

  static void close_chunk(std::string& out) {
    out.append(R"(},"finish_reason":null}]})"
               "\n\n");
  }

  // A piece of the current tool call's arguments, under the call's index.
  void append_arguments(std::string& out, std::string_view token) const {
    out.append(R"("tool_calls":[{"index":)");
    append_integer(out, tool_calls_ - 1);
    out.append(R"(,"function":{"arguments":)");
    out.append(token);
    out.append("}}]");
  }

  http::SseSplitter splitter_;
  // `data: {"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":`; the model
  // starts at head_size_ and changes once message_start names it.
  std::string prefix_;
  std::size_t head_size_ = 0;
  Usage usage_;
  std::string_view finish_reason_;  // map_finish_reason's static text; empty until message_delta
  std::int64_t tool_calls_ = 0;     // tool blocks so far; the current one is tool_calls_ - 1
  bool in_tool_block_ = false;
  bool tool_got_arguments_ = false;
  const bool json_mode_;
  bool json_block_ = false;     // the current block is json_mode's json_tool_call
  bool json_answered_ = false;  // such a block came
  bool role_sent_ = false;
  bool stopped_ = false;  // message_stop or error translated: the rest of the bytes are ignored
  std::optional<UpstreamError> stream_error_;
  bool ended_ = false;  // nothing more is read (stopped_, or finish() called)
  // Events whose data was not JSON or not the shape of its type (no interface exposes it yet).
  std::uint64_t skipped_events_ = 0;
};

}  // namespace

std::unique_ptr<StreamTranslator> make_stream_translator(StreamIdentity identity) {
  return std::make_unique<AnthropicStreamTranslator>(identity);
}

}  // namespace llmtap::providers::anthropic
