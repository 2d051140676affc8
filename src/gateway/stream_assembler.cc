#include "gateway/stream_assembler.h"

#include <simdjson.h>

#include "payload/json_scanner.h"
#include "payload/json_writer.h"

namespace llmtap::gateway {
namespace {

namespace od = simdjson::ondemand;
using payload::JsonScanner;

// A string value's escaped content, without its quotes.
std::string_view inner(std::string_view quoted) {
  return quoted.size() >= 2 ? quoted.substr(1, quoted.size() - 2) : std::string_view();
}

// One tool-call delta, read before it is merged (its index may come after its other fields).
struct ToolDelta {
  std::int64_t index = 0;
  std::string_view id_raw;
  std::string_view type_raw;
  std::string_view name_raw;
  std::string_view arguments;  // escaped content
};

// One choice of one chunk, as views into the chunk being read.
struct ChoiceDelta {
  std::int64_t index = 0;
  std::string_view content;  // escaped content of delta.content (chat) or text (completion)
  bool has_content = false;
  std::string_view finish_raw;  // non-null finish_reason token
  std::vector<ToolDelta> tool_calls;
};

simdjson::error_code read_index(od::value& value, std::int64_t* index) {
  std::int64_t number = 0;
  if (auto error = value.get_int64().get(number)) return error;
  *index = number;
  return simdjson::SUCCESS;
}

// A string member's raw token, or an empty view for null / other types (validated either way).
simdjson::error_code read_string_raw(od::value& value, od::json_type type, std::string_view* raw) {
  std::string_view token;
  if (auto error = JsonScanner::scan(value, &token)) return error;
  if (type == od::json_type::string) *raw = token;
  return simdjson::SUCCESS;
}

simdjson::error_code read_function(od::value& value, ToolDelta& delta) {
  return JsonScanner::for_each_member(
      value, [&](std::string_view key, od::json_type type, od::value& item) {
        std::string_view raw;
        if (auto error = read_string_raw(item, type, &raw)) return error;
        if (key == "name") delta.name_raw = raw;
        if (key == "arguments") delta.arguments = inner(raw);
        return simdjson::SUCCESS;
      });
}

simdjson::error_code read_tool_calls(od::value& value, std::vector<ToolDelta>& out) {
  od::array array;
  if (auto error = value.get_array().get(array)) return error;
  for (auto element_result : array) {
    od::value element;
    if (auto error = std::move(element_result).get(element)) return error;
    ToolDelta delta;
    auto error = JsonScanner::for_each_member(
        element, [&](std::string_view key, od::json_type type, od::value& item) {
          if (key == "index" && type == od::json_type::number)
            return read_index(item, &delta.index);
          if (key == "function" && type == od::json_type::object) return read_function(item, delta);
          std::string_view raw;
          if (auto read_error = read_string_raw(item, type, &raw)) return read_error;
          if (key == "id") delta.id_raw = raw;
          if (key == "type") delta.type_raw = raw;
          return simdjson::SUCCESS;
        });
    if (error) return error;
    out.push_back(delta);
  }
  return simdjson::SUCCESS;
}

// delta.content (chat) or text (text completion): escaped content, absent when null.
simdjson::error_code read_content(od::value& item, od::json_type type, ChoiceDelta& choice) {
  std::string_view raw;
  if (auto error = read_string_raw(item, type, &raw)) return error;
  if (!raw.empty()) {
    choice.content = inner(raw);
    choice.has_content = true;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code read_delta(od::value& value, ChoiceDelta& choice) {
  return JsonScanner::for_each_member(
      value, [&](std::string_view key, od::json_type type, od::value& item) {
        if (key == "tool_calls" && type == od::json_type::array)
          return read_tool_calls(item, choice.tool_calls);
        if (key == "content") return read_content(item, type, choice);
        return simdjson::SUCCESS;
      });
}

simdjson::error_code read_choice(od::value& value, payload::CallType call_type,
                                 ChoiceDelta& choice) {
  return JsonScanner::for_each_member(
      value, [&](std::string_view key, od::json_type type, od::value& item) {
        if (key == "index" && type == od::json_type::number) return read_index(item, &choice.index);
        if (key == "delta" && type == od::json_type::object) return read_delta(item, choice);
        if (key == "text" && call_type == payload::CallType::text_completion)
          return read_content(item, type, choice);
        if (key == "finish_reason") return read_string_raw(item, type, &choice.finish_raw);
        return simdjson::SUCCESS;
      });
}

}  // namespace

ChunkFacts StreamAssembler::add(std::string_view json) {
  ChunkFacts facts;
  JsonScanner& scanner = JsonScanner::local();
  od::document doc;
  od::object root;
  if (scanner.iterate(json, doc) || doc.get_object().get(root)) return facts;

  // Everything is read into views first and merged only once the whole chunk proved valid, so a
  // malformed chunk leaves the assembled completion as it was.
  std::string_view id_raw, model_raw, created_raw, fingerprint_raw, usage_raw, error_raw;
  thread_local std::vector<ChoiceDelta> deltas;
  deltas.clear();
  for (auto field_result : root) {
    od::field field;
    std::string_view key;
    od::json_type type;
    if (JsonScanner::member(std::move(field_result), field, key, type)) return facts;
    od::value& value = field.value();
    if (key == "choices" && type == od::json_type::array) {
      od::array array;
      if (value.get_array().get(array)) return facts;
      for (auto element_result : array) {
        od::value element;
        if (std::move(element_result).get(element)) return facts;
        ChoiceDelta choice;
        if (read_choice(element, type_, choice)) return facts;
        deltas.push_back(std::move(choice));
      }
      continue;
    }
    std::string_view raw;
    if (JsonScanner::scan(value, &raw)) return facts;
    if (key == "id" && type == od::json_type::string) id_raw = raw;
    if (key == "model" && type == od::json_type::string) model_raw = raw;
    if (key == "created" && type == od::json_type::number) created_raw = raw;
    if (key == "system_fingerprint" && type == od::json_type::string) fingerprint_raw = raw;
    if (key == "usage" && type == od::json_type::object) usage_raw = raw;
    if (key == "error" && type == od::json_type::object) error_raw = raw;
  }

  facts.parsed = true;
  facts.has_choices = !deltas.empty();
  facts.usage_only = deltas.empty() && !usage_raw.empty();
  facts.error = !error_raw.empty();
  ++chunks_;
  if (id_raw_.empty()) id_raw_ = id_raw;
  if (model_raw_.empty()) model_raw_ = model_raw;
  if (created_raw_.empty()) created_raw_ = created_raw;
  if (fingerprint_raw_.empty()) fingerprint_raw_ = fingerprint_raw;
  if (!usage_raw.empty()) usage_ = usage_raw;
  if (!error_raw.empty()) error_ = error_raw;

  for (const ChoiceDelta& delta : deltas) {
    if (delta.index < 0 || static_cast<std::size_t>(delta.index) >= kMaxChoices) continue;
    const auto index = static_cast<std::size_t>(delta.index);
    if (choices_.size() <= index) choices_.resize(index + 1);
    Choice& choice = choices_[index];
    choice.seen = true;
    if (delta.has_content) {
      choice.content.append(delta.content);
      choice.has_content = true;
    }
    if (!delta.finish_raw.empty()) choice.finish_raw = delta.finish_raw;
    for (const ToolDelta& tool : delta.tool_calls) {
      if (tool.index < 0 || static_cast<std::size_t>(tool.index) >= kMaxToolCalls) continue;
      const auto tool_index = static_cast<std::size_t>(tool.index);
      if (choice.tool_calls.size() <= tool_index) choice.tool_calls.resize(tool_index + 1);
      ToolCall& call = choice.tool_calls[tool_index];
      if (!tool.id_raw.empty()) call.id_raw = tool.id_raw;
      if (!tool.type_raw.empty()) call.type_raw = tool.type_raw;
      if (!tool.name_raw.empty()) call.name_raw = tool.name_raw;
      call.arguments.append(tool.arguments);
    }
  }
  return facts;
}

namespace {

// An already-escaped JSON string body, written with its quotes; `quoted` is a reused buffer.
void write_escaped(payload::JsonWriter& w, std::string& quoted, std::string_view escaped) {
  quoted.assign(1, '"');
  quoted.append(escaped);
  quoted.push_back('"');
  w.raw(quoted);
}

// A chat choice's "message": role, content and the tool calls the deltas assembled. A template
// so that it needs no name of StreamAssembler's private Choice type.
template <class Choice>
void write_chat_message(payload::JsonWriter& w, std::string& quoted, const Choice& choice) {
  w.key("message");
  w.begin_object();
  w.key("role");
  w.string("assistant");
  w.key("content");
  if (choice.has_content) {
    write_escaped(w, quoted, choice.content);
  } else {
    w.null();
  }
  bool any_tool = false;
  for (const auto& call : choice.tool_calls) {
    any_tool = any_tool || !call.name_raw.empty() || !call.id_raw.empty();
  }
  if (any_tool) {
    w.key("tool_calls");
    w.begin_array();
    for (const auto& call : choice.tool_calls) {
      w.begin_object();
      w.key("id");
      call.id_raw.empty() ? w.null() : w.raw(call.id_raw);
      w.key("type");
      call.type_raw.empty() ? w.string("function") : w.raw(call.type_raw);
      w.key("function");
      w.begin_object();
      w.key("name");
      call.name_raw.empty() ? w.null() : w.raw(call.name_raw);
      w.key("arguments");
      write_escaped(w, quoted, call.arguments);
      w.end_object();
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

}  // namespace

std::string StreamAssembler::response_json() const {
  const bool chat = type_ == payload::CallType::completion;
  std::string out;
  std::size_t size_hint = 256 + usage_.size();
  for (const Choice& choice : choices_) size_hint += 64 + choice.content.size();
  out.reserve(size_hint);
  payload::JsonWriter w(out);
  std::string quoted;  // reused: an escaped content with its quotes, written raw

  w.begin_object();
  if (!id_raw_.empty()) {
    w.key("id");
    w.raw(id_raw_);
  }
  w.key("object");
  w.string(chat ? "chat.completion" : "text_completion");
  if (!created_raw_.empty()) {
    w.key("created");
    w.raw(created_raw_);
  }
  if (!model_raw_.empty()) {
    w.key("model");
    w.raw(model_raw_);
  }
  if (!fingerprint_raw_.empty()) {
    w.key("system_fingerprint");
    w.raw(fingerprint_raw_);
  }
  w.key("choices");
  w.begin_array();
  for (std::size_t i = 0; i < choices_.size(); ++i) {
    const Choice& choice = choices_[i];
    if (!choice.seen) continue;
    w.begin_object();
    w.key("index");
    w.integer(static_cast<std::int64_t>(i));
    if (chat) {
      write_chat_message(w, quoted, choice);
    } else {
      w.key("text");
      write_escaped(w, quoted, choice.content);
      w.key("logprobs");
      w.null();
    }
    w.key("finish_reason");
    choice.finish_raw.empty() ? w.null() : w.raw(choice.finish_raw);
    w.end_object();
  }
  w.end_array();
  if (!usage_.empty()) {
    w.key("usage");
    w.raw(usage_);
  }
  w.end_object();
  w.finish();
  return out;
}

std::size_t StreamAssembler::content_bytes() const {
  std::size_t total = 0;
  for (const Choice& choice : choices_) total += choice.content.size();
  return total;
}

std::string_view StreamAssembler::content_excerpt(std::size_t max) const {
  if (choices_.empty()) return {};
  std::string_view content = choices_[0].content;
  if (content.size() <= max) return content;
  // Do not cut an escape sequence in half: back off to before the last backslash run.
  std::size_t cut = max;
  while (cut > 0 && content[cut - 1] == '\\') --cut;
  return content.substr(0, cut);
}

}  // namespace llmtap::gateway
