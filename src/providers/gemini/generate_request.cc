#include "providers/gemini/generate_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "payload/json_writer.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"
#include "providers/json/padded_dom_parser.h"
#include "providers/json/plain_messages.h"
#include "providers/unsupported_params.h"

namespace llmtap::providers::gemini {
namespace {

namespace dom = simdjson::dom;

// The messages' and the tools' documents live for the whole translation; the format's until
// generationConfig is written; the scratch one holds one small parameter or arguments at a time.
// `plain` holds messages of the plain {role, content: string} shape, which need no DOM.
struct Parsers {
  PaddedDomParser messages;
  PaddedDomParser tools;
  PaddedDomParser format;
  PaddedDomParser scratch;
  PlainMessages plain;
};

Parsers& local_parsers() {
  thread_local Parsers parsers;
  return parsers;
}

RequestProblem bad_request(std::string message, std::string param = {}) {
  return RequestProblem{std::move(message), std::move(param)};
}

bool contains(const auto& list, std::string_view key) {
  for (std::string_view k : list) {
    if (k == key) return true;
  }
  return false;
}

// ---- JSON schema → Gemini's OpenAPI subset (LiteLLM's _build_vertex_schema) -----------------

constexpr int kMaxSchemaDepth = 32;

// Keywords Gemini's Schema does not take, removed wherever a schema stands.
constexpr std::array<std::string_view, 6> kDroppedSchemaKeys = {
    "$schema", "$id", "additionalProperties", "strict", "$defs", "definitions"};

bool is_null_schema(dom::element element) {
  dom::object object;
  return element.get(object) == simdjson::SUCCESS && string_member(object, "type") == "null" &&
         object.size() == 1;
}

void write_schema(payload::JsonWriter& w, dom::element schema, dom::object defs, int depth);

// A schema's own members (not its braces), `nullable` added by the caller when asked.
void write_schema_members(payload::JsonWriter& w, dom::object schema, dom::object defs, int depth,
                          bool& wrote_nullable) {
  dom::element ref;
  std::string_view ref_text;
  if (schema["$ref"].get(ref) == simdjson::SUCCESS && ref.get(ref_text) == simdjson::SUCCESS) {
    // "#/$defs/Name" (or "#/definitions/Name") inlined; one that cannot be found stays out.
    const std::size_t slash = ref_text.rfind('/');
    dom::object target;
    if (slash != std::string_view::npos &&
        defs[ref_text.substr(slash + 1)].get(target) == simdjson::SUCCESS &&
        depth < kMaxSchemaDepth) {
      write_schema_members(w, target, defs, depth + 1, wrote_nullable);
    }
    return;
  }
  bool has_type = false;
  bool has_properties = false;
  for (dom::key_value_pair field : schema) {
    if (field.key == "type") has_type = true;
    if (field.key == "properties") has_properties = true;
  }
  if (has_properties && !has_type) {
    w.key("type");
    w.string("object");
  }
  for (dom::key_value_pair field : schema) {
    const std::string_view key = field.key;
    if (contains(kDroppedSchemaKeys, key) || key == "title") continue;
    if (key == "properties" && field.value.is_object()) {
      w.key(key);
      w.begin_object();
      for (dom::key_value_pair property : dom::object(field.value)) {
        w.key(property.key);  // a property's name, kept whatever it is ("title" included)
        write_schema(w, property.value, defs, depth + 1);
      }
      w.end_object();
    } else if (key == "items" && field.value.is_object()) {
      w.key(key);
      write_schema(w, field.value, defs, depth + 1);
    } else if ((key == "anyOf" || key == "oneOf") && field.value.is_array()) {
      std::vector<dom::element> kept;
      bool nullable = false;
      for (dom::element option : dom::array(field.value)) {
        if (is_null_schema(option)) {
          nullable = true;
        } else {
          kept.push_back(option);
        }
      }
      if (nullable && !wrote_nullable) {
        w.key("nullable");
        w.boolean(true);
        wrote_nullable = true;
      }
      if (kept.size() == 1 && kept.front().is_object() && nullable) {
        // {anyOf:[X, null]} is X, nullable.
        write_schema_members(w, dom::object(kept.front()), defs, depth + 1, wrote_nullable);
        continue;
      }
      w.key("anyOf");
      w.begin_array();
      for (dom::element option : kept) write_schema(w, option, defs, depth + 1);
      w.end_array();
    } else {
      w.key(key);
      copy_element(w, field.value);
    }
  }
}

void write_schema(payload::JsonWriter& w, dom::element schema, dom::object defs, int depth) {
  dom::object object;
  if (depth > kMaxSchemaDepth || schema.get(object) != simdjson::SUCCESS) {
    copy_element(w, schema);
    return;
  }
  bool wrote_nullable = false;
  w.begin_object();
  write_schema_members(w, object, defs, depth, wrote_nullable);
  w.end_object();
}

// The root schema, with its own $defs (or definitions) as the place $ref points into.
void write_root_schema(payload::JsonWriter& w, dom::element schema) {
  dom::object defs;
  dom::object object;
  if (schema.get(object) == simdjson::SUCCESS && object["$defs"].get(defs) != simdjson::SUCCESS &&
      object["definitions"].get(defs) != simdjson::SUCCESS) {
    defs = {};
  }
  write_schema(w, schema, defs, 0);
}

// ---- media ------------------------------------------------------------------------------------

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// LiteLLM's _get_mime_type_from_url (the extensions Gemini reads from a URI).
std::string_view mime_from_extension(std::string_view url) {
  const std::size_t end = url.find_first_of("?#");
  if (end != std::string_view::npos) url = url.substr(0, end);
  const std::size_t dot = url.rfind('.');
  const std::size_t slash = url.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  std::string extension;
  for (char c : url.substr(dot + 1)) extension += lower(c);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes = {{
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"webp", "image/webp"},
      {"mp4", "video/mp4"},
      {"mov", "video/mov"},
      {"mpeg", "video/mpeg"},
      {"avi", "video/avi"},
      {"wmv", "video/wmv"},
      {"flv", "video/flv"},
      {"mp3", "audio/mp3"},
      {"wav", "audio/wav"},
      {"pdf", "application/pdf"},
      {"txt", "text/plain"},
  }};
  for (const auto& [name, type] : kTypes) {
    if (name == extension) return type;
  }
  return {};
}

// ---- the parameters -------------------------------------------------------------------------

// OpenAI chat parameters with no Gemini counterpart in LiteLLM's supported list.
constexpr std::array<std::string_view, 9> kUnsupported = {
    "functions",    "function_call", "logit_bias",        "prediction",      "audio",
    "service_tier", "verbosity",     "safety_identifier", "prompt_cache_key"};

struct Plan {
  std::string_view temperature;
  std::string_view top_p;
  std::string_view top_k;
  std::string_view max_output_tokens;  // max_tokens or max_completion_tokens, the later one
  std::string_view stop;
  std::string_view n;
  std::string_view presence_penalty;
  std::string_view frequency_penalty;
  std::string_view seed;
  std::string_view logprobs;
  std::string_view top_logprobs;
  std::string_view modalities;
  std::string_view response_format;
  std::string_view reasoning_effort;
  std::string_view thinking;
  std::string_view tools;
  std::string_view tool_choice;
  std::string_view parallel_tool_calls;
  std::string_view web_search_options;
  std::string_view safety_settings;
  std::string_view cached_content;
  std::vector<std::string_view> unsupported;
};

class Translator {
 public:
  Translator(const payload::RequestSummary& summary, const RequestOptions& options,
             std::string& out)
      : summary_(summary), options_(options), parsers_(local_parsers()), w_(out) {}

  std::optional<RequestProblem> run() {
    gemini3_ = options_.upstream_model.find("gemini-3") != std::string_view::npos;
    if (auto problem = make_plan()) return problem;
    // Messages of the plain shape take the fast path, their text copied as JSON tokens; anything
    // else (and any problem, which the DOM path then names) the general one.
    const bool plain = parsers_.plain.read(summary_.input_raw);
    dom::element messages;
    if (!plain && (parsers_.messages.parse(summary_.input_raw, messages) != simdjson::SUCCESS ||
                   messages.get(messages_) != simdjson::SUCCESS)) {
      return bad_request("'messages' must be an array", "messages");
    }
    w_.begin_object();
    if (plain) {
      write_plain_messages();
    } else {
      if (auto problem = write_contents()) return problem;
      write_system();
    }
    if (auto problem = write_tools()) return problem;
    if (auto problem = write_tool_config()) return problem;
    if (!plan_.safety_settings.empty()) {
      w_.key("safetySettings");
      w_.raw(plan_.safety_settings);
    }
    if (auto problem = write_generation_config()) return problem;
    if (!plan_.cached_content.empty()) {
      w_.key("cachedContent");
      w_.raw(plan_.cached_content);
    }
    w_.end_object();
    w_.finish();
    return std::nullopt;
  }

 private:
  std::optional<RequestProblem> make_plan() {
    const std::pair<std::string_view, std::string_view Plan::*> slots[] = {
        {"temperature", &Plan::temperature},
        {"top_p", &Plan::top_p},
        {"top_k", &Plan::top_k},
        {"max_tokens", &Plan::max_output_tokens},
        {"max_completion_tokens", &Plan::max_output_tokens},
        {"stop", &Plan::stop},
        {"n", &Plan::n},
        {"presence_penalty", &Plan::presence_penalty},
        {"frequency_penalty", &Plan::frequency_penalty},
        {"seed", &Plan::seed},
        {"logprobs", &Plan::logprobs},
        {"top_logprobs", &Plan::top_logprobs},
        {"modalities", &Plan::modalities},
        {"response_format", &Plan::response_format},
        {"reasoning_effort", &Plan::reasoning_effort},
        {"thinking", &Plan::thinking},
        {"tools", &Plan::tools},
        {"tool_choice", &Plan::tool_choice},
        {"parallel_tool_calls", &Plan::parallel_tool_calls},
        {"web_search_options", &Plan::web_search_options},
        {"safety_settings", &Plan::safety_settings},
        {"cached_content", &Plan::cached_content},
    };
    for (const auto& [key, value] : summary_.parameters) {
      if (value == "null") continue;  // LiteLLM's non-default parameters leave out None
      if (gemini3_ && (key == "presence_penalty" || key == "frequency_penalty")) {
        plan_.unsupported.push_back(key);
        continue;
      }
      std::string_view* slot = nullptr;
      for (const auto& [name, member] : slots) {
        if (key == name) slot = &(plan_.*member);
      }
      if (slot != nullptr) {
        *slot = value;
      } else if (contains(kUnsupported, key)) {
        plan_.unsupported.push_back(key);
      }
      // Anything else (stream, user and LiteLLM's own settings, or keys Gemini's request has no
      // field for): left out.
    }
    if (plan_.unsupported.empty() || options_.drop_params) return std::nullopt;
    return RequestProblem{
        unsupported_params_message("gemini", plan_.unsupported, options_.upstream_model),
        std::string(plan_.unsupported.front()), "UnsupportedParamsError"};
  }

  // ---- system -----------------------------------------------------------------------------

  static bool is_system_role(std::string_view role) {
    return role == "system" || role == "developer";
  }

  // A content's text: a string, or its text parts joined.
  static bool content_text(dom::element content, std::string& text) {
    std::string_view s;
    dom::array parts;
    if (content.get(s) == simdjson::SUCCESS) {
      text.assign(s);
      return true;
    }
    text.clear();
    if (content.get(parts) != simdjson::SUCCESS) return false;
    for (dom::element element : parts) {
      dom::object part;
      if (element.get(part) != simdjson::SUCCESS) continue;
      if (string_member(part, "type") == "text") text.append(string_member(part, "text"));
    }
    return true;
  }

  void write_system() {
    bool open = false;
    std::string text;
    for (dom::element element : messages_) {
      dom::object message(element);
      if (!is_system_role(string_member(message, "role"))) continue;
      dom::element content;
      if (message["content"].get(content) != simdjson::SUCCESS || !content_text(content, text) ||
          text.empty()) {
        continue;
      }
      system_part(open);
      w_.string(text);
      w_.end_object();
    }
    close_system(open);
  }

  // {"text": before a system text (system_instruction opened before the first).
  void system_part(bool& open) {
    if (!open) {
      w_.key("system_instruction");
      w_.begin_object();
      w_.key("parts");
      w_.begin_array();
      open = true;
    }
    w_.begin_object();
    w_.key("text");
  }

  void close_system(bool open) {
    if (open) {
      w_.end_array();
      w_.end_object();
    }
  }

  // The fast path: the same contents and system_instruction as write_contents() and
  // write_system() make of plain messages, each text copied as its JSON token.
  void write_plain_messages() {
    for (const PlainMessage& message : parsers_.plain.messages()) {
      if (message.role == PlainMessage::Role::system) continue;
      const Turn turn = message.role == PlainMessage::Role::user ? Turn::user : Turn::model;
      if (turn != turn_) {
        close_turn();
        turn_ = turn;
      }
      ++turn_messages_;
      if (message.text.empty()) continue;  // Gemini rejects empty text parts
      open_part();
      w_.key("text");
      w_.raw(message.token);
      w_.end_object();
    }
    close_contents();
    bool open = false;
    for (const PlainMessage& message : parsers_.plain.messages()) {
      if (message.role != PlainMessage::Role::system || message.text.empty()) continue;
      system_part(open);
      w_.raw(message.token);
      w_.end_object();
    }
    close_system(open);
  }

  // ---- contents ---------------------------------------------------------------------------

  enum class Turn { none, user, model, tool };

  void open_part() {
    if (!turn_open_) {
      if (!contents_open_) {
        w_.key("contents");
        w_.begin_array();
        contents_open_ = true;
      }
      w_.begin_object();
      w_.key("role");
      w_.string(turn_ == Turn::model ? "model" : "user");
      w_.key("parts");
      w_.begin_array();
      turn_open_ = true;
    }
    w_.begin_object();
  }

  void text_part(std::string_view text) {
    if (text.empty()) return;  // Gemini rejects empty text parts
    open_part();
    w_.key("text");
    w_.string(text);
    w_.end_object();
  }

  void close_turn() {
    if (turn_ == Turn::user && !turn_open_ && turn_messages_ > 0) {
      text_part(" ");  // a user turn must have a part (LiteLLM #5515)
    }
    if (turn_open_) {
      w_.end_array();
      w_.end_object();
      turn_open_ = false;
    }
    turn_messages_ = 0;
  }

  std::optional<RequestProblem> write_contents() {
    for (dom::element element : messages_) {
      dom::object message;
      std::string_view role;
      if (element.get(message) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: each message must be an object", "messages");
      }
      if (message["role"].get(role) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: a message has no role", "messages");
      }
      if (is_system_role(role)) continue;
      Turn turn = Turn::none;
      if (role == "user") {
        turn = Turn::user;
      } else if (role == "assistant") {
        turn = Turn::model;
      } else if (role == "tool" || role == "function") {
        turn = Turn::tool;
      } else {
        return bad_request(
            fmt::format("Invalid Message passed in: role '{}' is not supported", role), "messages");
      }
      if (turn != turn_) {
        close_turn();
        turn_ = turn;
      }
      ++turn_messages_;
      std::optional<RequestProblem> problem;
      if (turn == Turn::user) problem = user_message(message);
      if (turn == Turn::model) problem = assistant_message(message);
      if (turn == Turn::tool) problem = tool_result(message, role);
      if (problem) return problem;
    }
    close_contents();
    return std::nullopt;
  }

  // The last turn, then the contents array (empty when no turn had a part).
  void close_contents() {
    close_turn();
    if (!contents_open_) {
      w_.key("contents");
      w_.begin_array();
    }
    w_.end_array();
  }

  std::optional<RequestProblem> user_message(dom::object message) {
    dom::element content;
    if (message["content"].get(content) != simdjson::SUCCESS || content.is_null()) {
      return std::nullopt;
    }
    std::string_view text;
    if (content.get(text) == simdjson::SUCCESS) {
      text_part(text);
      return std::nullopt;
    }
    dom::array parts;
    if (content.get(parts) != simdjson::SUCCESS) {
      return bad_request("Invalid Message passed in: content must be a string or a list",
                         "messages");
    }
    for (dom::element element : parts) {
      dom::object part;
      if (element.get(part) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: a content part is not an object",
                           "messages");
      }
      if (auto problem = user_part(part)) return problem;
    }
    return std::nullopt;
  }

  std::optional<RequestProblem> user_part(dom::object part) {
    const std::string_view type = string_member(part, "type");
    if (type == "text") {
      text_part(string_member(part, "text"));
      return std::nullopt;
    }
    if (type == "image_url") {
      dom::element image;
      std::string_view url;
      dom::object object;
      std::string_view format;
      if (part["image_url"].get(image) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: image_url part without image_url",
                           "messages");
      }
      if (image.get(object) == simdjson::SUCCESS) {
        url = string_member(object, "url");
        format = string_member(object, "format");
      } else if (image.get(url) != simdjson::SUCCESS) {
        url = {};
      }
      return media_part(url, format);
    }
    if (type == "file") {
      dom::object file;
      if (part["file"].get(file) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: file part without file", "messages");
      }
      const std::string_view data = string_member(file, "file_data");
      return media_part(!data.empty() ? data : string_member(file, "file_id"),
                        string_member(file, "format"));
    }
    if (type == "input_audio") {
      dom::object audio;
      if (part["input_audio"].get(audio) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: input_audio part without input_audio",
                           "messages");
      }
      open_part();
      w_.key("inline_data");
      w_.begin_object();
      w_.key("mime_type");
      w_.string(fmt::format("audio/{}", string_member(audio, "format")));
      w_.key("data");
      w_.string(string_member(audio, "data"));
      w_.end_object();
      w_.end_object();
      return std::nullopt;
    }
    return bad_request(
        fmt::format("Invalid Message passed in: content part type '{}' is not supported", type),
        "messages");
  }

  // A URL as a part: a data: URL inline (split at "data:", then at ";base64,"), a gs:// or
  // http(s) URL as a file Gemini reads itself.
  std::optional<RequestProblem> media_part(std::string_view url, std::string_view format) {
    if (url.starts_with("data:")) {
      const std::size_t marker = url.find(";base64,");
      if (marker == std::string_view::npos) {
        return bad_request("Invalid image url: a data URL must be base64", "messages");
      }
      open_part();
      w_.key("inline_data");
      w_.begin_object();
      w_.key("mime_type");
      w_.string(!format.empty() ? format : url.substr(5, marker - 5));
      w_.key("data");
      w_.string(url.substr(marker + 8));
      w_.end_object();
      w_.end_object();
      return std::nullopt;
    }
    if (url.starts_with("gs://") || url.starts_with("https://") || url.starts_with("http://")) {
      const std::string_view mime = !format.empty() ? format : mime_from_extension(url);
      open_part();
      w_.key("file_data");
      w_.begin_object();
      if (!mime.empty()) {
        w_.key("mime_type");
        w_.string(mime);
      }
      w_.key("file_uri");
      w_.string(url);
      w_.end_object();
      w_.end_object();
      return std::nullopt;
    }
    return bad_request("Invalid image url: expected a data:, gs:// or http(s) URL", "messages");
  }

  std::optional<RequestProblem> assistant_message(dom::object message) {
    dom::element content;
    std::string text;
    if (message["content"].get(content) == simdjson::SUCCESS && !content.is_null() &&
        content_text(content, text)) {
      text_part(text);
    }
    dom::array calls;
    if (message["tool_calls"].get(calls) == simdjson::SUCCESS) {
      for (dom::element element : calls) {
        dom::object call;
        dom::object function;
        if (element.get(call) != simdjson::SUCCESS ||
            call["function"].get(function) != simdjson::SUCCESS) {
          return bad_request("Invalid Message passed in: a tool call has no function", "messages");
        }
        const std::string_view id = string_member(call, "id");
        const std::string_view name = string_member(function, "name");
        tool_names_.emplace_back(id, name);
        if (auto problem = function_call_part(name, string_member(function, "arguments"))) {
          return problem;
        }
      }
    }
    dom::object legacy;
    if (message["function_call"].get(legacy) == simdjson::SUCCESS) {
      return function_call_part(string_member(legacy, "name"), string_member(legacy, "arguments"));
    }
    return std::nullopt;
  }

  std::optional<RequestProblem> function_call_part(std::string_view name,
                                                   std::string_view arguments) {
    dom::element args;
    const bool empty = arguments.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (!empty && parsers_.scratch.parse(arguments, args) != simdjson::SUCCESS) {
      return bad_request(
          fmt::format("Invalid Message passed in: the arguments of tool call '{}' are not JSON",
                      name),
          "messages");
    }
    open_part();
    w_.key("function_call");
    w_.begin_object();
    w_.key("name");
    w_.string(name);
    w_.key("args");
    if (empty) {
      w_.begin_object();  // LiteLLM sends {"type":"object"} here; a call without arguments is {}
      w_.end_object();
    } else {
      copy_element(w_, args);
    }
    w_.end_object();
    w_.end_object();
    return std::nullopt;
  }

  std::optional<RequestProblem> tool_result(dom::object message, std::string_view role) {
    std::string_view name;
    if (role == "function") {
      name = string_member(message, "name");
    } else {
      const std::string_view id = string_member(message, "tool_call_id");
      for (const auto& [call_id, call_name] : tool_names_) {
        if (call_id == id) name = call_name;
      }
      if (name.empty()) {
        return bad_request("Missing corresponding tool call for tool response message", "messages");
      }
    }
    std::string text;
    dom::element content;
    if (message["content"].get(content) == simdjson::SUCCESS && !content.is_null()) {
      content_text(content, text);
    }
    open_part();
    w_.key("function_response");
    w_.begin_object();
    w_.key("name");
    w_.string(name);
    w_.key("response");
    w_.begin_object();
    w_.key("content");
    w_.string(text);
    w_.end_object();
    w_.end_object();
    w_.end_object();
    return std::nullopt;
  }

  // ---- tools ------------------------------------------------------------------------------

  std::optional<RequestProblem> write_tools() {
    std::vector<dom::object> functions;
    std::vector<dom::element> others;
    if (!plan_.tools.empty()) {
      dom::element value;
      dom::array tools;
      if (parsers_.tools.parse(plan_.tools, value) != simdjson::SUCCESS ||
          value.get(tools) != simdjson::SUCCESS) {
        return bad_request("tools: must be an array", "tools");
      }
      for (dom::element tool : tools) {
        dom::object object;
        if (tool.get(object) != simdjson::SUCCESS) {
          return bad_request("tools: each tool must be an object", "tools");
        }
        dom::object function;
        if (object["function"].get(function) == simdjson::SUCCESS) {
          if (string_member(function, "name").empty()) {
            return bad_request("tools: a function tool needs function.name", "tools");
          }
          functions.push_back(function);
        } else {
          others.push_back(tool);  // googleSearch, code_execution, url_context…: Gemini's own
        }
      }
    }
    function_tools_ = functions.size();
    const bool web_search = !plan_.web_search_options.empty();
    if (functions.empty() && others.empty() && !web_search) return std::nullopt;
    w_.key("tools");
    w_.begin_array();
    if (!functions.empty()) {
      w_.begin_object();
      w_.key("function_declarations");
      w_.begin_array();
      for (dom::object function : functions) {
        w_.begin_object();
        w_.key("name");
        w_.string(string_member(function, "name"));
        if (const std::string_view description = string_member(function, "description");
            !description.empty()) {
          w_.key("description");
          w_.string(description);
        }
        if (dom::element parameters;
            function["parameters"].get(parameters) == simdjson::SUCCESS && parameters.is_object()) {
          w_.key("parameters");
          write_root_schema(w_, parameters);
        }
        w_.end_object();
      }
      w_.end_array();
      w_.end_object();
    }
    for (dom::element other : others) copy_element(w_, other);
    if (web_search) w_.raw(R"({"googleSearch":{}})");
    w_.end_array();
    return std::nullopt;
  }

  std::optional<RequestProblem> write_tool_config() {
    if (!plan_.parallel_tool_calls.empty() && plan_.parallel_tool_calls == "false" &&
        function_tools_ > 1 && !options_.drop_params) {
      return RequestProblem{
          "`parallel_tool_calls=False` is not supported by Gemini when multiple tools are "
          "provided. Set `litellm.drop_params=True` to drop it.",
          "parallel_tool_calls", "UnsupportedParamsError"};
    }
    if (plan_.tool_choice.empty()) return std::nullopt;
    dom::element value;
    if (parsers_.scratch.parse(plan_.tool_choice, value) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    std::string_view mode;
    std::string name;
    std::string_view choice;
    dom::object object;
    dom::object function;
    if (value.get(choice) == simdjson::SUCCESS) {
      if (choice == "none") mode = "NONE";
      if (choice == "required") mode = "ANY";
      if (choice == "auto") mode = "AUTO";
    } else if (value.get(object) == simdjson::SUCCESS &&
               object["function"].get(function) == simdjson::SUCCESS &&
               function["name"].get(choice) == simdjson::SUCCESS) {
      mode = "ANY";
      name.assign(choice);
    }
    if (mode.empty()) {
      return RequestProblem{
          fmt::format("Unsupported tool_choice: {}. Expected 'none', 'auto', 'required' or "
                      "{{\"type\": \"function\", \"function\": {{\"name\": ...}}}}",
                      plan_.tool_choice),
          "tool_choice", "UnsupportedParamsError"};
    }
    w_.key("toolConfig");
    w_.begin_object();
    w_.key("functionCallingConfig");
    w_.begin_object();
    w_.key("mode");
    w_.string(mode);
    if (!name.empty()) {
      w_.key("allowed_function_names");
      w_.begin_array();
      w_.string(name);
      w_.end_array();
    }
    w_.end_object();
    w_.end_object();
    return std::nullopt;
  }

  // ---- generationConfig -------------------------------------------------------------------

  void open_config() {
    if (config_open_) return;
    w_.key("generationConfig");
    w_.begin_object();
    config_open_ = true;
  }

  void raw_field(std::string_view key, std::string_view raw) {
    if (raw.empty()) return;
    open_config();
    w_.key(key);
    w_.raw(raw);
  }

  std::optional<RequestProblem> write_generation_config() {
    if (!plan_.temperature.empty()) {
      raw_field("temperature", plan_.temperature);
    } else if (gemini3_) {
      // LiteLLM: Gemini 3 degrades below 1.0, so an absent temperature is sent as 1.0.
      raw_field("temperature", "1.0");
    }
    raw_field("top_p", plan_.top_p);
    raw_field("top_k", plan_.top_k);
    raw_field("candidate_count", plan_.n);
    write_stop();
    raw_field("max_output_tokens", plan_.max_output_tokens);
    raw_field("presence_penalty", plan_.presence_penalty);
    raw_field("frequency_penalty", plan_.frequency_penalty);
    raw_field("seed", plan_.seed);
    raw_field("responseLogprobs", plan_.logprobs);
    raw_field("logprobs", plan_.top_logprobs);
    write_modalities();
    if (auto problem = write_response_format()) return problem;
    if (auto problem = write_thinking()) return problem;
    if (config_open_) w_.end_object();
    return std::nullopt;
  }

  void write_stop() {
    if (plan_.stop.empty()) return;
    dom::element value;
    if (parsers_.scratch.parse(plan_.stop, value) != simdjson::SUCCESS) return;
    if (value.is_string()) {
      open_config();
      w_.key("stop_sequences");
      w_.begin_array();
      w_.raw(plan_.stop);
      w_.end_array();
    } else if (value.is_array()) {
      raw_field("stop_sequences", plan_.stop);
    }
  }

  void write_modalities() {
    if (plan_.modalities.empty()) return;
    dom::element value;
    dom::array list;
    if (parsers_.scratch.parse(plan_.modalities, value) != simdjson::SUCCESS ||
        value.get(list) != simdjson::SUCCESS) {
      return;
    }
    open_config();
    w_.key("responseModalities");
    w_.begin_array();
    for (dom::element element : list) {
      std::string_view modality;
      if (element.get(modality) != simdjson::SUCCESS) continue;
      std::string upper;
      for (char c : modality) upper += c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
      w_.string(upper);
    }
    w_.end_array();
  }

  std::optional<RequestProblem> write_response_format() {
    if (plan_.response_format.empty()) return std::nullopt;
    dom::element value;
    dom::object format;
    if (parsers_.format.parse(plan_.response_format, value) != simdjson::SUCCESS ||
        value.get(format) != simdjson::SUCCESS) {
      return std::nullopt;  // not an object: LiteLLM ignores it
    }
    const std::string_view type = string_member(format, "type");
    if (type == "text") {
      open_config();
      w_.key("response_mime_type");
      w_.string("text/plain");
      return std::nullopt;
    }
    dom::element schema;
    dom::object json_schema;
    // LiteLLM's own response_schema key, else json_schema.schema.
    const bool has_schema =
        (format["response_schema"].get(schema) == simdjson::SUCCESS && schema.is_object()) ||
        (format["json_schema"].get(json_schema) == simdjson::SUCCESS &&
         json_schema["schema"].get(schema) == simdjson::SUCCESS && schema.is_object());
    if (type != "json_object" && type != "json_schema" && !has_schema) return std::nullopt;
    open_config();
    w_.key("response_mime_type");
    w_.string("application/json");
    if (!has_schema) return std::nullopt;
    if (options_.upstream_model.find("gemini-1") != std::string_view::npos) {
      // Gemini 1.x takes only the OpenAPI subset.
      w_.key("response_schema");
      write_root_schema(w_, schema);
    } else {
      w_.key("responseJsonSchema");
      copy_element(w_, schema);
    }
    return std::nullopt;
  }

  std::optional<RequestProblem> write_thinking() {
    if (!plan_.thinking.empty()) {
      // Anthropic's shape, which LiteLLM also takes for Gemini: {type, budget_tokens}.
      dom::element value;
      dom::object thinking;
      if (parsers_.scratch.parse(plan_.thinking, value) != simdjson::SUCCESS ||
          value.get(thinking) != simdjson::SUCCESS) {
        return std::nullopt;
      }
      const bool enabled = string_member(thinking, "type") == "enabled";
      std::int64_t budget = 0;
      const bool has_budget = thinking["budget_tokens"].get(budget) == simdjson::SUCCESS;
      open_config();
      w_.key("thinkingConfig");
      w_.begin_object();
      w_.key("includeThoughts");
      w_.boolean(enabled);
      if (!enabled || has_budget) {
        w_.key("thinkingBudget");
        w_.integer(enabled ? budget : 0);
      }
      w_.end_object();
      return std::nullopt;
    }
    if (plan_.reasoning_effort.empty()) return std::nullopt;
    dom::element value;
    std::string_view effort;
    if (parsers_.scratch.parse(plan_.reasoning_effort, value) != simdjson::SUCCESS ||
        value.get(effort) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    const std::string_view model = options_.upstream_model;
    const bool off = effort == "none" || effort == "disable";
    std::int64_t budget = 0;
    std::string_view level;
    if (effort == "minimal") {
      if (model.find("flash-lite") != std::string_view::npos) {
        budget = 512;
      } else if (model.find("pro") != std::string_view::npos) {
        budget = 128;
      } else {
        budget = 1;
      }
      level = "low";
    } else if (effort == "low") {
      budget = 1024;
      level = "low";
    } else if (effort == "medium") {
      budget = 2048;
      level = "high";
    } else if (effort == "high") {
      budget = 4096;
      level = "high";
    } else if (!off) {
      return bad_request(fmt::format("Unmapped reasoning effort: '{}'. Must be one of: "
                                     "'minimal', 'low', 'medium', 'high', 'disable', 'none'.",
                                     effort),
                         "reasoning_effort");
    }
    open_config();
    w_.key("thinkingConfig");
    w_.begin_object();
    if (gemini3_) {
      w_.key("thinkingLevel");
      w_.string(off ? "low" : level);
    } else {
      w_.key("thinkingBudget");
      w_.integer(budget);
    }
    w_.key("includeThoughts");
    w_.boolean(!off);
    w_.end_object();
    return std::nullopt;
  }

  const payload::RequestSummary& summary_;
  const RequestOptions& options_;
  Parsers& parsers_;
  payload::JsonWriter w_;
  Plan plan_;
  bool gemini3_ = false;
  dom::array messages_;
  Turn turn_ = Turn::none;
  std::size_t turn_messages_ = 0;
  bool turn_open_ = false;
  bool contents_open_ = false;
  bool config_open_ = false;
  std::size_t function_tools_ = 0;
  // Each assistant tool call's id and function name (views into the messages' document), for
  // the tool results that answer them.
  std::vector<std::pair<std::string_view, std::string_view>> tool_names_;
};

}  // namespace

Result<GenerateRequest, RequestProblem> to_generate_request(const payload::RequestSummary& summary,
                                                            const RequestOptions& options) {
  GenerateRequest request;
  request.body.reserve(summary.input_raw.size() + 256);
  {
    Translator translator(summary, options, request.body);
    if (auto problem = translator.run()) return std::move(*problem);
  }
  return request;
}

}  // namespace llmtap::providers::gemini
