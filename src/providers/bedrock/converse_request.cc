#include "providers/bedrock/converse_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "base/ascii.h"
#include "payload/json_writer.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"
#include "providers/json/padded_dom_parser.h"
#include "providers/litellm_settings.h"
#include "providers/openai_params.h"
#include "providers/reasoning_effort.h"
#include "providers/unsupported_params.h"

namespace llmtap::providers::bedrock {
namespace {

namespace dom = simdjson::dom;

// LiteLLM's RESPONSE_FORMAT_TOOL_NAME.
constexpr std::string_view kJsonToolName = "json_tool_call";
// LiteLLM's DEFAULT_MAX_TOKENS (maxTokens = thinking budget + this when no max is given) and
// BEDROCK_MIN_THINKING_BUDGET_TOKENS.
constexpr std::int64_t kThinkingHeadroom = 4096;
constexpr std::int64_t kMinThinkingBudget = 1024;

// Converse's own top-level blocks, which LiteLLM's get_config_blocks() passes as they are.
constexpr std::array<std::string_view, 3> kConfigBlocks = {"guardrailConfig", "performanceConfig",
                                                           "serviceTier"};

bool contains(std::span<const std::string_view> names, std::string_view key) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

// BedrockModelInfo.get_base_model: the model without its cross-region prefix; an ARN's last part.
std::string_view base_model(std::string_view model) {
  if (model.starts_with("arn:")) {
    const std::size_t slash = model.rfind('/');
    if (slash != std::string_view::npos) model.remove_prefix(slash + 1);
  }
  for (std::string_view prefix : {"global.", "us-gov.", "us.", "eu.", "apac.", "jp.", "au."}) {
    if (model.starts_with(prefix)) {
      model.remove_prefix(prefix.size());
      break;
    }
  }
  return model;
}

// What the model takes, as AmazonConverseConfig.get_supported_openai_params decides from its id
// (the cost map's supports_* flags read from the names: README.md).
struct ModelTraits {
  bool anthropic = false;
  bool nova = false;
  bool tools = false;
  bool tool_choice = false;
  bool thinking = false;      // thinking and reasoning_effort (as thinking)
  bool effort_as_is = false;  // GPT-OSS: reasoning_effort passed as it is
};

ModelTraits model_traits(std::string_view model) {
  const std::string_view base = base_model(model);
  const auto has = [&](std::string_view what) {
    return model.find(what) != std::string_view::npos;
  };
  ModelTraits traits;
  traits.anthropic = base.starts_with("anthropic");
  traits.nova = base.starts_with("amazon.nova");
  if (model.starts_with("arn:")) {
    traits.tools = traits.tool_choice = traits.thinking = true;
    return traits;
  }
  traits.tools = traits.anthropic || traits.nova || base.starts_with("mistral") ||
                 base.starts_with("cohere") || base.starts_with("meta.llama3-1") ||
                 base.starts_with("meta.llama3-2") || base.starts_with("meta.llama3-3") ||
                 base.starts_with("meta.llama4");
  traits.tool_choice = traits.anthropic || traits.nova || base.starts_with("mistral");
  traits.effort_as_is = has("gpt-oss");
  traits.thinking = !traits.effort_as_is &&
                    (has("claude-3-7") || has("claude-sonnet-4") || has("claude-opus-4") ||
                     has("claude-haiku-4-5") || has("deepseek.r1"));
  return traits;
}

// Empty or only ASCII whitespace: text Bedrock refuses as blank.
bool is_blank(std::string_view text) { return ascii::trim(text).empty(); }

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// make_valid_bedrock_tool_name: [a-zA-Z][a-zA-Z0-9_]*.
std::string bedrock_tool_name(std::string_view name) {
  std::string out;
  if (name.empty()) return out;
  if (!is_ascii_letter(name.front())) out += 'a';
  for (const char c : name) {
    out += is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '_' ? c : '_';
  }
  return out;
}

// An image's Converse format from its MIME type ("image/jpeg" → "jpeg"), or empty.
std::string_view image_format(std::string_view mime) {
  if (!mime.starts_with("image/")) return {};
  mime.remove_prefix(6);
  if (mime == "jpg") return "jpeg";
  if (mime == "png" || mime == "jpeg" || mime == "gif" || mime == "webp") return mime;
  return {};
}

RequestProblem bad_request(std::string message, std::string param = "messages") {
  return RequestProblem{std::move(message), std::move(param)};
}

struct Parsers {
  PaddedDomParser messages;
  PaddedDomParser tools;
  PaddedDomParser format;
  PaddedDomParser arguments;
  PaddedDomParser scratch;
};

Parsers& local_parsers() {
  thread_local Parsers parsers;
  return parsers;
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
  std::string_view response_format;
  std::string_view thinking;
  std::string_view reasoning_effort;
  std::string_view top_k;
  std::string_view service_tier;
  std::string_view request_metadata;
  std::vector<std::pair<std::string_view, std::string_view>> config_blocks;
  std::vector<std::pair<std::string_view, std::string_view>> forwarded;
  std::vector<std::string_view> unsupported;
};

Plan make_plan(const payload::RequestSummary& summary, const ModelTraits& traits) {
  Plan plan;
  const std::array<std::pair<std::string_view, std::string_view*>, 13> slots = {{
      {"max_tokens", &plan.max_tokens},
      {"max_completion_tokens", &plan.max_completion_tokens},
      {"temperature", &plan.temperature},
      {"top_p", &plan.top_p},
      {"stop", &plan.stop},
      {"tools", &plan.tools},
      {"tool_choice", &plan.tool_choice},
      {"response_format", &plan.response_format},
      {"thinking", &plan.thinking},
      {"reasoning_effort", &plan.reasoning_effort},
      {"top_k", &plan.top_k},
      {"service_tier", &plan.service_tier},
      {"requestMetadata", &plan.request_metadata},
  }};
  for (const auto& [key, value] : summary.parameters) {
    if (value == "null" || is_litellm_setting(key)) continue;
    std::string_view* slot = nullptr;
    for (const auto& [name, member] : slots) {
      if (key == name) slot = member;
    }
    // The OpenAI parameters get_supported_openai_params leaves out for this model.
    const bool unsupported =
        slot != nullptr
            ? (key == "tools" && !traits.tools) || (key == "tool_choice" && !traits.tool_choice) ||
                  (key == "thinking" && !traits.thinking) ||
                  (key == "reasoning_effort" && !traits.thinking && !traits.effort_as_is)
            : is_openai_chat_param(key);
    if (unsupported) {
      if (key == "n" && value == "1") continue;  // LiteLLM skips n=1 (langchain's default)
      plan.unsupported.push_back(key);
    } else if (slot != nullptr) {
      *slot = value;
    } else if (contains(kConfigBlocks, key)) {
      plan.config_blocks.emplace_back(key, value);
    } else {
      plan.forwarded.emplace_back(key, value);
    }
  }
  return plan;
}

class Translator {
 public:
  Translator(const payload::RequestSummary& summary, const RequestOptions& options,
             ConverseRequest& request)
      : summary_(summary),
        options_(options),
        traits_(model_traits(options.upstream_model)),
        parsers_(local_parsers()),
        request_(request),
        w_(request.body) {}

  std::optional<RequestProblem> run() {
    plan_ = make_plan(summary_, traits_);
    if (!plan_.unsupported.empty() && !options_.drop_params) {
      return RequestProblem{
          unsupported_params_message("bedrock", plan_.unsupported, options_.upstream_model),
          std::string(plan_.unsupported.front()), "UnsupportedParamsError"};
    }
    if (auto problem = read_thinking()) return problem;
    if (auto problem = read_tool_choice()) return problem;
    if (auto problem = read_response_format()) return problem;
    if (auto problem = read_tools()) return problem;
    dom::element root;
    if (parsers_.messages.parse(summary_.input_raw, root) != simdjson::SUCCESS ||
        root.get(messages_) != simdjson::SUCCESS) {
      return bad_request("'messages' must be an array");
    }
    w_.begin_object();
    w_.key("messages");
    if (auto problem = write_messages()) return problem;
    if (has_tool_blocks_ && !tools_given_ && !request_.json_mode) {
      return RequestProblem{
          "Bedrock doesn't support tool calling without `tools=` param specified. Pass `tools=` "
          "param OR set `litellm.modify_params = True` // `litellm_settings::modify_params: "
          "True` to add dummy tool to the request.",
          "tools", "UnsupportedParamsError"};
    }
    write_additional_fields();
    write_system();
    write_inference_config();
    for (const auto& [key, value] : plan_.config_blocks) {
      w_.raw_key(key);
      w_.raw(value);
    }
    if (!plan_.service_tier.empty()) write_service_tier();
    write_tool_config();
    if (!plan_.request_metadata.empty()) {
      w_.key("requestMetadata");
      w_.raw(plan_.request_metadata);
    }
    w_.end_object();
    w_.finish();
    return std::nullopt;
  }

 private:
  // A JSON string value's text, or nothing when it is not one (parsed with the scratch parser).
  std::optional<std::string_view> string_value(std::string_view raw) {
    dom::element value;
    std::string_view text;
    if (parsers_.scratch.parse(raw, value) != simdjson::SUCCESS ||
        value.get(text) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    return text;
  }

  // thinking passes (it comes after reasoning_effort in LiteLLM's parameter order, so it wins);
  // reasoning_effort becomes AnthropicConfig's thinking budget, or passes as it is for GPT-OSS.
  std::optional<RequestProblem> read_thinking() {
    if (!plan_.thinking.empty()) {
      dom::element value;
      dom::object object;
      if (parsers_.scratch.parse(plan_.thinking, value) == simdjson::SUCCESS &&
          value.get(object) == simdjson::SUCCESS && string_member(object, "type") == "enabled") {
        thinking_enabled_ = true;
        std::int64_t budget = 0;
        if (object["budget_tokens"].get(budget) == simdjson::SUCCESS) thinking_budget_ = budget;
      }
      return std::nullopt;
    }
    if (plan_.reasoning_effort.empty() || traits_.effort_as_is) return std::nullopt;
    const std::optional<std::string_view> effort = string_value(plan_.reasoning_effort);
    if (!effort) return std::nullopt;  // LiteLLM maps only a string effort
    const std::optional<std::int64_t> budget = anthropic_thinking_budget(*effort);
    if (!budget) {
      return bad_request(unmapped_effort_message(*effort), "reasoning_effort");
    }
    effort_budget_ = *budget;
    if (*budget > 0) {
      thinking_enabled_ = true;
      thinking_budget_ = *budget;
    }
    return std::nullopt;
  }

  std::optional<RequestProblem> read_tool_choice() {
    if (plan_.tool_choice.empty()) return std::nullopt;
    dom::element value;
    if (parsers_.scratch.parse(plan_.tool_choice, value) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    std::string_view choice;
    dom::object object;
    if (value.get(choice) == simdjson::SUCCESS) {
      if (choice == "auto" || choice == "required") {
        tool_choice_ = choice == "auto" ? R"({"auto":{}})" : R"({"any":{}})";
        tool_choice_forced_ = choice == "required";
        return std::nullopt;
      }
      if (choice == "none") {
        if (options_.drop_params) return std::nullopt;
        return RequestProblem{
            "Bedrock doesn't support tool_choice=none. To drop it from the call, set "
            "`litellm.drop_params = True.",
            "tool_choice", "UnsupportedParamsError"};
      }
    } else if (value.get(object) == simdjson::SUCCESS) {
      dom::object function;
      std::string_view name;
      if (object["function"].get(function) == simdjson::SUCCESS) {
        name = string_member(function, "name");
      }
      std::string chosen;
      payload::JsonWriter cw(chosen);
      cw.begin_object();
      cw.key("tool");
      cw.begin_object();
      cw.key("name");
      cw.string(bedrock_tool_name(name));
      cw.end_object();
      cw.end_object();
      cw.finish();
      tool_choice_ = std::move(chosen);
      tool_choice_forced_ = true;
      return std::nullopt;
    }
    return RequestProblem{
        fmt::format("Bedrock doesn't support tool_choice={}. Supported tool_choice "
                    "values=['auto', 'required', json object]. To drop it from the call, set "
                    "`litellm.drop_params = True.",
                    choice.empty() ? plan_.tool_choice : choice),
        "tool_choice", "UnsupportedParamsError"};
  }

  // response_format {type: text} is a no-op; any other object becomes the json tool, its schema
  // json_schema.schema (or response_schema), else LiteLLM's open object.
  std::optional<RequestProblem> read_response_format() {
    if (plan_.response_format.empty()) return std::nullopt;
    dom::element value;
    dom::object format;
    if (parsers_.format.parse(plan_.response_format, value) != simdjson::SUCCESS ||
        value.get(format) != simdjson::SUCCESS || string_member(format, "type") == "text") {
      return std::nullopt;
    }
    dom::object json_schema;
    if (format["response_schema"].get(json_schema_) == simdjson::SUCCESS) {
      has_json_schema_ = true;
    } else if (format["json_schema"].get(json_schema) == simdjson::SUCCESS) {
      has_json_schema_ = json_schema["schema"].get(json_schema_) == simdjson::SUCCESS;
      json_description_ = string_member(json_schema, "description");
    }
    request_.json_mode = true;
    if (traits_.tool_choice && !thinking_enabled_ && tool_choice_.empty()) {
      tool_choice_ = R"({"tool":{"name":"json_tool_call"}})";
      tool_choice_forced_ = true;
    }
    return std::nullopt;
  }

  std::optional<RequestProblem> read_tools() {
    if (plan_.tools.empty()) return std::nullopt;
    dom::element value;
    dom::array tools;
    if (parsers_.tools.parse(plan_.tools, value) != simdjson::SUCCESS ||
        value.get(tools) != simdjson::SUCCESS) {
      return std::nullopt;  // not a list: LiteLLM's map_openai_params ignores it
    }
    tools_given_ = true;
    for (dom::element element : tools) {
      dom::object tool;
      dom::object function;
      if (element.get(tool) != simdjson::SUCCESS ||
          tool["function"].get(function) != simdjson::SUCCESS) {
        return bad_request("tools: each tool must be an object with a `function` object", "tools");
      }
      tools_.push_back(function);
    }
    return std::nullopt;
  }

  // Converse content blocks are written into the turn of `role`, opened when its first block
  // comes: consecutive same-role messages (user and tool ones alike) share a turn, and a message
  // with no block leaves none.
  void block_start(std::string_view role) {
    if (turn_ != role) {
      close_turn();
      w_.begin_object();
      w_.key("role");
      w_.string(role);
      w_.key("content");
      w_.begin_array();
      turn_ = role;
      tool_use_ids_.clear();
    }
    w_.begin_object();
  }

  void close_turn() {
    if (turn_.empty()) return;
    w_.end_array();
    w_.end_object();
    turn_ = {};
  }

  // Where a content block goes: the turn of `role`, or (role empty) the content list of the
  // toolResult being written.
  void part_start(std::string_view role) {
    if (role.empty()) {
      w_.begin_object();
    } else {
      block_start(role);
    }
  }

  void text_block(std::string_view role, std::string_view text) {
    part_start(role);
    w_.key("text");
    w_.string(text);
    w_.end_object();
  }

  // _get_cache_point_block: a `cache_control` on the part or message adds a cache point.
  void cache_point(std::string_view role, dom::object source) {
    if (!has_member(source, "cache_control")) return;
    block_start(role);
    w_.key("cachePoint");
    w_.begin_object();
    w_.key("type");
    w_.string("default");
    w_.end_object();
    w_.end_object();
  }

  static bool is_system_role(std::string_view role) {
    return role == "system" || role == "developer";  // developer: LiteLLM maps it to system
  }

  std::optional<RequestProblem> write_messages() {
    w_.begin_array();
    for (dom::element element : messages_) {
      dom::object message;
      if (element.get(message) != simdjson::SUCCESS) {
        return bad_request("Invalid Message passed in: each message must be an object");
      }
      const std::string_view role = string_member(message, "role");
      std::optional<RequestProblem> problem;
      if (is_system_role(role)) continue;
      if (role == "user") {
        problem = user_message(message);
      } else if (role == "tool" || role == "function") {
        problem = tool_result(message);
      } else if (role == "assistant") {
        problem = assistant_message(message);
      } else {
        return bad_request(fmt::format("Invalid Message passed in: unknown role '{}'", role));
      }
      if (problem) return problem;
    }
    close_turn();
    w_.end_array();
    return std::nullopt;
  }

  std::optional<RequestProblem> user_message(dom::object message) {
    dom::element content;
    if (message["content"].get(content) != simdjson::SUCCESS) return std::nullopt;
    std::string_view text;
    if (content.get(text) == simdjson::SUCCESS) {
      if (!is_blank(text)) {
        text_block("user", text);
        cache_point("user", message);
      }
      return std::nullopt;
    }
    dom::array parts;
    if (content.get(parts) != simdjson::SUCCESS) return std::nullopt;
    for (dom::element part_element : parts) {
      dom::object part;
      if (part_element.get(part) != simdjson::SUCCESS) continue;
      if (auto problem = user_part("user", part)) return problem;
      cache_point("user", part);
    }
    return std::nullopt;
  }

  // One text or image part of a user, assistant or (role empty) tool result content list.
  std::optional<RequestProblem> user_part(std::string_view role, dom::object part) {
    const std::string_view type = string_member(part, "type");
    if (type == "text") {
      const std::string_view text = string_member(part, "text");
      if (!is_blank(text)) text_block(role, text);
    } else if (type == "file" || type == "document") {
      return bad_request(
          "Bedrock Converse document blocks are not supported by llmtap: send the document's "
          "text, or images as data URLs");
    } else if (type == "image_url") {
      part_start(role);
      if (auto problem = image_block(part)) return problem;
      w_.end_object();
    }
    return std::nullopt;
  }

  // The value of an `image` member: {format, source:{bytes}} from a data: URL.
  std::optional<RequestProblem> image_block(dom::object part) {
    dom::element image_url;
    dom::object image_object;
    std::string_view url;
    std::string_view format_hint;
    if (part["image_url"].get(image_url) == simdjson::SUCCESS) {
      if (image_url.get(image_object) == simdjson::SUCCESS) {
        url = string_member(image_object, "url");
        format_hint = string_member(image_object, "format");
      } else if (image_url.get(url) != simdjson::SUCCESS) {
        url = {};
      }
    }
    if (url.starts_with("http://") || url.starts_with("https://")) {
      return bad_request(
          "Bedrock Converse takes images as bytes: send the image as a data URL "
          "(data:image/png;base64,…). llmtap does not download image URLs for Bedrock (LiteLLM "
          "does).");
    }
    std::string_view rest = url;
    const std::size_t marker = rest.find(";base64,");
    if (!rest.starts_with("data:") || marker == std::string_view::npos) {
      return bad_request(
          "Image url not in expected format. Example Expected input - \"image_url\": "
          "\"data:image/jpeg;base64,{base64_image}\". Supported formats - ['image/jpeg', "
          "'image/png', 'image/gif', 'image/webp'].");
    }
    const std::string_view mime = format_hint.empty() ? rest.substr(5, marker - 5) : format_hint;
    const std::string_view format = image_format(mime);
    if (format.empty()) {
      return bad_request(fmt::format(
          "Unsupported image format: {}. Supported formats: ['png', 'jpeg', 'gif', 'webp']", mime));
    }
    w_.key("image");
    w_.begin_object();
    w_.key("format");
    w_.string(format);
    w_.key("source");
    w_.begin_object();
    w_.key("bytes");
    w_.string(rest.substr(marker + 8));
    w_.end_object();
    w_.end_object();
    return std::nullopt;
  }

  // _convert_to_bedrock_tool_call_result: {toolResult:{toolUseId, content:[…]}} in a user turn.
  std::optional<RequestProblem> tool_result(dom::object message) {
    has_tool_blocks_ = true;
    block_start("user");
    w_.key("toolResult");
    w_.begin_object();
    w_.key("toolUseId");
    w_.string(string_member(message, "tool_call_id"));
    w_.key("content");
    w_.begin_array();
    dom::element content;
    std::string_view text;
    dom::array parts;
    if (message["content"].get(content) == simdjson::SUCCESS) {
      if (content.get(text) == simdjson::SUCCESS) {
        text_block({}, text);  // as it is: a tool result needs a content block
      } else if (content.get(parts) == simdjson::SUCCESS) {
        for (dom::element part_element : parts) {
          dom::object part;
          if (part_element.get(part) != simdjson::SUCCESS) continue;
          if (auto problem = user_part({}, part)) return problem;
        }
      }
    }
    w_.end_array();
    w_.end_object();
    w_.end_object();
    cache_point("user", message);
    return std::nullopt;
  }

  // thinking_blocks (and thinking parts) as reasoningContent: {reasoningText:{text, signature}}
  // or {redactedContent}.
  void reasoning_block(dom::object thinking) {
    const std::string_view type = string_member(thinking, "type");
    block_start("assistant");
    w_.key("reasoningContent");
    w_.begin_object();
    if (type == "redacted_thinking") {
      w_.key("redactedContent");
      w_.string(string_member(thinking, "data"));
    } else {
      w_.key("reasoningText");
      w_.begin_object();
      w_.key("text");
      w_.string(string_member(thinking, "thinking"));
      if (has_member(thinking, "signature")) {
        w_.key("signature");
        w_.string(string_member(thinking, "signature"));
      }
      w_.end_object();
    }
    w_.end_object();
    w_.end_object();
  }

  std::optional<RequestProblem> assistant_message(dom::object message) {
    dom::array thinking_blocks;
    if (message["thinking_blocks"].get(thinking_blocks) == simdjson::SUCCESS) {
      for (dom::element block : thinking_blocks) {
        dom::object object;
        if (block.get(object) == simdjson::SUCCESS) reasoning_block(object);
      }
    }
    dom::element content;
    std::string_view text;
    dom::array parts;
    if (message["content"].get(content) == simdjson::SUCCESS) {
      if (content.get(text) == simdjson::SUCCESS) {
        if (!is_blank(text)) text_block("assistant", text);
        cache_point("assistant", message);
      } else if (content.get(parts) == simdjson::SUCCESS) {
        for (dom::element part_element : parts) {
          dom::object part;
          if (part_element.get(part) != simdjson::SUCCESS) continue;
          if (string_member(part, "type") == "thinking") {
            reasoning_block(part);
          } else if (auto problem = user_part("assistant", part)) {
            return problem;
          }
          cache_point("assistant", part);
        }
      }
    }
    dom::array calls;
    if (message["tool_calls"].get(calls) != simdjson::SUCCESS) return std::nullopt;
    for (dom::element call_element : calls) {
      dom::object call;
      dom::object function;
      if (call_element.get(call) != simdjson::SUCCESS ||
          call["function"].get(function) != simdjson::SUCCESS) {
        continue;
      }
      if (auto problem = tool_use(string_member(call, "id"), function)) return problem;
    }
    return std::nullopt;
  }

  // {toolUse:{toolUseId, name, input}}; a second call with the same id in a turn is left out
  // (LiteLLM's _deduplicate_bedrock_content_blocks).
  std::optional<RequestProblem> tool_use(std::string_view id, dom::object function) {
    has_tool_blocks_ = true;
    const std::string_view arguments = string_member(function, "arguments");
    // Blank arguments, or JSON that is no object, are `{}` (toolUse.input must be an object).
    dom::element input;
    const bool blank = is_blank(arguments);
    if (!blank && parsers_.arguments.parse(arguments, input) != simdjson::SUCCESS) {
      return bad_request(
          fmt::format("Invalid tool call arguments (not JSON) for tool call '{}'", id));
    }
    if (std::find(tool_use_ids_.begin(), tool_use_ids_.end(), id) != tool_use_ids_.end()) {
      return std::nullopt;
    }
    block_start("assistant");
    tool_use_ids_.push_back(id);
    w_.key("toolUse");
    w_.begin_object();
    w_.key("toolUseId");
    w_.string(id);
    w_.key("name");
    w_.string(bedrock_tool_name(string_member(function, "name")));
    w_.key("input");
    if (blank || !input.is_object()) {
      w_.begin_object();
      w_.end_object();
    } else {
      copy_element(w_, input);
    }
    w_.end_object();
    w_.end_object();
    return std::nullopt;
  }

  void write_additional_fields() {
    w_.key("additionalModelRequestFields");
    w_.begin_object();
    for (const auto& [key, value] : plan_.forwarded) {
      w_.raw_key(key);
      w_.raw(value);
    }
    write_thinking();
    if (!plan_.top_k.empty() && plan_.top_k != "0" && plan_.top_k != "false" &&
        (traits_.anthropic || traits_.nova)) {
      if (traits_.anthropic) {
        w_.key("top_k");
        w_.raw(plan_.top_k);
      } else {
        w_.key("inferenceConfig");
        w_.begin_object();
        w_.key("topK");
        w_.raw(plan_.top_k);
        w_.end_object();
      }
    }
    w_.end_object();
  }

  // The client's thinking (budget_tokens raised to 1024), or reasoning_effort's.
  void write_thinking() {
    if (!plan_.thinking.empty()) {
      w_.key("thinking");
      dom::element value;
      dom::object object;
      if (thinking_budget_ >= kMinThinkingBudget || thinking_budget_ < 0 ||
          parsers_.scratch.parse(plan_.thinking, value) != simdjson::SUCCESS ||
          value.get(object) != simdjson::SUCCESS) {
        w_.raw(plan_.thinking);
        return;
      }
      w_.begin_object();
      for (dom::key_value_pair field : object) {
        w_.key(field.key);
        if (field.key == "budget_tokens") {
          w_.integer(kMinThinkingBudget);
        } else {
          copy_element(w_, field.value);
        }
      }
      w_.end_object();
      return;
    }
    if (plan_.reasoning_effort.empty()) return;
    if (traits_.effort_as_is) {
      w_.key("reasoning_effort");
      w_.raw(plan_.reasoning_effort);
    } else if (effort_budget_ > 0) {
      w_.key("thinking");
      w_.begin_object();
      w_.key("type");
      w_.string("enabled");
      w_.key("budget_tokens");
      w_.integer(std::max(effort_budget_, kMinThinkingBudget));
      w_.end_object();
    }
  }

  void write_system() {
    w_.key("system");
    w_.begin_array();
    const auto block = [&](std::string_view text, dom::object source) {
      if (text.empty()) return;
      w_.begin_object();
      w_.key("text");
      w_.string(text);
      w_.end_object();
      if (has_member(source, "cache_control")) {
        w_.raw(R"({"cachePoint":{"type":"default"}})");
      }
    };
    for (dom::element element : messages_) {
      dom::object message;
      if (element.get(message) != simdjson::SUCCESS ||
          !is_system_role(string_member(message, "role"))) {
        continue;
      }
      dom::element content;
      std::string_view text;
      dom::array parts;
      if (message["content"].get(content) != simdjson::SUCCESS) continue;
      if (content.get(text) == simdjson::SUCCESS) {
        block(is_blank(text) ? std::string_view() : text, message);
      } else if (content.get(parts) == simdjson::SUCCESS) {
        for (dom::element part_element : parts) {
          dom::object part;
          if (part_element.get(part) != simdjson::SUCCESS ||
              string_member(part, "type") != "text") {
            continue;
          }
          const std::string_view part_text = string_member(part, "text");
          block(is_blank(part_text) ? std::string_view() : part_text, part);
        }
      }
    }
    w_.end_array();
  }

  void write_inference_config() {
    w_.key("inferenceConfig");
    w_.begin_object();
    // max_tokens comes after max_completion_tokens in LiteLLM's parameter order, so it wins.
    const std::string_view max_tokens =
        !plan_.max_tokens.empty() ? plan_.max_tokens : plan_.max_completion_tokens;
    if (!max_tokens.empty()) {
      w_.key("maxTokens");
      w_.raw(max_tokens);
    } else if (thinking_enabled_ && thinking_budget_ >= 0) {
      w_.key("maxTokens");
      w_.integer(std::max(thinking_budget_, kMinThinkingBudget) + kThinkingHeadroom);
    }
    if (!plan_.stop.empty()) write_stop();
    if (!plan_.temperature.empty()) {
      w_.key("temperature");
      w_.raw(plan_.temperature);
    }
    if (!plan_.top_p.empty()) {
      w_.key("topP");
      w_.raw(plan_.top_p);
    }
    w_.end_object();
  }

  void write_stop() {
    dom::element value;
    if (parsers_.scratch.parse(plan_.stop, value) != simdjson::SUCCESS) return;
    std::string_view text;
    if (value.get(text) == simdjson::SUCCESS) {
      if (text.empty()) return;  // Converse rejects an empty stop sequence
      w_.key("stopSequences");
      w_.begin_array();
      w_.string(text);
      w_.end_array();
      return;
    }
    w_.key("stopSequences");
    copy_element(w_, value);
  }

  // OpenAI's service_tier ("auto" is Bedrock's "default") as Converse's serviceTier object.
  void write_service_tier() {
    const std::optional<std::string_view> tier = string_value(plan_.service_tier);
    if (!tier) return;
    const std::string_view bedrock_tier = *tier == "auto" ? std::string_view("default") : *tier;
    if (bedrock_tier != "default" && bedrock_tier != "flex" && bedrock_tier != "priority") return;
    w_.key("serviceTier");
    w_.begin_object();
    w_.key("type");
    w_.string(bedrock_tier);
    w_.end_object();
  }

  void write_tool_spec(std::string_view name, std::string_view description,
                       const dom::element* schema) {
    w_.begin_object();
    w_.key("toolSpec");
    w_.begin_object();
    w_.key("name");
    w_.string(name);
    w_.key("description");
    w_.string(description.empty() ? name : description);
    w_.key("inputSchema");
    w_.begin_object();
    w_.key("json");
    if (schema != nullptr) {
      copy_element(w_, *schema);
    } else {
      w_.raw(R"({"type":"object","properties":{}})");
    }
    w_.end_object();
    w_.end_object();
    w_.end_object();
  }

  void write_tool_config() {
    if (tools_.empty() && !request_.json_mode) return;
    w_.key("toolConfig");
    w_.begin_object();
    w_.key("tools");
    w_.begin_array();
    if (request_.json_mode) {
      if (has_json_schema_) {
        write_tool_spec(kJsonToolName, json_description_, &json_schema_);
      } else {
        w_.begin_object();
        w_.key("toolSpec");
        w_.raw(R"({"name":"json_tool_call","description":"json_tool_call","inputSchema":)"
               R"({"json":{"type":"object","additionalProperties":true,"properties":{}}}})");
        w_.end_object();
      }
    }
    for (dom::object function : tools_) {
      const std::string_view name = string_member(function, "name");
      std::string bedrock_name = bedrock_tool_name(name);
      dom::element parameters;
      const bool has_parameters =
          function["parameters"].get(parameters) == simdjson::SUCCESS && !parameters.is_null();
      write_tool_spec(bedrock_name, string_member(function, "description"),
                      has_parameters ? &parameters : nullptr);
      if (bedrock_name != name) {
        request_.renamed_tools.push_back({std::move(bedrock_name), std::string(name)});
      }
    }
    w_.end_array();
    if (!tool_choice_.empty()) {
      w_.key("toolChoice");
      // LiteLLM turns a forced choice into auto when thinking is on (Bedrock refuses both).
      w_.raw(thinking_enabled_ && tool_choice_forced_ ? std::string_view(R"({"auto":{}})")
                                                      : std::string_view(tool_choice_));
    }
    w_.end_object();
  }

  const payload::RequestSummary& summary_;
  const RequestOptions& options_;
  ModelTraits traits_;
  Parsers& parsers_;
  ConverseRequest& request_;
  payload::JsonWriter w_;
  Plan plan_;
  dom::array messages_;
  std::vector<dom::object> tools_;  // the client's tools' `function` objects
  dom::element json_schema_;
  bool has_json_schema_ = false;
  std::string_view json_description_;
  std::string tool_choice_;          // the toolChoice value, or empty
  bool tool_choice_forced_ = false;  // {any} or {tool}
  bool tools_given_ = false;         // a `tools` list, even an empty one
  bool thinking_enabled_ = false;
  std::int64_t thinking_budget_ = -1;  // the enabled thinking's budget_tokens, when known
  std::int64_t effort_budget_ = 0;     // reasoning_effort's budget when > 0
  bool has_tool_blocks_ = false;
  std::string_view turn_;                       // the open turn's role, or empty
  std::vector<std::string_view> tool_use_ids_;  // the open turn's toolUse ids
};

}  // namespace

Result<ConverseRequest, RequestProblem> to_converse_request(const payload::RequestSummary& summary,
                                                            const RequestOptions& options) {
  ConverseRequest request;
  request.body.reserve(summary.input_raw.size() + 256);
  {
    Translator translator(summary, options, request);
    if (auto problem = translator.run()) return std::move(*problem);
  }
  return request;
}

}  // namespace llmtap::providers::bedrock
