// MessagesRequestTranslator: the state and the steps of one to_messages_request() call
// (messages_request.h says what is translated and how), in files by what each step translates:
//   messages_request.cc           the run: parameters sorted, then the body in Anthropic's order;
//   messages_request_params.cc    max_tokens, temperature/top_p, stop, metadata.user_id, thinking;
//   messages_request_messages.cc  system blocks, turns, user/assistant/tool messages, tool_use;
//   messages_request_plain.cc     the same for messages that are all {role, content: string},
//                                 their text copied as the client's JSON tokens;
//   messages_request_media.cc     image_url and file parts as image and document blocks;
//   messages_request_tools.cc     response_format as the json_tool_call tool, tools, tool_choice.
//
// Internal to the Anthropic adapter. One translator per call, used on one thread; the parsers it
// reads with are the thread's (local_parsers()).
#pragma once

#include <simdjson.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payload/json_scanner.h"
#include "payload/json_writer.h"
#include "payload/request_summary.h"
#include "providers/anthropic/messages_request.h"
#include "providers/json/padded_dom_parser.h"
#include "providers/json/plain_messages.h"

namespace llmtap::providers::anthropic::detail {

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
// `plain` reads messages of the plain shape and holds them for the whole translation.
struct Parsers {
  PaddedDomParser messages;
  PaddedDomParser scratch;
  PaddedDomParser arguments;
  payload::JsonScanner tools;
  PlainMessages plain;
};

Parsers& local_parsers();

inline bool is_space(char c) {
  // Python's str.isspace() / rstrip() for ASCII: \t \n \v \f \r, the separators \x1c-\x1f, space.
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

inline std::string_view rstrip(std::string_view text) {
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

inline bool is_blank(std::string_view text) {  // Python's isspace(): false for ""
  return !text.empty() && rstrip(text).empty();
}

// A part's or message's cache_control, copied when it is an object (add_cache_control_to_content).
void copy_cache_control(payload::JsonWriter& w, const dom::object* source);

inline RequestProblem bad_request(std::string message, std::string param = {}) {
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

Plan make_plan(const payload::RequestSummary& summary);

// What `thinking` ends up as: the client's own value, or reasoning_effort's budget.
struct Thinking {
  std::string_view raw;              // the client's `thinking`, when given
  std::int64_t budget = 0;           // reasoning_effort's budget when > 0
  bool enabled = false;              // type "enabled" (what sets max_tokens from the budget)
  std::int64_t enabled_budget = -1;  // its budget_tokens when known
};

class MessagesRequestTranslator {
 public:
  MessagesRequestTranslator(const payload::RequestSummary& summary, const RequestOptions& options,
                            std::string& out)
      : summary_(summary), options_(options), parsers_(local_parsers()), w_(out) {}

  // Whether the json_tool_call tool went out (valid after run()).
  bool json_mode() const { return !json_schema_.empty(); }

  std::optional<RequestProblem> run();

 private:
  // Which message the blocks being written go to (consecutive same-role messages are merged).
  enum class Turn { none, user, assistant };

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

  RequestProblem unsupported_problem() const;

  // messages_request_params.cc: max_tokens, sampling, stop, metadata.user_id, thinking.
  std::optional<RequestProblem> read_thinking();
  std::optional<RequestProblem> write_max_tokens();
  void write_stop();
  void write_metadata();
  void write_user_id_string();
  void write_thinking();

  // messages_request_messages.cc: system blocks, turns, user, assistant and tool messages.
  static bool is_system_role(std::string_view role);
  void system_block(std::string_view text, const dom::object* cache_source, bool& open);
  std::optional<RequestProblem> write_system();
  void open_message();
  void block_start();
  void copy_block(dom::element block);
  void close_turn();
  void close_messages();  // the last turn, then the messages array (empty when no turn had one)
  void text_block(std::string_view text, const dom::object* cache_source);
  std::optional<RequestProblem> write_messages();
  std::optional<RequestProblem> user_message(dom::object message);
  std::optional<RequestProblem> tool_result(dom::object message, std::string_view role);
  std::optional<RequestProblem> assistant_message(dom::object message, bool final);
  std::optional<RequestProblem> tool_use(std::string_view id, dom::object function,
                                         const dom::object* cache_source, bool legacy = false);

  // messages_request_plain.cc: the fast path for messages that are all {role, content: string}
  // (the common chat request), which needs no DOM and copies text without re-escaping it.
  bool read_plain_messages();
  void write_plain_messages();

  // messages_request_media.cc: image and file parts as image and document blocks.
  void media_start(bool nested);
  std::optional<RequestProblem> media_block(std::string_view url, std::string_view format,
                                            const dom::object* cache_source, bool nested,
                                            bool document);
  std::optional<RequestProblem> image_block(dom::object part, const dom::object* cache_source,
                                            bool nested);
  std::optional<RequestProblem> file_block(dom::object part);
  static RequestProblem file_problem();
  static RequestProblem image_problem();

  // messages_request_tools.cc: response_format as the json tool, tools, tool_choice.
  std::optional<RequestProblem> read_json_schema();
  static RequestProblem schema_problem();
  int scan_schema(od::value& value, od::json_type type);
  void open_tools(bool& open);
  std::optional<RequestProblem> write_tools();
  static RequestProblem tools_problem(std::string what);
  static int extra_index(std::string_view key);
  std::optional<RequestProblem> write_client_tools(bool& open);
  void write_object_schema(const ToolParts& parts);
  static int read_tool(od::value& tool, ToolParts& parts, std::string_view& whole);
  static int read_function(od::value& function, ToolParts& parts);
  static int read_parameters(od::value& parameters, ToolParts& parts);
  std::optional<RequestProblem> write_tool_choice();

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

}  // namespace llmtap::providers::anthropic::detail
