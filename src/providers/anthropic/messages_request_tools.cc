// to_messages_request()'s tools (messages_request_translator.h): response_format as the
// json_tool_call tool, the client's tools as Anthropic tools, and tool_choice with
// parallel_tool_calls, as LiteLLM's AnthropicConfig maps them.
#include <fmt/format.h>

#include "providers/anthropic/messages_request_translator.h"
#include "providers/json/dom_copy.h"
#include "providers/json/dom_members.h"

namespace llmtap::providers::anthropic::detail {

// response_format: {type:text} and a bare json_object send nothing; a schema (json_schema's
// schema, or response_schema) becomes the json_tool_call tool.
std::optional<RequestProblem> MessagesRequestTranslator::read_json_schema() {
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

RequestProblem MessagesRequestTranslator::schema_problem() {
  return bad_request("response_format: the JSON schema could not be read", "response_format");
}

// Records an object schema's bytes and whether it names its own "type". Non-zero on error.
int MessagesRequestTranslator::scan_schema(od::value& value, od::json_type type) {
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

void MessagesRequestTranslator::open_tools(bool& open) {
  if (open) return;
  w_.key("tools");
  w_.begin_array();
  open = true;
}

std::optional<RequestProblem> MessagesRequestTranslator::write_tools() {
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

RequestProblem MessagesRequestTranslator::tools_problem(std::string what) {
  return bad_request(fmt::format("tools: {}", what), "tools");
}

int MessagesRequestTranslator::extra_index(std::string_view key) {
  for (std::size_t i = 0; i < kToolExtras.size(); ++i) {
    if (kToolExtras[i] == key) return static_cast<int>(i);
  }
  return -1;
}

std::optional<RequestProblem> MessagesRequestTranslator::write_client_tools(bool& open) {
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
void MessagesRequestTranslator::write_object_schema(const ToolParts& parts) {
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
int MessagesRequestTranslator::read_tool(od::value& tool, ToolParts& parts,
                                         std::string_view& whole) {
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

int MessagesRequestTranslator::read_function(od::value& function, ToolParts& parts) {
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
      return payload::JsonScanner::scan(value, &parts.extras_function[static_cast<std::size_t>(i)]);
    }
    return payload::JsonScanner::validate(value);
  };
  return payload::JsonScanner::for_each_member(function, read_member) ? 1 : 0;
}

int MessagesRequestTranslator::read_parameters(od::value& parameters, ToolParts& parts) {
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

std::optional<RequestProblem> MessagesRequestTranslator::write_tool_choice() {
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

}  // namespace llmtap::providers::anthropic::detail
