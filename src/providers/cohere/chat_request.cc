#include "providers/cohere/chat_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "payload/json_writer.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"
#include "providers/json/padded_dom_parser.h"
#include "providers/litellm_settings.h"
#include "providers/unsupported_params.h"

namespace llmtap::providers::cohere {
namespace {

namespace dom = simdjson::dom;

// OpenAI chat parameters CohereV2ChatConfig does not list as supported (LiteLLM's
// DEFAULT_CHAT_COMPLETION_PARAM_VALUES minus its list).
constexpr std::array<std::string_view, 13> kUnsupported = {
    "functions",         "function_call",    "modalities",          "prediction", "audio",
    "logit_bias",        "top_logprobs",     "parallel_tool_calls", "verbosity",  "service_tier",
    "safety_identifier", "prompt_cache_key", "web_search_options"};

// LiteLLM's DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET.
constexpr std::array<std::pair<std::string_view, std::int64_t>, 4> kThinkingBudgets = {
    {{"minimal", 128}, {"low", 1024}, {"medium", 2048}, {"high", 4096}}};

bool contains(std::span<const std::string_view> names, std::string_view key) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

// LiteLLM's _is_reasoning_model: the command-a-reasoning family, read from the id.
bool is_reasoning_model(std::string_view model) {
  const std::size_t slash = model.rfind('/');
  if (slash != std::string_view::npos) model.remove_prefix(slash + 1);
  std::string lower(model);
  for (char& c : lower) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return lower.find("command-a-reasoning") != std::string::npos;
}

struct Parsers {
  PaddedDomParser messages;
  PaddedDomParser scratch;
};

Parsers& local_parsers() {
  thread_local Parsers parsers;
  return parsers;
}

// A JSON string value's text ("required" for "\"required\""), or nothing when it is not one.
std::optional<std::string_view> string_value(PaddedDomParser& parser, std::string_view raw) {
  dom::element value;
  std::string_view text;
  if (parser.parse(raw, value) != simdjson::SUCCESS || value.get(text) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return text;
}

class Translator {
 public:
  Translator(const payload::RequestSummary& summary, const RequestOptions& options,
             std::string& out)
      : summary_(summary), options_(options), parsers_(local_parsers()), w_(out) {}

  std::optional<RequestProblem> run() {
    const bool reasoning = is_reasoning_model(options_.upstream_model);
    std::vector<std::string_view> unsupported;
    for (const auto& [key, value] : summary_.parameters) {
      if (value == "null") continue;  // LiteLLM's non-default parameters leave out None
      if (is_litellm_setting(key)) continue;
      if (contains(kUnsupported, key) ||
          (!reasoning && (key == "thinking" || key == "reasoning_effort"))) {
        unsupported.push_back(key);
      }
    }
    if (!unsupported.empty() && !options_.drop_params) {
      return RequestProblem{unsupported_params_message(options_.litellm_provider, unsupported,
                                                       options_.upstream_model),
                            std::string(unsupported.front()), "UnsupportedParamsError"};
    }
    w_.begin_object();
    w_.key("model");
    w_.string(options_.upstream_model);
    w_.key("messages");
    if (auto problem = write_messages()) return problem;
    write_parameters(reasoning);
    if (options_.stream) {
      w_.key("stream");
      w_.boolean(true);
    }
    w_.end_object();
    w_.finish();
    return std::nullopt;
  }

 private:
  std::optional<RequestProblem> write_messages() {
    dom::element root;
    dom::array messages;
    if (parsers_.messages.parse(summary_.input_raw, root) != simdjson::SUCCESS ||
        root.get(messages) != simdjson::SUCCESS) {
      return RequestProblem{"'messages' must be an array", "messages"};
    }
    w_.begin_array();
    for (dom::element element : messages) {
      dom::object message;
      if (element.get(message) != simdjson::SUCCESS) {
        return RequestProblem{"Invalid Message passed in: each message must be an object",
                              "messages"};
      }
      const std::string_view role = string_member(message, "role");
      w_.begin_object();
      for (dom::key_value_pair field : message) {
        if (role == "tool" && field.key == "name") continue;
        w_.key(field.key);
        if (role == "assistant" && field.key == "tool_calls" && field.value.is_array()) {
          write_tool_calls(dom::array(field.value));
        } else if (field.key == "content" && field.value.is_array()) {
          write_content_parts(dom::array(field.value));
        } else {
          copy_element(w_, field.value);
        }
      }
      w_.end_object();
    }
    w_.end_array();
    return std::nullopt;
  }

  // A content list as OpenAIGPTConfig._transform_messages leaves it: an image_url given as a
  // string becomes {"url": …}, and LiteLLM's own `format` key leaves an image_url object.
  void write_content_parts(dom::array parts) {
    w_.begin_array();
    for (dom::element part : parts) {
      dom::object object;
      if (part.get(object) != simdjson::SUCCESS || string_member(object, "type") != "image_url") {
        copy_element(w_, part);
        continue;
      }
      w_.begin_object();
      for (dom::key_value_pair field : object) {
        w_.key(field.key);
        const bool image_url = field.key == "image_url";
        if (image_url && field.value.is_string()) {
          w_.begin_object();
          w_.key("url");
          w_.string(std::string_view(field.value));
          w_.end_object();
        } else if (image_url && field.value.is_object()) {
          w_.begin_object();
          for (dom::key_value_pair image : dom::object(field.value)) {
            if (image.key == "format") continue;
            w_.key(image.key);
            copy_element(w_, image.value);
          }
          w_.end_object();
        } else {
          copy_element(w_, field.value);
        }
      }
      w_.end_object();
    }
    w_.end_array();
  }

  // An assistant's tool_calls without the `index` OpenAI streams put there.
  void write_tool_calls(dom::array calls) {
    w_.begin_array();
    for (dom::element call : calls) {
      if (!call.is_object()) {
        copy_element(w_, call);
        continue;
      }
      w_.begin_object();
      for (dom::key_value_pair field : dom::object(call)) {
        if (field.key == "index") continue;
        w_.key(field.key);
        copy_element(w_, field.value);
      }
      w_.end_object();
    }
    w_.end_array();
  }

  void write_parameters(bool reasoning) {
    std::string_view max_tokens;
    std::string_view max_completion_tokens;
    for (const auto& [key, value] : summary_.parameters) {
      if (value == "null") continue;
      if (key == "max_tokens") max_tokens = value;
      if (key == "max_completion_tokens") max_completion_tokens = value;
    }
    bool wrote_max_tokens = false;
    for (const auto& [key, value] : summary_.parameters) {
      if (value == "null" || is_litellm_setting(key) || contains(kUnsupported, key)) continue;
      if (key == "max_tokens" || key == "max_completion_tokens") {
        if (wrote_max_tokens) continue;
        wrote_max_tokens = true;
        w_.key("max_tokens");
        w_.raw(max_completion_tokens.empty() ? max_tokens : max_completion_tokens);
      } else if (key == "top_p") {
        w_.key("p");
        w_.raw(value);
      } else if (key == "n") {
        w_.key("num_generations");
        w_.raw(value);
      } else if (key == "stop") {
        w_.key("stop_sequences");
        w_.raw(value);
      } else if (key == "tool_choice") {
        write_tool_choice(value);
      } else if (key == "thinking" || key == "reasoning_effort") {
        if (reasoning) write_thinking(key, value);
      } else if (key == "top_k") {
        w_.key("k");  // a provider-specific kwarg LiteLLM renames in transform_request
        w_.raw(value);
      } else {
        // As they are: the OpenAI parameters Cohere takes under their own names (temperature,
        // frequency_penalty, presence_penalty, tools, seed, logprobs, response_format), and what
        // is no OpenAI parameter — Cohere's own (documents, safety_mode…).
        w_.raw_key(key);
        w_.raw(value);
      }
    }
  }

  void write_tool_choice(std::string_view raw) {
    const std::optional<std::string_view> choice = string_value(parsers_.scratch, raw);
    if (!choice) return;  // an object choice: LiteLLM maps only the strings
    if (*choice == "required") {
      w_.key("tool_choice");
      w_.string("REQUIRED");
    } else if (*choice == "none") {
      w_.key("tool_choice");
      w_.string("NONE");
    }
  }

  void write_thinking(std::string_view key, std::string_view raw) {
    if (key == "thinking") {
      w_.key("thinking");
      w_.raw(raw);
      return;
    }
    // LiteLLM maps reasoning_effort first, then passes the client's own `thinking` over it.
    for (const auto& [k, v] : summary_.parameters) {
      if (k == "thinking" && v != "null") return;
    }
    const std::optional<std::string> thinking = thinking_for_effort(raw);
    if (!thinking) return;
    w_.key("thinking");
    w_.raw(*thinking);
  }

  std::optional<std::string> thinking_for_effort(std::string_view raw) {
    const std::optional<std::string_view> effort = string_value(parsers_.scratch, raw);
    if (!effort) return std::nullopt;
    if (*effort == "none") return std::string(R"({"type":"disabled"})");
    for (const auto& [name, budget] : kThinkingBudgets) {
      if (*effort == name) return fmt::format(R"({{"type":"enabled","token_budget":{}}})", budget);
    }
    return std::nullopt;
  }

  const payload::RequestSummary& summary_;
  const RequestOptions& options_;
  Parsers& parsers_;
  payload::JsonWriter w_;
};

}  // namespace

Result<ChatRequest, RequestProblem> to_chat_request(const payload::RequestSummary& summary,
                                                    const RequestOptions& options) {
  ChatRequest request;
  request.body.reserve(summary.input_raw.size() + 256);
  {
    Translator translator(summary, options, request.body);
    if (auto problem = translator.run()) return std::move(*problem);
  }
  return request;
}

}  // namespace llmtap::providers::cohere
