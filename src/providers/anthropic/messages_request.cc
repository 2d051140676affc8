#include "providers/anthropic/messages_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "payload/call_id.h"
#include "payload/json_scanner.h"
#include "payload/json_writer.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"
#include "providers/json/padded_dom_parser.h"
#include "providers/unsupported_params.h"

namespace llmtap::providers::anthropic {
namespace {

namespace dom = simdjson::dom;
namespace od = simdjson::ondemand;

// LiteLLM's RESPONSE_FORMAT_TOOL_NAME: the tool a json_schema response_format becomes.
constexpr std::string_view kJsonToolName = "json_tool_call";
// LiteLLM's DEFAULT_MAX_TOKENS: what max_tokens exceeds the thinking budget by when neither
// max_tokens nor max_completion_tokens is given.
constexpr std::int64_t kThinkingHeadroom = 4096;

// The per-thread parsers: the messages' document lives for the whole translation, the scratch one
// for one small parameter value at a time, the arguments one for one tool call's arguments. The
// on-demand scanner reads `tools` and `response_format`, whose schemas are copied as raw bytes.
struct Parsers {
  PaddedDomParser messages;
  PaddedDomParser scratch;
  PaddedDomParser arguments;
  payload::JsonScanner tools;
};

Parsers& local_parsers() {
  thread_local Parsers parsers;
  return parsers;
}

bool is_space(char c) {
  // Python's str.isspace() / rstrip() for ASCII: \t \n \v \f \r, the separators \x1c-\x1f, space.
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

std::string_view rstrip(std::string_view text) {
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_blank(std::string_view text) {  // Python's isspace(): false for ""
  return !text.empty() && rstrip(text).empty();
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

// LiteLLM's email pattern ^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$, by hand.
bool looks_like_email(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);  // Python's $ also matches before it
  const std::size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  for (char c : s.substr(0, at)) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-') return false;
  }
  const std::string_view domain = s.substr(at + 1);
  for (char c : domain) {
    if (!is_alnum(c) && c != '.' && c != '-') return false;
  }
  // The top-level part has no dot, so it follows the last one.
  const std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view top = domain.substr(dot + 1);
  if (top.size() < 2) return false;
  for (char c : top) {
    if (!is_alpha(c)) return false;
  }
  return true;
}

// LiteLLM's phone pattern ^\+?[\d\s\(\)-]{7,}$, by hand (ASCII digits and spaces).
bool looks_like_phone(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.size() < 7) return false;
  for (char c : s) {
    if (!is_digit(c) && !is_space(c) && c != '(' && c != ')' && c != '-') return false;
  }
  return true;
}

// LiteLLM's _valid_user_id: Anthropic rejects a metadata.user_id that is an email or a phone.
bool valid_user_id(std::string_view id) { return !looks_like_email(id) && !looks_like_phone(id); }

// A part's or message's cache_control, copied when it is an object (add_cache_control_to_content).
void copy_cache_control(payload::JsonWriter& w, const dom::object* source) {
  dom::element cache_control;
  if (source == nullptr || (*source)["cache_control"].get(cache_control) != simdjson::SUCCESS ||
      !cache_control.is_object()) {
    return;
  }
  w.key("cache_control");
  copy_element(w, cache_control);
}

RequestProblem bad_request(std::string message, std::string param = {}) {
  return RequestProblem{std::move(message), std::move(param)};
}

// The request's parameters, sorted by what happens to them. Views into the client's body.
struct Plan {
  std::string_view max_tokens;
  std::string_view max_completion_tokens;
  std::string_view temperature;
  std::string_view top_p;
  std::string_view stop;
  std::string_view tools;
  std::string_view tool_choice;
  std::string_view parallel_tool_calls;
  std::string_view response_format;
  std::string_view thinking;
  std::string_view reasoning_effort;
  // Keys that are not OpenAI parameters: LiteLLM passes them to the provider as they are
  // (top_k, speed, cache_control…).
  std::vector<std::pair<std::string_view, std::string_view>> forwarded;
  std::vector<std::string_view> unsupported;
};

// OpenAI chat parameters Anthropic has no counterpart for (from LiteLLM's
// DEFAULT_CHAT_COMPLETION_PARAM_VALUES minus AnthropicConfig's supported list).
constexpr std::array<std::string_view, 17> kUnsupported = {"functions",
                                                           "function_call",
                                                           "n",
                                                           "modalities",
                                                           "prediction",
                                                           "audio",
                                                           "presence_penalty",
                                                           "frequency_penalty",
                                                           "logit_bias",
                                                           "seed",
                                                           "logprobs",
                                                           "top_logprobs",
                                                           "verbosity",
                                                           "service_tier",
                                                           "safety_identifier",
                                                           "prompt_cache_key",
                                                           "web_search_options"};

// Keys LiteLLM consumes itself (client settings, headers) or that are taken from the summary:
// never part of the body.
constexpr std::array<std::string_view, 17> kConsumed = {"stream",
                                                        "stream_options",
                                                        "user",
                                                        "extra_headers",
                                                        "max_retries",
                                                        "drop_params",
                                                        "allowed_openai_params",
                                                        "additional_drop_params",
                                                        "api_version",
                                                        "api_key",
                                                        "api_base",
                                                        "base_url",
                                                        "timeout",
                                                        "request_timeout",
                                                        "custom_llm_provider",
                                                        "deployment_id",
                                                        "organization"};

// The OpenAI parameters the translation reads, and where make_plan() keeps each.
constexpr std::pair<std::string_view, std::string_view Plan::*> kPlanSlots[] = {
    {"max_tokens", &Plan::max_tokens},
    {"max_completion_tokens", &Plan::max_completion_tokens},
    {"temperature", &Plan::temperature},
    {"top_p", &Plan::top_p},
    {"stop", &Plan::stop},
    {"tools", &Plan::tools},
    {"tool_choice", &Plan::tool_choice},
    {"parallel_tool_calls", &Plan::parallel_tool_calls},
    {"response_format", &Plan::response_format},
    {"thinking", &Plan::thinking},
    {"reasoning_effort", &Plan::reasoning_effort},
};

bool contains(const auto& list, std::string_view key) {
  for (std::string_view k : list) {
    if (k == key) return true;
  }
  return false;
}

Plan make_plan(const payload::RequestSummary& summary) {
  Plan plan;
  for (const auto& [key, value] : summary.parameters) {
    if (value == "null") continue;  // LiteLLM's non-default parameters leave out None
    std::string_view* slot = nullptr;
    for (const auto& [name, member] : kPlanSlots) {
      if (key == name) slot = &(plan.*member);
    }
    if (slot != nullptr) {
      *slot = value;
    } else if (contains(kUnsupported, key)) {
      if (key == "n" && value == "1") continue;  // LiteLLM skips n=1 (langchain's default)
      plan.unsupported.push_back(key);
    } else if (!contains(kConsumed, key)) {
      plan.forwarded.emplace_back(key, value);
    }
  }
  return plan;
}

// What `thinking` ends up as: the client's own value, or reasoning_effort's budget.
struct Thinking {
  std::string_view raw;              // the client's `thinking`, when given
  std::int64_t budget = 0;           // reasoning_effort's budget when > 0
  bool enabled = false;              // type "enabled" (what sets max_tokens from the budget)
  std::int64_t enabled_budget = -1;  // its budget_tokens when known
};

class Translator {
 public:
  Translator(const payload::RequestSummary& summary, const RequestOptions& options,
             std::string& out)
      : summary_(summary), options_(options), parsers_(local_parsers()), w_(out) {}

  // Whether the json_tool_call tool went out (valid after run()).
  bool json_mode() const { return !json_schema_.empty(); }

  std::optional<RequestProblem> run() {
    plan_ = make_plan(summary_);
    if (!plan_.unsupported.empty()) {
      if (!options_.drop_params) return unsupported_problem();
    }
    if (auto problem = read_thinking()) return problem;
    if (auto problem = read_json_schema()) return problem;

    dom::element root;
    if (parsers_.messages.parse(summary_.input_raw, root) != simdjson::SUCCESS ||
        root.get(messages_) != simdjson::SUCCESS) {
      return bad_request("'messages' must be an array", "messages");
    }

    w_.begin_object();
    w_.key("model");
    w_.string(options_.upstream_model);
    if (auto problem = write_system()) return problem;
    if (auto problem = write_messages()) return problem;
    if (auto problem = write_max_tokens()) return problem;
    if (!plan_.temperature.empty()) {
      w_.key("temperature");
      w_.raw(plan_.temperature);
    }
    if (!plan_.top_p.empty()) {
      w_.key("top_p");
      w_.raw(plan_.top_p);
    }
    write_stop();
    for (const auto& [key, value] : plan_.forwarded) {
      w_.raw_key(key);
      w_.raw(value);
    }
    write_metadata();
    write_thinking();
    if (auto problem = write_tools()) return problem;
    if (auto problem = write_tool_choice()) return problem;
    if (options_.stream) {
      w_.key("stream");
      w_.boolean(true);
    }
    w_.end_object();
    w_.finish();
    return std::nullopt;
  }

 private:
  RequestProblem unsupported_problem() const {
    return RequestProblem{
        unsupported_params_message("anthropic", plan_.unsupported, options_.upstream_model),
        std::string(plan_.unsupported.front()), "UnsupportedParamsError"};
  }

  // ---- parameters read before writing -------------------------------------------------------

  std::optional<RequestProblem> read_thinking() {
    if (!plan_.reasoning_effort.empty()) {
      dom::element value;
      std::string_view effort;
      if (parsers_.scratch.parse(plan_.reasoning_effort, value) == simdjson::SUCCESS &&
          value.get(effort) == simdjson::SUCCESS) {
        // LiteLLM's budgets (constants.py); "minimal" is floored at Anthropic's minimum, 1024.
        static constexpr std::array<std::pair<std::string_view, std::int64_t>, 7> kBudgets = {{
            {"none", 0},
            {"minimal", 1024},
            {"low", 1024},
            {"medium", 2048},
            {"high", 4096},
            {"xhigh", 8192},
            {"max", 16384},
        }};
        bool known = false;
        for (const auto& [name, budget] : kBudgets) {
          if (name == effort) {
            thinking_.budget = budget;
            known = true;
          }
        }
        if (!known) {
          return bad_request(fmt::format("Unmapped reasoning effort: '{}'. Must be one of: "
                                         "'minimal', 'low', 'medium', 'high', 'xhigh', 'max', "
                                         "'none'.",
                                         effort),
                             "reasoning_effort");
        }
      }
      // LiteLLM's is_thinking_enabled() counts any reasoning_effort, "none" included.
      thinking_requested_ = true;
      if (thinking_.budget > 0) {
        thinking_.enabled = true;
        thinking_.enabled_budget = thinking_.budget;
      }
    }
    if (!plan_.thinking.empty()) {
      // `thinking` comes after reasoning_effort in LiteLLM's parameter order, so it wins.
      thinking_.raw = plan_.thinking;
      thinking_.budget = 0;
      thinking_.enabled = false;
      thinking_.enabled_budget = -1;
      dom::element value;
      dom::object object;
      if (parsers_.scratch.parse(plan_.thinking, value) == simdjson::SUCCESS &&
          value.get(object) == simdjson::SUCCESS && string_member(object, "type") == "enabled") {
        thinking_.enabled = true;
        thinking_requested_ = true;
        std::int64_t budget = 0;
        if (object["budget_tokens"].get(budget) == simdjson::SUCCESS) {
          thinking_.enabled_budget = budget;
        }
      }
    }
    return std::nullopt;
  }

  // response_format: {type:text} and a bare json_object send nothing; a schema (json_schema's
  // schema, or response_schema) becomes the json_tool_call tool.
  std::optional<RequestProblem> read_json_schema() {
    if (plan_.response_format.empty()) return std::nullopt;
    od::document doc;
    od::object format;
    std::string_view format_type;
    if (parsers_.tools.iterate(plan_.response_format, doc) != simdjson::SUCCESS ||
        doc.get_object().get(format) != simdjson::SUCCESS) {
      return std::nullopt;  // not an object: LiteLLM ignores it
    }
    for (auto field_result : format) {
      od::field field;
      std::string_view key;
      od::json_type type;
      if (payload::JsonScanner::member(std::move(field_result), field, key, type)) break;
      if (key == "type" && type == od::json_type::string) {
        if (field.value().get_string().get(format_type)) return schema_problem();
      } else if (key == "response_schema") {
        if (scan_schema(field.value(), type)) return schema_problem();
        schema_from_response_schema_ = true;
      } else if (key == "json_schema" && !schema_from_response_schema_) {
        if (type != od::json_type::object) continue;
        od::object json_schema;
        if (field.value().get_object().get(json_schema)) return schema_problem();
        for (auto inner_result : json_schema) {
          od::field inner;
          std::string_view inner_key;
          od::json_type inner_type;
          if (payload::JsonScanner::member(std::move(inner_result), inner, inner_key, inner_type)) {
            return schema_problem();
          }
          if (inner_key == "schema" && scan_schema(inner.value(), inner_type)) {
            return schema_problem();
          }
        }
      }
    }
    if (format_type == "text") return std::nullopt;  // a no-op, whatever else it holds
    // The views point into the scanner's copy, which write_tools() reuses: keep the schema's
    // bytes until then.
    json_schema_.assign(json_schema_view_);
    return std::nullopt;
  }

  static RequestProblem schema_problem() {
    return bad_request("response_format: the JSON schema could not be read", "response_format");
  }

  // Records an object schema's bytes and whether it names its own "type". Non-zero on error.
  int scan_schema(od::value& value, od::json_type type) {
    if (type != od::json_type::object) {
      json_schema_view_ = {};
      return 0;
    }
    const char* start = value.raw_json_token().data();
    od::object object;
    if (value.get_object().get(object)) return 1;
    schema_has_type_ = false;
    for (auto field_result : object) {
      od::field field;
      std::string_view key;
      od::json_type field_type;
      if (payload::JsonScanner::member(std::move(field_result), field, key, field_type)) return 1;
      if (key == "type") schema_has_type_ = true;
      if (payload::JsonScanner::validate(field.value())) return 1;
    }
    if (payload::JsonScanner::slice_to_here(value, start, &json_schema_view_)) return 1;
    return 0;
  }

  // ---- system -------------------------------------------------------------------------------

  static bool is_system_role(std::string_view role) {
    return role == "system" || role == "developer";  // developer: LiteLLM maps it to system
  }

  void system_block(std::string_view text, const dom::object* cache_source, bool& open) {
    if (!open) {
      w_.key("system");
      w_.begin_array();
      open = true;
    }
    w_.begin_object();
    w_.key("type");
    w_.string("text");
    w_.key("text");
    w_.string(text);
    copy_cache_control(w_, cache_source);
    w_.end_object();
  }

  std::optional<RequestProblem> write_system() {
    bool open = false;
    for (dom::element element : messages_) {
      dom::object message;
      if (element.get(message) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: each message must be an object", "messages");
      }
      std::string_view role;
      if (message["role"].get(role) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: a message has no role", "messages");
      }
      if (!is_system_role(role)) {
        ++non_system_count_;
        continue;
      }
      dom::element content;
      if (message["content"].get(content) != simdjson::SUCCESS) continue;
      std::string_view text;
      dom::array parts;
      if (content.get(text) == simdjson::SUCCESS) {
        // Empty system text is skipped (Anthropic rejects empty blocks), and so is Claude Code's
        // billing-header line.
        if (text.empty() || text.starts_with("x-anthropic-billing-header:")) continue;
        system_block(text, &message, open);
      } else if (content.get(parts) == simdjson::SUCCESS) {
        for (dom::element part_element : parts) {
          dom::object part;
          if (part_element.get(part) != simdjson::SUCCESS) continue;
          if (string_member(part, "type") != "text") continue;
          const std::string_view part_text = string_member(part, "text");
          if (part_text.empty() || part_text.starts_with("x-anthropic-billing-header:")) continue;
          system_block(part_text, &part, open);
        }
      }
    }
    if (open) w_.end_array();
    if (non_system_count_ == 0) {
      return bad_request(
          "Anthropic requires at least one non-system message. Either provide one, or set "
          "`litellm.modify_params = True` // `litellm_settings::modify_params: True` to add the "
          "dummy user message - {'role': 'user', 'content': 'Please continue.'}.",
          "messages");
    }
    return std::nullopt;
  }

  // ---- messages -----------------------------------------------------------------------------

  enum class Turn { none, user, assistant };

  // Opens the current turn's message before its first block; a turn with no block is not sent.
  void open_message() {
    if (!message_open_) {
      if (!messages_open_) {
        w_.key("messages");
        w_.begin_array();
        messages_open_ = true;
      }
      w_.begin_object();
      w_.key("role");
      w_.string(turn_ == Turn::user ? "user" : "assistant");
      w_.key("content");
      w_.begin_array();
      message_open_ = true;
    }
  }

  void block_start() {
    open_message();
    w_.begin_object();
  }

  // A block that is already in Anthropic's shape (document parts, thinking blocks), copied whole.
  void copy_block(dom::element block) {
    open_message();
    copy_element(w_, block);
  }

  void close_turn() {
    if (message_open_) {
      w_.end_array();
      w_.end_object();
      message_open_ = false;
    }
  }

  void text_block(std::string_view text, const dom::object* cache_source) {
    block_start();
    w_.key("type");
    w_.string("text");
    w_.key("text");
    w_.string(text);
    copy_cache_control(w_, cache_source);
    w_.end_object();
  }

  std::optional<RequestProblem> write_messages() {
    // The last run of assistant messages is the final message, whose text Anthropic rejects with
    // trailing whitespace: find where it starts.
    std::size_t index = 0;
    std::size_t final_run_start = SIZE_MAX;
    for (dom::element element : messages_) {
      const std::string_view role = string_member(dom::object(element), "role");
      if (is_system_role(role)) {
        ++index;
        continue;
      }
      if (role == "assistant") {
        if (final_run_start == SIZE_MAX) final_run_start = index;
      } else {
        final_run_start = SIZE_MAX;
      }
      ++index;
    }

    index = 0;
    for (dom::element element : messages_) {
      const dom::object message(element);
      const std::string_view role = string_member(message, "role");
      const std::size_t at = index++;
      if (is_system_role(role)) continue;
      const Turn turn = role == "assistant" ? Turn::assistant : Turn::user;
      if (turn != turn_) {
        close_turn();
        turn_ = turn;
      }
      if (role == "user") {
        if (auto problem = user_message(message)) return problem;
      } else if (role == "tool" || role == "function") {
        if (auto problem = tool_result(message, role)) return problem;
      } else if (role == "assistant") {
        if (auto problem = assistant_message(message, at >= final_run_start)) return problem;
      } else {
        return bad_request(
            fmt::format("Invalid Message passed in: role '{}' is not supported", role), "messages");
      }
    }
    close_turn();
    if (messages_open_) {
      w_.end_array();
    } else {
      // Every turn came out empty: Anthropic still needs the key (and answers its own 400).
      w_.key("messages");
      w_.begin_array();
      w_.end_array();
    }
    return std::nullopt;
  }

  // Where a media block goes: a block of the current message, or an element of a tool_result's
  // content list.
  void media_start(bool nested) {
    if (nested) {
      w_.begin_object();
    } else {
      block_start();
    }
  }

  // A URL as a media block: an http(s) URL as a url source, which Anthropic fetches itself
  // (LiteLLM downloads and inlines it); a data URL as a base64 source
  // (convert_to_anthropic_image_obj: split at "data:", then at ";base64,"). A PDF, or any media
  // for a file part (`document`), is a document block. `format` overrides the media type.
  std::optional<RequestProblem> media_block(std::string_view url, std::string_view format,
                                            const dom::object* cache_source, bool nested,
                                            bool document) {
    if (url.starts_with("http://") || url.starts_with("https://")) {
      media_start(nested);
      w_.key("type");
      w_.string(document ? "document" : "image");
      w_.key("source");
      w_.begin_object();
      w_.key("type");
      w_.string("url");
      w_.key("url");
      w_.string(url);
      w_.end_object();
      copy_cache_control(w_, cache_source);
      w_.end_object();
      return std::nullopt;
    }
    const std::size_t data_at = url.find("data:");
    if (data_at == std::string_view::npos) return image_problem();
    std::string_view rest = url.substr(data_at + 5);
    if (const std::size_t next = rest.find("data:"); next != std::string_view::npos) {
      rest = rest.substr(0, next);
    }
    const std::size_t marker = rest.find(";base64,");
    if (marker == std::string_view::npos ||
        rest.find(";base64,", marker + 1) != std::string_view::npos) {
      return image_problem();
    }
    const std::string_view media_type = format.empty() ? rest.substr(0, marker) : format;
    media_start(nested);
    w_.key("type");
    w_.string(document || media_type == "application/pdf" ? "document" : "image");
    w_.key("source");
    w_.begin_object();
    w_.key("type");
    w_.string("base64");
    w_.key("media_type");
    w_.string(media_type);
    w_.key("data");
    w_.string(rest.substr(marker + 8));
    w_.end_object();
    copy_cache_control(w_, cache_source);
    w_.end_object();
    return std::nullopt;
  }

  // An image_url part ({url, format?} or a bare string).
  std::optional<RequestProblem> image_block(dom::object part, const dom::object* cache_source,
                                            bool nested) {
    dom::element image_url;
    std::string_view url;
    std::string_view format;
    dom::object image_object;
    if (part["image_url"].get(image_url) != simdjson::SUCCESS) return image_problem();
    if (image_url.get(image_object) == simdjson::SUCCESS) {
      url = string_member(image_object, "url");
      format = string_member(image_object, "format");
    } else if (image_url.get(url) != simdjson::SUCCESS) {
      return image_problem();
    }
    return media_block(url, format, cache_source, nested, false);
  }

  // A file part (anthropic_process_openai_file_message): file_data as a base64 document; a
  // file_id as a file source, or a URL document, or a container upload.
  std::optional<RequestProblem> file_block(dom::object part) {
    dom::object file;
    if (part["file"].get(file) != simdjson::SUCCESS) return file_problem();
    const std::string_view file_data = string_member(file, "file_data");
    const std::string_view file_id = string_member(file, "file_id");
    const std::string_view format = string_member(file, "format");
    if (!file_data.empty()) return media_block(file_data, format, nullptr, false, true);
    if (file_id.empty()) return file_problem();
    std::string_view kind;
    if (!format.empty()) {
      if (format == "application/pdf" || format == "text/plain") {
        kind = "document";
      } else if (format == "image/jpeg" || format == "image/png" || format == "image/gif" ||
                 format == "image/webp") {
        kind = "image";
      } else {
        kind = "container_upload";
      }
    } else {
      kind = file_id.starts_with("http") ? "document_url" : "container_upload";
    }
    block_start();
    if (kind == "container_upload") {
      w_.key("type");
      w_.string("container_upload");
      w_.key("file_id");
      w_.string(file_id);
    } else {
      w_.key("type");
      w_.string(kind == "image" ? "image" : "document");
      w_.key("source");
      w_.begin_object();
      w_.key("type");
      w_.string(kind == "document_url" ? "url" : "file");
      w_.key(kind == "document_url" ? std::string_view("url") : std::string_view("file_id"));
      w_.string(file_id);
      w_.end_object();
    }
    w_.end_object();
    return std::nullopt;
  }

  static RequestProblem file_problem() {
    return bad_request(
        "Invalid Message passed in: Either file_data or file_id must be present in the file "
        "message",
        "messages");
  }

  static RequestProblem image_problem() {
    return bad_request(
        "Image url not in expected format. Example Expected input - \"image_url\": "
        "\"data:image/jpeg;base64,{base64_image}\". Supported formats - ['image/jpeg', "
        "'image/png', 'image/gif', 'image/webp'].",
        "messages");
  }

  std::optional<RequestProblem> user_message(dom::object message) {
    dom::element content;
    if (message["content"].get(content) != simdjson::SUCCESS) return std::nullopt;
    std::string_view text;
    dom::array parts;
    if (content.get(text) == simdjson::SUCCESS) {
      text_block(text, &message);
      return std::nullopt;
    }
    if (content.get(parts) != simdjson::SUCCESS) return std::nullopt;
    for (dom::element part_element : parts) {
      dom::object part;
      if (part_element.get(part) != simdjson::SUCCESS) continue;
      const std::string_view type = string_member(part, "type");
      if (type == "text") {
        text_block(string_member(part, "text"), &part);
      } else if (type == "image_url") {
        if (auto problem = image_block(part, &part, false)) return problem;
      } else if (type == "document") {
        copy_block(part_element);
      } else if (type == "file") {
        if (auto problem = file_block(part)) return problem;
      }
      // Other part types (input_audio…) are not sent; LiteLLM drops unknown ones too.
    }
    return std::nullopt;
  }

  std::optional<RequestProblem> tool_result(dom::object message, std::string_view role) {
    has_tool_calls_ = true;  // a tool result needs tools as much as a tool call does
    std::string_view tool_call_id = string_member(message, "tool_call_id");
    payload::CallId generated;
    if (tool_call_id.empty()) {
      if (role == "tool") {
        return bad_request("Invalid Message passed in: a tool message has no tool_call_id",
                           "messages");
      }
      generated = payload::new_call_id();  // role "function": LiteLLM makes a uuid4
      tool_call_id = generated.view();
    }
    block_start();
    w_.key("type");
    w_.string("tool_result");
    w_.key("tool_use_id");
    w_.string(tool_call_id);
    w_.key("content");
    dom::element content;
    std::string_view text;
    dom::array parts;
    const bool present = message["content"].get(content) == simdjson::SUCCESS;
    if (present && content.get(text) == simdjson::SUCCESS) {
      w_.string(text);
    } else if (present && content.get(parts) == simdjson::SUCCESS) {
      w_.begin_array();
      for (dom::element part_element : parts) {
        dom::object part;
        if (part_element.get(part) != simdjson::SUCCESS) continue;
        const std::string_view type = string_member(part, "type");
        if (type == "text") {
          w_.begin_object();
          w_.key("type");
          w_.string("text");
          w_.key("text");
          w_.string(string_member(part, "text"));
          w_.end_object();
        } else if (type == "image_url") {
          if (auto problem = image_block(part, nullptr, true)) return problem;
        }
      }
      w_.end_array();
    } else {
      w_.string("");
    }
    copy_cache_control(w_, &message);
    w_.end_object();
    return std::nullopt;
  }

  std::optional<RequestProblem> assistant_message(dom::object message, bool final) {
    dom::array thinking_blocks;
    if (message["thinking_blocks"].get(thinking_blocks) == simdjson::SUCCESS) {
      // Thinking goes first, or Anthropic rejects the turn.
      for (dom::element block : thinking_blocks) copy_block(block);
    }
    dom::element content;
    std::string_view text;
    dom::array parts;
    const bool present = message["content"].get(content) == simdjson::SUCCESS;
    if (present && content.get(parts) == simdjson::SUCCESS) {
      for (dom::element part_element : parts) {
        dom::object part;
        if (part_element.get(part) != simdjson::SUCCESS) continue;
        const std::string_view type = string_member(part, "type");
        if (type == "thinking" && !string_member(part, "thinking").empty()) {
          copy_block(part_element);
        } else if (type == "text") {
          std::string_view part_text = string_member(part, "text");
          if (final) part_text = rstrip(part_text);
          if (!part_text.empty()) text_block(part_text, &part);  // empty blocks are rejected
        }
      }
    } else if (present && content.get(text) == simdjson::SUCCESS) {
      if (final) text = rstrip(text);
      if (!text.empty()) text_block(text, &message);
    }

    dom::array tool_calls;
    if (message["tool_calls"].get(tool_calls) == simdjson::SUCCESS) {
      has_tool_calls_ = true;
      for (dom::element call_element : tool_calls) {
        dom::object call;
        if (call_element.get(call) != simdjson::SUCCESS) continue;
        if (string_member(call, "type") != "function") continue;
        dom::object function;
        if (call["function"].get(function) != simdjson::SUCCESS) {
          return bad_request("Invalid Message passed in: a tool call has no function", "messages");
        }
        if (auto problem = tool_use(string_member(call, "id"), function, &call)) return problem;
      }
    } else if (has_member(message, "tool_calls")) {
      has_tool_calls_ = true;
    }
    dom::object function_call;
    if (message["function_call"].get(function_call) == simdjson::SUCCESS) {
      const payload::CallId id = payload::new_call_id();  // LiteLLM gives it a uuid4
      if (auto problem = tool_use(id.view(), function_call, nullptr, true)) return problem;
    }
    return std::nullopt;
  }

  // A tool call as a tool_use block; its arguments (a JSON string) become `input` as they are,
  // once they parse. `legacy`: a function_call, whose empty arguments mean {}.
  std::optional<RequestProblem> tool_use(std::string_view id, dom::object function,
                                         const dom::object* cache_source, bool legacy = false) {
    std::string_view arguments;
    dom::element arguments_element;
    if (function["arguments"].get(arguments_element) == simdjson::SUCCESS) {
      if (arguments_element.get(arguments) != simdjson::SUCCESS && !legacy) {
        return bad_request(
            fmt::format("Invalid Message passed in: the arguments of tool call '{}' are not a "
                        "JSON string",
                        id),
            "messages");
      }
    } else if (!legacy) {
      return bad_request(
          fmt::format("Invalid Message passed in: tool call '{}' has no arguments", id),
          "messages");
    }
    arguments = payload::trim_json_space(arguments);
    while (!arguments.empty() && is_space(arguments.front())) arguments.remove_prefix(1);
    if (legacy && arguments.empty()) arguments = "{}";
    dom::element parsed;
    if (auto error = parsers_.arguments.parse(arguments, parsed)) {
      // json.loads() fails, and so does LiteLLM's request.
      return bad_request(fmt::format("Invalid Message passed in: the arguments of tool call '{}' "
                                     "are not valid JSON ({}): {}",
                                     id, simdjson::error_message(error), arguments),
                         "messages");
    }
    block_start();
    w_.key("type");
    w_.string("tool_use");
    w_.key("id");
    w_.string(id);
    w_.key("name");
    w_.string(string_member(function, "name"));
    w_.key("input");
    w_.raw(arguments);
    copy_cache_control(w_, cache_source);
    w_.end_object();
    return std::nullopt;
  }

  // ---- the other parameters -----------------------------------------------------------------

  std::optional<RequestProblem> write_max_tokens() {
    // max_tokens comes after max_completion_tokens in LiteLLM's parameter order, so it wins.
    const std::string_view raw =
        !plan_.max_tokens.empty() ? plan_.max_tokens : plan_.max_completion_tokens;
    const char* name = !plan_.max_tokens.empty() ? "max_tokens" : "max_completion_tokens";
    w_.key("max_tokens");
    if (raw.empty()) {
      if (thinking_.enabled && thinking_.enabled_budget >= 0) {
        w_.integer(thinking_.enabled_budget + kThinkingHeadroom);
      } else {
        w_.integer(options_.default_max_tokens);
      }
      return std::nullopt;
    }
    dom::element value;
    if (parsers_.scratch.parse(raw, value) != simdjson::SUCCESS) {
      return bad_request(fmt::format("{} must be a number", name), name);
    }
    switch (value.type()) {
      case dom::element_type::INT64:
      case dom::element_type::UINT64:
      case dom::element_type::BOOL:
        w_.raw(raw);  // an int goes as it is
        return std::nullopt;
      case dom::element_type::DOUBLE: {
        // max(1, int(round(value))): Python rounds half to even, as nearbyint() does by default.
        const double rounded = std::nearbyint(double(value));
        if (!std::isfinite(rounded) || std::fabs(rounded) > 9e18) {
          return bad_request(fmt::format("{} is out of range", name), name);
        }
        w_.integer(std::max<std::int64_t>(1, static_cast<std::int64_t>(rounded)));
        return std::nullopt;
      }
      default:
        return bad_request(fmt::format("{} must be a number", name), name);
    }
  }

  void write_stop() {
    if (plan_.stop.empty()) return;
    dom::element value;
    if (parsers_.scratch.parse(plan_.stop, value) != simdjson::SUCCESS) return;
    std::string_view text;
    dom::array list;
    if (value.get(text) == simdjson::SUCCESS) {
      // Anthropic rejects whitespace-only stop sequences; LiteLLM drops them under drop_params.
      if (is_blank(text) && options_.drop_params) return;
      w_.key("stop_sequences");
      w_.begin_array();
      w_.string(text);
      w_.end_array();
    } else if (value.get(list) == simdjson::SUCCESS) {
      bool open = false;
      for (dom::element element : list) {
        std::string_view item;
        const bool is_string = element.get(item) == simdjson::SUCCESS;
        if (is_string && is_blank(item) && options_.drop_params) continue;
        if (!open) {
          w_.key("stop_sequences");
          w_.begin_array();
          open = true;
        }
        copy_element(w_, element);
      }
      if (open) w_.end_array();
    }
  }

  void write_metadata() {
    std::string_view user_id_raw;
    // The body's own metadata.user_id (LiteLLM's metadata) wins over `user`.
    if (!summary_.metadata_raw.empty()) {
      dom::element value;
      dom::object metadata;
      std::string_view id;
      if (parsers_.scratch.parse(summary_.metadata_raw, value) == simdjson::SUCCESS &&
          value.get(metadata) == simdjson::SUCCESS &&
          metadata["user_id"].get(id) == simdjson::SUCCESS && valid_user_id(id)) {
        user_id_owned_.assign(id);
        write_user_id_string();
        return;
      }
    }
    if (!summary_.user_raw.empty()) {
      dom::element value;
      std::string_view id;
      if (parsers_.scratch.parse(summary_.user_raw, value) == simdjson::SUCCESS &&
          value.get(id) == simdjson::SUCCESS && valid_user_id(id)) {
        user_id_raw = summary_.user_raw;
      }
    }
    if (user_id_raw.empty()) return;
    w_.key("metadata");
    w_.begin_object();
    w_.key("user_id");
    w_.raw(user_id_raw);
    w_.end_object();
  }

  void write_user_id_string() {
    w_.key("metadata");
    w_.begin_object();
    w_.key("user_id");
    w_.string(user_id_owned_);
    w_.end_object();
  }

  void write_thinking() {
    if (!thinking_.raw.empty()) {
      w_.key("thinking");
      w_.raw(thinking_.raw);
    } else if (thinking_.budget > 0) {
      w_.key("thinking");
      w_.begin_object();
      w_.key("type");
      w_.string("enabled");
      w_.key("budget_tokens");
      w_.integer(thinking_.budget);
      w_.end_object();
    }
  }

  void open_tools(bool& open) {
    if (open) return;
    w_.key("tools");
    w_.begin_array();
    open = true;
  }

  std::optional<RequestProblem> write_tools() {
    bool open = false;
    if (!json_schema_.empty()) {
      // {"type":"object"} updated with the schema (so the schema's own type wins).
      open_tools(open);
      w_.begin_object();
      w_.key("name");
      w_.string(kJsonToolName);
      w_.key("input_schema");
      if (schema_has_type_) {
        w_.raw(json_schema_);
      } else {
        std::string_view inner = json_schema_;
        inner.remove_prefix(1);  // '{'
        inner.remove_suffix(1);  // '}'
        inner = payload::trim_json_space(inner);
        while (!inner.empty() && is_space(inner.front())) inner.remove_prefix(1);
        scratch_.assign(R"({"type":"object")");
        if (!inner.empty()) {
          scratch_ += ',';
          scratch_.append(inner);
        }
        scratch_ += '}';
        w_.raw(scratch_);
      }
      w_.end_object();
    }
    if (!plan_.tools.empty()) {
      if (auto problem = write_client_tools(open)) return problem;
    }
    if (!open && has_tool_calls_) {
      // Anthropic rejects tool_use blocks without tools; LiteLLM always adds this one.
      open_tools(open);
      w_.raw(R"({"name":"dummy_tool","input_schema":{"type":"object","properties":{}},)"
             R"("type":"custom","description":"This is a dummy tool call"})");
    }
    if (open) w_.end_array();
    return std::nullopt;
  }

  static RequestProblem tools_problem(std::string what) {
    return bad_request(fmt::format("tools: {}", what), "tools");
  }

  // One tool's parts, as raw JSON slices of the scanner's copy.
  struct ToolParts {
    std::string_view type;  // unescaped
    std::string_view name;
    std::string_view description;
    std::string_view parameters;
    bool parameters_is_object = false;
    bool parameters_typed_object = false;  // its "type" is "object"
    bool parameters_has_properties = false;
    bool has_input_schema = false;
    bool has_function = false;
    // Extras copied from the tool, else from its function (LiteLLM's _map_tool_helper).
    std::array<std::string_view, 4> extras_tool{};
    std::array<std::string_view, 4> extras_function{};
  };

  static constexpr std::array<std::string_view, 4> kToolExtras = {
      "cache_control", "defer_loading", "allowed_callers", "input_examples"};

  static int extra_index(std::string_view key) {
    for (std::size_t i = 0; i < kToolExtras.size(); ++i) {
      if (kToolExtras[i] == key) return static_cast<int>(i);
    }
    return -1;
  }

  std::optional<RequestProblem> write_client_tools(bool& open) {
    od::document doc;
    od::array tools;
    if (parsers_.tools.iterate(plan_.tools, doc) != simdjson::SUCCESS ||
        doc.get_array().get(tools) != simdjson::SUCCESS) {
      return tools_problem("must be an array");
    }
    for (auto tool_result : tools) {
      od::value tool;
      if (std::move(tool_result).get(tool)) return tools_problem("could not be read");
      ToolParts parts;
      std::string_view whole;
      if (read_tool(tool, parts, whole)) return tools_problem("each tool must be an object");
      open_tools(open);
      if (parts.has_input_schema || (parts.type != "function" && parts.type != "custom")) {
        // Already in Anthropic's shape, or one of Anthropic's hosted tools: sent as it is.
        w_.raw(whole);
        continue;
      }
      if (!parts.has_function || parts.name.empty()) {
        return tools_problem("a function tool needs function.name");
      }
      w_.begin_object();
      w_.key("name");
      w_.raw(parts.name);
      w_.key("input_schema");
      if (!parts.parameters_is_object) {
        w_.raw(R"({"type":"object","properties":{}})");
      } else if (parts.parameters_typed_object) {
        w_.raw(parts.parameters);
      } else {
        // Anthropic requires type "object": set it (and empty properties when absent).
        write_object_schema(parts);
      }
      w_.key("type");
      w_.string("custom");
      if (!parts.description.empty()) {
        w_.key("description");
        w_.raw(parts.description);
      }
      for (std::size_t i = 0; i < kToolExtras.size(); ++i) {
        const std::string_view extra =
            !parts.extras_tool[i].empty() ? parts.extras_tool[i] : parts.extras_function[i];
        if (extra.empty()) continue;
        w_.key(kToolExtras[i]);
        w_.raw(extra);
      }
      w_.end_object();
    }
    return std::nullopt;
  }

  // A schema whose type is not "object", re-written with type "object" and its other members.
  void write_object_schema(const ToolParts& parts) {
    dom::element schema;
    if (parsers_.scratch.parse(parts.parameters, schema) != simdjson::SUCCESS) {
      w_.raw(R"({"type":"object","properties":{}})");
      return;
    }
    w_.begin_object();
    w_.key("type");
    w_.string("object");
    for (dom::key_value_pair field : dom::object(schema)) {
      if (field.key == "type") continue;
      w_.key(field.key);
      copy_element(w_, field.value);
    }
    if (!parts.parameters_has_properties) {
      w_.key("properties");
      w_.begin_object();
      w_.end_object();
    }
    w_.end_object();
  }

  // Reads one tool's members; `whole` is the tool's bytes. Non-zero when it is not an object.
  static int read_tool(od::value& tool, ToolParts& parts, std::string_view& whole) {
    const char* start = tool.raw_json_token().data();
    auto read_member = [&parts](std::string_view key, od::json_type type,
                                od::value& value) -> simdjson::error_code {
      if (key == "type" && type == od::json_type::string) return value.get_string().get(parts.type);
      if (key == "input_schema") {
        parts.has_input_schema = true;
        return payload::JsonScanner::validate(value);
      }
      if (key == "function" && type == od::json_type::object) {
        parts.has_function = true;
        return read_function(value, parts) != 0 ? simdjson::INCORRECT_TYPE : simdjson::SUCCESS;
      }
      if (const int i = extra_index(key); i >= 0 && type != od::json_type::null) {
        return payload::JsonScanner::scan(value, &parts.extras_tool[static_cast<std::size_t>(i)]);
      }
      return payload::JsonScanner::validate(value);
    };
    if (payload::JsonScanner::for_each_member(tool, read_member)) return 1;
    return payload::JsonScanner::slice_to_here(tool, start, &whole) ? 1 : 0;
  }

  static int read_function(od::value& function, ToolParts& parts) {
    auto read_member = [&parts](std::string_view key, od::json_type type,
                                od::value& value) -> simdjson::error_code {
      if (key == "name" && type == od::json_type::string) {
        return payload::JsonScanner::scan(value, &parts.name);
      }
      if (key == "description" && type != od::json_type::null) {
        return payload::JsonScanner::scan(value, &parts.description);
      }
      if (key == "parameters" && type == od::json_type::object) {
        parts.parameters_is_object = true;
        return read_parameters(value, parts) != 0 ? simdjson::INCORRECT_TYPE : simdjson::SUCCESS;
      }
      if (const int i = extra_index(key); i >= 0 && type != od::json_type::null) {
        return payload::JsonScanner::scan(value,
                                          &parts.extras_function[static_cast<std::size_t>(i)]);
      }
      return payload::JsonScanner::validate(value);
    };
    return payload::JsonScanner::for_each_member(function, read_member) ? 1 : 0;
  }

  static int read_parameters(od::value& parameters, ToolParts& parts) {
    const char* start = parameters.raw_json_token().data();
    auto read_member = [&parts](std::string_view key, od::json_type type,
                                od::value& value) -> simdjson::error_code {
      if (key == "type" && type == od::json_type::string) {
        std::string_view schema_type;
        if (auto error = value.get_string().get(schema_type)) return error;
        parts.parameters_typed_object = schema_type == "object";
        return simdjson::SUCCESS;
      }
      if (key == "properties") parts.parameters_has_properties = true;
      return payload::JsonScanner::validate(value);
    };
    if (payload::JsonScanner::for_each_member(parameters, read_member)) return 1;
    return payload::JsonScanner::slice_to_here(parameters, start, &parts.parameters) ? 1 : 0;
  }

  std::optional<RequestProblem> write_tool_choice() {
    const bool mapped = !plan_.tool_choice.empty() || !plan_.parallel_tool_calls.empty();
    std::string_view choice_type;
    std::string name;  // owned: the scratch parser is reused below
    bool have_choice = false;
    std::string_view choice_string;
    if (!plan_.tool_choice.empty()) {
      dom::element value;
      if (parsers_.scratch.parse(plan_.tool_choice, value) == simdjson::SUCCESS) {
        dom::object object;
        if (value.get(choice_string) == simdjson::SUCCESS) {
          if (choice_string == "auto") choice_type = "auto";
          if (choice_string == "required") choice_type = "any";
          if (choice_string == "none") choice_type = "none";
          choice_string_owned_.assign(choice_string);
        } else if (value.get(object) == simdjson::SUCCESS) {
          dom::object function;
          const std::string_view type = string_member(object, "type");
          if (has_member(object, "type") && !has_member(object, "function")) {
            if (type == "auto") choice_type = "auto";
            if (type == "required" || type == "any") choice_type = "any";
            if (type == "none") choice_type = "none";
          } else if (object["function"].get(function) == simdjson::SUCCESS &&
                     function["name"].get(choice_string) == simdjson::SUCCESS) {
            choice_type = "tool";
            name.assign(choice_string);
          }
        }
        have_choice = !choice_type.empty();
      }
    }
    std::optional<bool> parallel;
    if (!plan_.parallel_tool_calls.empty()) {
      dom::element value;
      bool flag = false;
      if (parsers_.scratch.parse(plan_.parallel_tool_calls, value) == simdjson::SUCCESS &&
          value.get(flag) == simdjson::SUCCESS) {
        parallel = flag;
      }
    }
    if (mapped && parallel && choice_string_owned_ != "none" && !have_choice) {
      choice_type = "auto";  // Anthropic's default, to carry disable_parallel_tool_use
      have_choice = true;
    }
    if (have_choice) {
      w_.key("tool_choice");
      w_.begin_object();
      w_.key("type");
      w_.string(choice_type);
      if (choice_type == "tool") {
        w_.key("name");
        w_.string(name);
      }
      if (parallel && choice_string_owned_ != "none") {
        w_.key("disable_parallel_tool_use");
        w_.boolean(!*parallel);
      }
      w_.end_object();
      return std::nullopt;
    }
    if (!json_schema_.empty() && !thinking_requested_) {
      // Force the json tool (not with thinking, which does not allow a forced tool).
      w_.key("tool_choice");
      w_.raw(R"({"type":"tool","name":"json_tool_call"})");
    }
    return std::nullopt;
  }

  const payload::RequestSummary& summary_;
  const RequestOptions& options_;
  Parsers& parsers_;

  payload::JsonWriter w_;
  Plan plan_;
  Thinking thinking_;
  bool thinking_requested_ = false;
  dom::array messages_;
  std::size_t non_system_count_ = 0;
  Turn turn_ = Turn::none;
  bool messages_open_ = false;
  bool message_open_ = false;
  bool has_tool_calls_ = false;
  std::string_view json_schema_view_;
  std::string json_schema_;  // non-empty: the json_tool_call tool is sent
  bool schema_has_type_ = false;
  bool schema_from_response_schema_ = false;
  std::string user_id_owned_;
  std::string choice_string_owned_;
  std::string scratch_;
};

}  // namespace

Result<MessagesRequest, RequestProblem> to_messages_request(const payload::RequestSummary& summary,
                                                            const RequestOptions& options) {
  MessagesRequest request;
  request.body.reserve(summary.input_raw.size() + 512);
  Translator translator(summary, options, request.body);
  if (auto problem = translator.run()) return std::move(*problem);
  request.json_mode = translator.json_mode();
  return request;
}

}  // namespace llmtap::providers::anthropic
