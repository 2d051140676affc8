#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "payload/request_summary.h"
#include "providers/anthropic/messages_request.h"
#include "request_golden.h"

namespace llmtap::providers::anthropic {
namespace {

constexpr std::string_view kModel = "claude-3-5-sonnet-20241022";

RequestOptions options(bool drop_params = false, bool stream = false) {
  RequestOptions o;
  o.upstream_model = kModel;
  o.default_max_tokens = 8192;
  o.drop_params = drop_params;
  o.stream = stream;
  return o;
}

Result<MessagesRequest, RequestProblem> run(const std::string& body, const RequestOptions& o) {
  return test_support::run_chat_request(body, [&](const payload::RequestSummary& summary) {
    return to_messages_request(summary, o);
  });
}

// The translation of `body`, canonical; a failure when it is a problem.
std::string translate(const std::string& body, const RequestOptions& o = options()) {
  return test_support::canonical_body(run(body, o));
}

RequestProblem problem(const std::string& body, const RequestOptions& o = options()) {
  return test_support::problem_of(run(body, o));
}

std::string body_with(std::string_view messages, std::string_view extra = "") {
  return test_support::chat_body("claude", messages, extra);
}

constexpr std::string_view kHello = R"([{"role":"user","content":"Hello"}])";

// The translation with only `extra` parameters added to a one-message request.
std::string with_params(std::string_view extra, const RequestOptions& o = options()) {
  return translate(body_with(kHello, extra), o);
}

std::string expected_hello(std::string_view extra_members) {
  std::string out = R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,)"
                    R"("messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}])";
  if (!extra_members.empty()) {
    out += ',';
    out += extra_members;
  }
  out += '}';
  return test_support::canonical_json(out);
}

// Verifies the simplest request, golden: the upstream model, the system prompt as a text block,
// a user string as a text block, and the default max_tokens.
TEST(AnthropicMessagesRequestTest, SimpleChatGolden) {
  EXPECT_EQ(translate(body_with(R"([{"role":"system","content":"Be brief."},
                                    {"role":"user","content":"Hello"}])")),
            test_support::canonical_json(R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,
                "system":[{"type":"text","text":"Be brief."}],
                "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}]})"));
}

// Verifies that system messages anywhere (developer too) join the top-level system list in
// order, list parts included, with cache_control kept, and empty or billing-header text skipped.
TEST(AnthropicMessagesRequestTest, SystemMessagesAnywhereBecomeSystemBlocks) {
  EXPECT_EQ(translate(body_with(R"([
        {"role":"system","content":"One","cache_control":{"type":"ephemeral"}},
        {"role":"system","content":""},
        {"role":"user","content":"Hi"},
        {"role":"system","content":[{"type":"text","text":"Two","cache_control":{"type":"ephemeral"}},
                                    {"type":"text","text":""},
                                    {"type":"text","text":"x-anthropic-billing-header: cc"}]},
        {"role":"developer","content":"Three"}])")),
            test_support::canonical_json(R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,
          "system":[{"type":"text","text":"One","cache_control":{"type":"ephemeral"}},
                    {"type":"text","text":"Two","cache_control":{"type":"ephemeral"}},
                    {"type":"text","text":"Three"}],
          "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]})"));
}

// Verifies that a request with only system messages is LiteLLM's BadRequestError.
TEST(AnthropicMessagesRequestTest, OnlySystemMessagesIsAProblem) {
  const RequestProblem p = problem(body_with(R"([{"role":"system","content":"Alone"}])"));
  EXPECT_TRUE(p.message.starts_with("Anthropic requires at least one non-system message"))
      << p.message;
  EXPECT_EQ(p.error_class, "BadRequestError");
  EXPECT_EQ(p.param, "messages");
}

// Verifies role merging: consecutive user and tool messages become one user message, consecutive
// assistant messages one assistant message, and the final one has trailing whitespace stripped.
TEST(AnthropicMessagesRequestTest, ConsecutiveRolesAreMerged) {
  EXPECT_EQ(translate(body_with(R"([
        {"role":"user","content":"a"},
        {"role":"user","content":"b"},
        {"role":"assistant","content":"c  "},
        {"role":"assistant","content":"d \n"}])")),
            test_support::canonical_json(
                R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,"messages":[
          {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
          {"role":"assistant","content":[{"type":"text","text":"c"},{"type":"text","text":"d"}]}]})"));
}

// Verifies that only the final assistant message loses its trailing whitespace, and that empty
// assistant text is never sent.
TEST(AnthropicMessagesRequestTest, OnlyFinalAssistantTextIsStripped) {
  EXPECT_EQ(translate(body_with(R"([
        {"role":"user","content":"a"},
        {"role":"assistant","content":"keep  "},
        {"role":"user","content":"b"},
        {"role":"assistant","content":[{"type":"text","text":""},{"type":"text","text":"end \t"}]}])")),
            test_support::canonical_json(
                R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,"messages":[
          {"role":"user","content":[{"type":"text","text":"a"}]},
          {"role":"assistant","content":[{"type":"text","text":"keep  "}]},
          {"role":"user","content":[{"type":"text","text":"b"}]},
          {"role":"assistant","content":[{"type":"text","text":"end"}]}]})"));
}

// Verifies user list parts: text with cache_control, a data: URL as a base64 image, an http URL
// as a url image, a PDF data URL as a document, and a format overriding the media type.
TEST(AnthropicMessagesRequestTest, UserPartsBecomeTextAndImageBlocks) {
  EXPECT_EQ(translate(body_with(R"([{"role":"user","content":[
        {"type":"text","text":"Look","cache_control":{"type":"ephemeral"}},
        {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
        {"type":"image_url","image_url":"https://example.com/cat.jpg"},
        {"type":"image_url","image_url":{"url":"data:application/pdf;base64,JVBERi0="}},
        {"type":"image_url","image_url":{"url":"data:image/jpg;base64,AAAA","format":"image/jpeg"},
         "cache_control":{"type":"ephemeral"}}]}])")),
            test_support::canonical_json(
                R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,"messages":[
          {"role":"user","content":[
            {"type":"text","text":"Look","cache_control":{"type":"ephemeral"}},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
            {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
            {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"AAAA"},
             "cache_control":{"type":"ephemeral"}}]}]})"));
}

// Verifies that an image URL that is neither http(s) nor a base64 data URL is LiteLLM's error.
TEST(AnthropicMessagesRequestTest, BadImageUrlIsAProblem) {
  const RequestProblem p = problem(body_with(
      R"([{"role":"user","content":[{"type":"image_url","image_url":"ftp://x/y.png"}]}])"));
  EXPECT_TRUE(p.message.starts_with("Image url not in expected format")) << p.message;
}

// Verifies that file parts become documents: file_data as base64, a file_id as a file source.
TEST(AnthropicMessagesRequestTest, FilePartsBecomeDocuments) {
  EXPECT_EQ(translate(body_with(R"([{"role":"user","content":[
        {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}},
        {"type":"file","file":{"file_id":"file_011","format":"application/pdf"}}]}])")),
            test_support::canonical_json(
                R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,"messages":[
          {"role":"user","content":[
            {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
            {"type":"document","source":{"type":"file","file_id":"file_011"}}]}]})"));
}

// Verifies a tool round trip, golden: assistant text then tool_use blocks with arguments parsed
// into input, tool results (string and text list) merged into one user message with the next
// user text, and the client's tool mapped to input_schema.
TEST(AnthropicMessagesRequestTest, ToolRoundTripGolden) {
  EXPECT_EQ(
      translate(body_with(
          R"([
        {"role":"user","content":"Weather in Paris and Rome?"},
        {"role":"assistant","content":"Checking.","tool_calls":[
          {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}},
          {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"},
           "cache_control":{"type":"ephemeral"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"18C"},
        {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}],
         "cache_control":{"type":"ephemeral"}},
        {"role":"user","content":"Thanks"}])",
          R"("tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}])")),
      test_support::canonical_json(
          R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,"messages":[
        {"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},
        {"role":"assistant","content":[
          {"type":"text","text":"Checking."},
          {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
          {"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"Rome"},
           "cache_control":{"type":"ephemeral"}}]},
        {"role":"user","content":[
          {"type":"tool_result","tool_use_id":"call_1","content":"18C"},
          {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"21C"}],
           "cache_control":{"type":"ephemeral"}},
          {"type":"text","text":"Thanks"}]}],
        "tools":[{"type":"custom","name":"get_weather","description":"Weather",
          "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]})"));
}

// Verifies that tool_call arguments that are not JSON fail the request, as json.loads() does.
TEST(AnthropicMessagesRequestTest, NonJsonArgumentsAreAProblem) {
  const RequestProblem p =
      problem(body_with(R"([{"role":"user","content":"x"},
      {"role":"assistant","tool_calls":[{"id":"call_9","type":"function",
        "function":{"name":"f","arguments":"{city: Paris"}}]}])",
                        R"("tools":[{"type":"function","function":{"name":"f"}}])"));
  EXPECT_NE(p.message.find("call_9"), std::string::npos) << p.message;
  EXPECT_NE(p.message.find("not valid JSON"), std::string::npos) << p.message;
  EXPECT_EQ(p.error_class, "BadRequestError");
}

// Verifies that empty arguments fail too (LiteLLM only maps "" to {} for a legacy function_call).
TEST(AnthropicMessagesRequestTest, EmptyArgumentsAreAProblem) {
  const RequestProblem p = problem(body_with(R"([{"role":"user","content":"x"},
      {"role":"assistant","tool_calls":[{"id":"c","type":"function",
        "function":{"name":"f","arguments":""}}]}])"));
  EXPECT_NE(p.message.find("not valid JSON"), std::string::npos) << p.message;
}

// Verifies that a history with tool calls but no tools gets LiteLLM's dummy tool.
TEST(AnthropicMessagesRequestTest, ToolHistoryWithoutToolsGetsDummyTool) {
  EXPECT_EQ(translate(body_with(R"([{"role":"user","content":"x"},
      {"role":"assistant","tool_calls":[{"id":"c1","type":"function",
        "function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"c1","content":"ok"}])")),
            test_support::canonical_json(
                R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,"messages":[
        {"role":"user","content":[{"type":"text","text":"x"}]},
        {"role":"assistant","content":[{"type":"tool_use","id":"c1","name":"f","input":{}}]},
        {"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"ok"}]}],
        "tools":[{"name":"dummy_tool","type":"custom","description":"This is a dummy tool call",
                  "input_schema":{"type":"object","properties":{}}}]})"));
}

// Verifies that a legacy function_call becomes a tool_use with a generated id, "" meaning {}.
TEST(AnthropicMessagesRequestTest, LegacyFunctionCallBecomesToolUse) {
  auto out = run(body_with(R"([{"role":"user","content":"x"},
      {"role":"assistant","function_call":{"name":"f","arguments":""}}])"),
                 options());
  ASSERT_TRUE(out) << out.error().message;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(out->body);
  simdjson::dom::element doc = parser.parse(padded);
  simdjson::dom::element block = doc["messages"].at(1)["content"].at(0);
  EXPECT_EQ(std::string_view(block["type"]), "tool_use");
  EXPECT_EQ(std::string_view(block["id"]).size(), 36U);  // a uuid4
  EXPECT_EQ(std::string_view(block["name"]), "f");
  EXPECT_EQ(simdjson::minify(block["input"]), "{}");
}

// Verifies tool mapping details: a missing schema becomes an empty object schema, a schema
// without type "object" is coerced, cache_control is copied from the function, and a tool
// already in Anthropic's shape passes unchanged.
TEST(AnthropicMessagesRequestTest, ToolsMapToInputSchema) {
  EXPECT_EQ(with_params(R"("tools":[
        {"type":"function","function":{"name":"now"}},
        {"type":"function","function":{"name":"g","parameters":{"properties":{"a":{"type":"integer"}}},
                                       "cache_control":{"type":"ephemeral"}}},
        {"name":"native","input_schema":{"type":"object","properties":{}}}])"),
            expected_hello(R"("tools":[
        {"type":"custom","name":"now","input_schema":{"type":"object","properties":{}}},
        {"type":"custom","name":"g","input_schema":{"type":"object","properties":{"a":{"type":"integer"}}},
         "cache_control":{"type":"ephemeral"}},
        {"name":"native","input_schema":{"type":"object","properties":{}}}])"));
}

// Verifies tool_choice mapping: auto, required → any, none, a function → tool with its name.
TEST(AnthropicMessagesRequestTest, ToolChoiceIsMapped) {
  const std::string tools = R"("tools":[{"type":"function","function":{"name":"f"}}],)";
  const std::string tool =
      R"("tools":[{"type":"custom","name":"f","input_schema":{"type":"object","properties":{}}}],)";
  EXPECT_EQ(with_params(tools + R"("tool_choice":"auto")"),
            expected_hello(tool + R"("tool_choice":{"type":"auto"})"));
  EXPECT_EQ(with_params(tools + R"("tool_choice":"required")"),
            expected_hello(tool + R"("tool_choice":{"type":"any"})"));
  EXPECT_EQ(with_params(tools + R"("tool_choice":"none")"),
            expected_hello(tool + R"("tool_choice":{"type":"none"})"));
  EXPECT_EQ(with_params(tools + R"("tool_choice":{"type":"function","function":{"name":"f"}})"),
            expected_hello(tool + R"("tool_choice":{"type":"tool","name":"f"})"));
}

// Verifies parallel_tool_calls as disable_parallel_tool_use: inside the mapped tool_choice, on an
// "auto" choice when there is none, and never with tool_choice "none".
TEST(AnthropicMessagesRequestTest, ParallelToolCallsDisableParallelToolUse) {
  const std::string tools = R"("tools":[{"type":"function","function":{"name":"f"}}],)";
  const std::string tool =
      R"("tools":[{"type":"custom","name":"f","input_schema":{"type":"object","properties":{}}}],)";
  EXPECT_EQ(
      with_params(tools + R"("parallel_tool_calls":false)"),
      expected_hello(tool + R"("tool_choice":{"type":"auto","disable_parallel_tool_use":true})"));
  EXPECT_EQ(
      with_params(tools + R"("tool_choice":"required","parallel_tool_calls":true)"),
      expected_hello(tool + R"("tool_choice":{"type":"any","disable_parallel_tool_use":false})"));
  EXPECT_EQ(with_params(tools + R"("tool_choice":"none","parallel_tool_calls":false)"),
            expected_hello(tool + R"("tool_choice":{"type":"none"})"));
}

// Verifies max_tokens: an int as it is, max_tokens over max_completion_tokens, floats rounded half
// to even and clamped to at least 1, and the options' default when absent.
TEST(AnthropicMessagesRequestTest, MaxTokensMapping) {
  auto max_tokens = [](std::string_view extra) {
    auto out = run(body_with(kHello, extra), options());
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    simdjson::dom::parser parser;
    simdjson::padded_string padded(out ? out->body : std::string("{}"));
    return simdjson::minify(parser.parse(padded)["max_tokens"]);
  };
  EXPECT_EQ(max_tokens(R"("max_tokens":100)"), "100");
  EXPECT_EQ(max_tokens(R"("max_completion_tokens":300)"), "300");
  EXPECT_EQ(max_tokens(R"("max_tokens":100,"max_completion_tokens":300)"), "100");
  EXPECT_EQ(max_tokens(R"("max_completion_tokens":300,"max_tokens":100)"), "100");
  EXPECT_EQ(max_tokens(R"("max_tokens":2.5)"), "2");
  EXPECT_EQ(max_tokens(R"("max_tokens":3.5)"), "4");
  EXPECT_EQ(max_tokens(R"("max_tokens":0.2)"), "1");
  EXPECT_EQ(max_tokens(R"("max_tokens":null)"), "8192");
  EXPECT_EQ(max_tokens(""), "8192");
}

// Verifies that a non-numeric max_tokens is a problem naming the parameter.
TEST(AnthropicMessagesRequestTest, NonNumericMaxTokensIsAProblem) {
  const RequestProblem p = problem(body_with(kHello, R"("max_tokens":"100")"));
  EXPECT_EQ(p.param, "max_tokens");
}

// Verifies that temperature and top_p pass as they are, and top_k (not an OpenAI parameter) is
// passed through to Anthropic, as LiteLLM does with provider-specific keys.
TEST(AnthropicMessagesRequestTest, SamplingParametersPassThrough) {
  EXPECT_EQ(with_params(R"("temperature":0.7,"top_p":1,"top_k":40)"),
            expected_hello(R"("temperature":0.7,"top_p":1,"top_k":40)"));
}

// Verifies stop → stop_sequences: a string as a one-element list, an array as it is, and
// whitespace-only sequences dropped only under drop_params.
TEST(AnthropicMessagesRequestTest, StopBecomesStopSequences) {
  EXPECT_EQ(with_params(R"("stop":"END")"), expected_hello(R"("stop_sequences":["END"])"));
  EXPECT_EQ(with_params(R"("stop":["a","\n"])"), expected_hello(R"("stop_sequences":["a","\n"])"));
  EXPECT_EQ(with_params(R"("stop":["a","\n"])", options(true)),
            expected_hello(R"("stop_sequences":["a"])"));
  EXPECT_EQ(with_params(R"("stop":" ")", options(true)), expected_hello(""));
}

// Verifies user → metadata.user_id, except for emails and phone numbers (LiteLLM's
// _valid_user_id), and that the body's own metadata is never sent, only its user_id.
TEST(AnthropicMessagesRequestTest, UserBecomesMetadataUserId) {
  EXPECT_EQ(with_params(R"("user":"user-123")"),
            expected_hello(R"("metadata":{"user_id":"user-123"})"));
  EXPECT_EQ(with_params(R"("user":"jane.doe@example.com")"), expected_hello(""));
  EXPECT_EQ(with_params(R"("user":"+1 (555) 123-4567")"), expected_hello(""));
  EXPECT_EQ(with_params(R"("user":"12345")"), expected_hello(R"("metadata":{"user_id":"12345"})"));
  EXPECT_EQ(with_params(R"("user":"a@b")"), expected_hello(R"("metadata":{"user_id":"a@b"})"));
  EXPECT_EQ(with_params(R"("metadata":{"tags":["x"]})"), expected_hello(""));
  EXPECT_EQ(with_params(R"("user":"u1","metadata":{"user_id":"m1","tags":["x"]})"),
            expected_hello(R"("metadata":{"user_id":"m1"})"));
}

// Verifies that "stream": true is sent only when the options say so, and stream_options never.
TEST(AnthropicMessagesRequestTest, StreamOnlyFromOptions) {
  const std::string extra = R"("stream":true,"stream_options":{"include_usage":true})";
  EXPECT_EQ(with_params(extra, options(false, true)), expected_hello(R"("stream":true)"));
  EXPECT_EQ(with_params(extra, options(false, false)), expected_hello(""));
}

// Verifies response_format: text and a bare json_object send nothing; a json_schema becomes the
// json_tool_call tool (typed "object" when the schema is not) with a forced tool_choice.
TEST(AnthropicMessagesRequestTest, ResponseFormatJsonSchemaBecomesTool) {
  EXPECT_EQ(with_params(R"("response_format":{"type":"text"})"), expected_hello(""));
  EXPECT_EQ(with_params(R"("response_format":{"type":"json_object"})"), expected_hello(""));
  EXPECT_EQ(with_params(R"("response_format":{"type":"json_schema","json_schema":{"name":"p",
                 "schema":{"properties":{"n":{"type":"integer"}},"required":["n"]}}})"),
            expected_hello(R"("tools":[{"name":"json_tool_call","input_schema":{"type":"object",
                 "properties":{"n":{"type":"integer"}},"required":["n"]}}],
                 "tool_choice":{"type":"tool","name":"json_tool_call"})"));
  // The answer's translators are told to turn that tool's input back into content.
  auto schema = run(body_with(kHello, R"("response_format":{"type":"json_schema",
      "json_schema":{"schema":{"type":"object"}}})"),
                    options());
  ASSERT_TRUE(schema);
  EXPECT_TRUE(schema->json_mode);
  auto plain = run(body_with(kHello, R"("response_format":{"type":"json_object"})"), options());
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->json_mode);
}

// Verifies that the json tool comes before the client's tools, that the client's tool_choice
// wins, and that with thinking on no tool is forced.
TEST(AnthropicMessagesRequestTest, ResponseFormatWithToolsAndThinking) {
  EXPECT_EQ(
      with_params(
          R"("response_format":{"type":"json_schema","json_schema":{"schema":{"type":"object"}}},
          "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"auto")"),
      expected_hello(R"("tools":[{"name":"json_tool_call","input_schema":{"type":"object"}},
          {"type":"custom","name":"f","input_schema":{"type":"object","properties":{}}}],
          "tool_choice":{"type":"auto"})"));
  EXPECT_EQ(
      with_params(
          R"("response_format":{"type":"json_schema","json_schema":{"schema":{"type":"object"}}},
          "thinking":{"type":"enabled","budget_tokens":2000},"max_tokens":5000)"),
      test_support::canonical_json(R"({"model":"claude-3-5-sonnet-20241022","max_tokens":5000,
          "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],
          "tools":[{"name":"json_tool_call","input_schema":{"type":"object"}}],
          "thinking":{"type":"enabled","budget_tokens":2000}})"));
}

// Verifies reasoning_effort → thinking budgets (minimal floored at 1024 as newest LiteLLM does),
// "none" → no thinking, and max_tokens = budget + 4096 when the client set none.
TEST(AnthropicMessagesRequestTest, ReasoningEffortBecomesThinkingBudget) {
  auto thinking = [](std::string_view effort, std::string_view extra = "") {
    std::string params = R"("reasoning_effort":")";
    params += effort;
    params += '"';
    if (!extra.empty()) {
      params += ',';
      params += extra;
    }
    auto out = run(body_with(kHello, params), options());
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    simdjson::dom::parser parser;
    simdjson::padded_string padded(out ? out->body : std::string("{}"));
    simdjson::dom::element doc = parser.parse(padded);
    simdjson::dom::element value;
    std::string result = doc["thinking"].get(value) ? "none" : simdjson::minify(value);
    return result + " " + simdjson::minify(doc["max_tokens"]);
  };
  EXPECT_EQ(thinking("minimal"), R"({"type":"enabled","budget_tokens":1024} 5120)");
  EXPECT_EQ(thinking("low"), R"({"type":"enabled","budget_tokens":1024} 5120)");
  EXPECT_EQ(thinking("medium"), R"({"type":"enabled","budget_tokens":2048} 6144)");
  EXPECT_EQ(thinking("high"), R"({"type":"enabled","budget_tokens":4096} 8192)");
  EXPECT_EQ(thinking("high", R"("max_tokens":10000)"),
            R"({"type":"enabled","budget_tokens":4096} 10000)");
  EXPECT_EQ(thinking("none"), "none 8192");
}

// Verifies that an unknown reasoning_effort is LiteLLM's BadRequestError.
TEST(AnthropicMessagesRequestTest, UnknownReasoningEffortIsAProblem) {
  const RequestProblem p = problem(body_with(kHello, R"("reasoning_effort":"extreme")"));
  EXPECT_TRUE(p.message.starts_with("Unmapped reasoning effort: 'extreme'")) << p.message;
  EXPECT_EQ(p.param, "reasoning_effort");
}

// Verifies that `thinking` passes through as it is and sets max_tokens from its budget.
TEST(AnthropicMessagesRequestTest, ThinkingPassesThrough) {
  EXPECT_EQ(translate(body_with(kHello, R"("thinking":{"type":"enabled","budget_tokens":3000})")),
            test_support::canonical_json(R"({"model":"claude-3-5-sonnet-20241022","max_tokens":7096,
              "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],
              "thinking":{"type":"enabled","budget_tokens":3000}})"));
}

// Verifies LiteLLM's UnsupportedParamsError for OpenAI parameters Anthropic lacks, in its exact
// wording, naming every one.
TEST(AnthropicMessagesRequestTest, UnsupportedParamsAreAProblem) {
  const RequestProblem p = problem(body_with(kHello, R"("seed":7,"frequency_penalty":0.5)"));
  EXPECT_EQ(p.error_class, "UnsupportedParamsError");
  EXPECT_EQ(p.param, "seed");
  EXPECT_EQ(p.message,
            "anthropic does not support parameters: ['seed', 'frequency_penalty'], for "
            "model=claude-3-5-sonnet-20241022. To drop these, set `litellm.drop_params=True` or "
            "for proxy:\n\n`litellm_settings:\n drop_params: true`\n. \n If you want to use these "
            "params dynamically send allowed_openai_params=['seed', 'frequency_penalty'] in your "
            "request.");
}

// Verifies that drop_params drops unsupported parameters silently, and that n=1 and null values
// are never unsupported.
TEST(AnthropicMessagesRequestTest, DropParamsDropsUnsupported) {
  EXPECT_EQ(with_params(R"("seed":7,"logprobs":true,"n":2)", options(true)), expected_hello(""));
  EXPECT_EQ(with_params(R"("n":1,"seed":null,"presence_penalty":null)"), expected_hello(""));
}

// Verifies that an unknown role is a problem rather than a dropped message.
TEST(AnthropicMessagesRequestTest, UnknownRoleIsAProblem) {
  const RequestProblem p = problem(body_with(R"([{"role":"narrator","content":"x"}])"));
  EXPECT_NE(p.message.find("narrator"), std::string::npos) << p.message;
}

// Verifies that a tool message without tool_call_id is a problem (LiteLLM's KeyError).
TEST(AnthropicMessagesRequestTest, ToolMessageWithoutIdIsAProblem) {
  const RequestProblem p = problem(body_with(R"([{"role":"user","content":"x"},
      {"role":"tool","content":"r"}])"));
  EXPECT_NE(p.message.find("tool_call_id"), std::string::npos) << p.message;
}

// Verifies that assistant thinking_blocks go first, before text and tool calls, unchanged.
TEST(AnthropicMessagesRequestTest, ThinkingBlocksComeFirst) {
  EXPECT_EQ(translate(body_with(R"([{"role":"user","content":"x"},
      {"role":"assistant","content":"Sure","thinking_blocks":[
        {"type":"thinking","thinking":"hmm","signature":"sig"}]},
      {"role":"user","content":"y"}])")),
            test_support::canonical_json(
                R"({"model":"claude-3-5-sonnet-20241022","max_tokens":8192,"messages":[
        {"role":"user","content":[{"type":"text","text":"x"}]},
        {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},
                                       {"type":"text","text":"Sure"}]},
        {"role":"user","content":[{"type":"text","text":"y"}]}]})"));
}

// Verifies that messages of the plain {role, content: string} shape (the fast path, text copied as
// its JSON token) translate to what the general path makes of the same messages, which a `name`
// member (ignored by both) sends them through: escapes, developer and billing-header system texts,
// empty texts, merged turns, and a final assistant text with trailing whitespace.
TEST(AnthropicMessagesRequestTest, PlainMessagesMatchTheGeneralPath) {
  constexpr std::string_view kRoles =
      R"([{"role":"developer","content":"Be brief."},{"role":"system","content":""},)"
      R"({"role":"system","content":"x-anthropic-billing-header: cc"},)"
      R"({"role":"user","content":"a"},{"role":"user","content":""},)"
      R"({"content":"b","role":"assistant"},{"role":"assistant","content":""},)"
      R"({"role":"system","content":"late"},{"role":"user","content":"c"}])";
  constexpr std::string_view kSystemAfterFinal =
      R"([{"role":"user","content":"a"},{"role":"assistant","content":"b "},)"
      R"({"role":"system","content":"s"}])";
  const std::string_view cases[] = {
      R"([{"role":"user","content":"Hel\"lo w\u00f6rld\n\/ \ud83d\ude00 ö"}])",
      kRoles,
      R"([{"role":"user","content":"a"},{"role":"assistant","content":"  done \n"}])",
      R"([{"role":"user","content":"a"},{"role":"assistant","content":" "}])",
      kSystemAfterFinal,
      R"([ {"role" : "user" , "content" : "spaced" } ])",
  };
  for (const std::string_view messages : cases) {
    std::string general(messages);
    general.replace(general.find('{'), 1, R"({"name":"n",)");
    EXPECT_EQ(translate(body_with(messages)), translate(body_with(general))) << messages;
  }
  // And only system messages stay the general path's problem.
  EXPECT_EQ(problem(body_with(R"([{"role":"system","content":"s"}])")).param, "messages");
}

}  // namespace
}  // namespace llmtap::providers::anthropic
