#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "payload/request_summary.h"
#include "providers/gemini/generate_request.h"
#include "request_golden.h"

namespace llmtap::providers::gemini {
namespace {

RequestOptions options(std::string_view model = "gemini-2.5-flash", bool drop_params = false) {
  RequestOptions o;
  o.upstream_model = model;
  o.drop_params = drop_params;
  return o;
}

Result<GenerateRequest, RequestProblem> run(const std::string& body, const RequestOptions& o) {
  return test_support::run_chat_request(body, [&](const payload::RequestSummary& summary) {
    return to_generate_request(summary, o);
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
  return test_support::chat_body("gemini/gemini-2.5-flash", messages, extra);
}

constexpr std::string_view kHello = R"([{"role":"user","content":"Hello"}])";
constexpr std::string_view kHelloContents =
    R"("contents":[{"role":"user","parts":[{"text":"Hello"}]}])";

std::string with_params(std::string_view extra, const RequestOptions& o = options()) {
  return translate(body_with(kHello, extra), o);
}

std::string expected_hello(std::string_view members) {
  std::string out = "{";
  out += kHelloContents;
  if (!members.empty()) {
    out += ',';
    out += members;
  }
  out += '}';
  return test_support::canonical_json(out);
}

// Verifies the simplest request, golden: system text as system_instruction, the user's text as a
// user part, and no model in the body (it goes in the URL).
TEST(GeminiRequestTest, SimpleChatGolden) {
  EXPECT_EQ(
      translate(body_with(R"([{"role":"system","content":"Be brief."},
                                    {"role":"user","content":"Hello"}])")),
      test_support::canonical_json(R"({"contents":[{"role":"user","parts":[{"text":"Hello"}]}],
                "system_instruction":{"parts":[{"text":"Be brief."}]}})"));
}

// Verifies that system messages anywhere become one part each (a list content joined) and that
// developer counts as system.
TEST(GeminiRequestTest, SystemMessagesJoinedPerMessage) {
  EXPECT_EQ(translate(body_with(R"([{"role":"system","content":[{"type":"text","text":"A"},
                                                          {"type":"text","text":"B"}]},
                              {"role":"user","content":"Hi"},
                              {"role":"developer","content":"C"}])")),
            test_support::canonical_json(R"({"contents":[{"role":"user","parts":[{"text":"Hi"}]}],
          "system_instruction":{"parts":[{"text":"AB"},{"text":"C"}]}})"));
}

// Verifies roles (assistant → model) and that consecutive messages of one role are merged into
// one turn, empty texts skipped.
TEST(GeminiRequestTest, RolesAndMerging) {
  EXPECT_EQ(translate(body_with(R"([{"role":"user","content":"a"},{"role":"user","content":""},
                                    {"role":"user","content":"b"},
                                    {"role":"assistant","content":"c"},
                                    {"role":"assistant","content":"d"},
                                    {"role":"user","content":"e"}])")),
            test_support::canonical_json(
                R"({"contents":[{"role":"user","parts":[{"text":"a"},{"text":"b"}]},
                {"role":"model","parts":[{"text":"c"},{"text":"d"}]},
                {"role":"user","parts":[{"text":"e"}]}]})"));
}

// Verifies that a user turn with no part left gets LiteLLM's {"text":" "} placeholder.
TEST(GeminiRequestTest, EmptyUserTurnGetsPlaceholder) {
  EXPECT_EQ(
      translate(body_with(R"([{"role":"user","content":""}])")),
      test_support::canonical_json(R"({"contents":[{"role":"user","parts":[{"text":" "}]}]})"));
}

// Verifies images: a data: URL inline, a gs:// and an https URL as file_data with the type from
// the extension (or `format`), an unknown extension without mime_type.
TEST(GeminiRequestTest, ImagesInlineAndFileData) {
  EXPECT_EQ(translate(body_with(R"([{"role":"user","content":[
          {"type":"text","text":"What?"},
          {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
          {"type":"image_url","image_url":"gs://bucket/cat.JPG"},
          {"type":"image_url","image_url":{"url":"https://example.com/a.pdf?x=1"}},
          {"type":"image_url","image_url":{"url":"https://example.com/pic","format":"image/webp"}},
          {"type":"image_url","image_url":{"url":"https://example.com/pic"}}]}])")),
            test_support::canonical_json(R"({"contents":[{"role":"user","parts":[{"text":"What?"},
          {"inline_data":{"mime_type":"image/png","data":"iVBORw0KGgo="}},
          {"file_data":{"mime_type":"image/jpeg","file_uri":"gs://bucket/cat.JPG"}},
          {"file_data":{"mime_type":"application/pdf","file_uri":"https://example.com/a.pdf?x=1"}},
          {"file_data":{"mime_type":"image/webp","file_uri":"https://example.com/pic"}},
          {"file_data":{"file_uri":"https://example.com/pic"}}]}]})"));
}

// Verifies that a URL that is neither data:, gs:// nor http(s) is the client's 400.
TEST(GeminiRequestTest, InvalidImageUrlIsAProblem) {
  const RequestProblem p = problem(body_with(
      R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}])"));
  EXPECT_EQ(p.param, "messages");
  EXPECT_EQ(p.error_class, "BadRequestError");
}

// Verifies a tool round trip, golden: assistant tool_calls → function_call parts with parsed
// args (empty arguments → {}), tool results → function_response parts named after their call,
// grouped in their own user turn, separate from the following user text.
TEST(GeminiRequestTest, ToolCallsAndResultsGolden) {
  EXPECT_EQ(translate(body_with(R"([
      {"role":"user","content":"Weather?"},
      {"role":"assistant","content":null,"tool_calls":[
        {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
        {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]},
      {"role":"tool","tool_call_id":"call_1","content":"sunny"},
      {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"noon"}]},
      {"role":"user","content":"Thanks"}])")),
            test_support::canonical_json(R"({"contents":[
      {"role":"user","parts":[{"text":"Weather?"}]},
      {"role":"model","parts":[{"function_call":{"name":"get_weather","args":{"city":"Paris"}}},
                               {"function_call":{"name":"get_time","args":{}}}]},
      {"role":"user","parts":[
        {"function_response":{"name":"get_weather","response":{"content":"sunny"}}},
        {"function_response":{"name":"get_time","response":{"content":"noon"}}}]},
      {"role":"user","parts":[{"text":"Thanks"}]}]})"));
}

// Verifies LiteLLM's error for a tool result whose call is not in the history.
TEST(GeminiRequestTest, ToolResultWithoutCallIsAProblem) {
  const RequestProblem p =
      problem(body_with(R"([{"role":"tool","tool_call_id":"call_9","content":"x"}])"));
  EXPECT_EQ(p.message, "Missing corresponding tool call for tool response message");
}

// Verifies tools: function tools in one Tool's function_declarations with the schema rewritten
// ($ref inlined, anyOf+null → nullable, title/$schema/additionalProperties removed, a property
// named "title" kept, type object added), a Gemini tool kept as its own Tool, and
// web_search_options as googleSearch.
TEST(GeminiRequestTest, ToolsGolden) {
  EXPECT_EQ(with_params(R"("tools":[
      {"type":"function","function":{"name":"lookup","description":"Find a book",
        "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
          "title":"Args","additionalProperties":false,
          "properties":{"title":{"type":"string","title":"Title"},
                        "year":{"anyOf":[{"type":"integer"},{"type":"null"}]},
                        "author":{"$ref":"#/$defs/Author"}},
          "required":["title"],
          "$defs":{"Author":{"properties":{"name":{"type":"string"}},"additionalProperties":false}}}}},
      {"type":"function","function":{"name":"ping"}},
      {"code_execution":{}}],
      "web_search_options":{})"),
            expected_hello(R"("tools":[
      {"function_declarations":[
        {"name":"lookup","description":"Find a book",
         "parameters":{"type":"object",
           "properties":{"title":{"type":"string"},
                         "year":{"nullable":true,"type":"integer"},
                         "author":{"type":"object","properties":{"name":{"type":"string"}}}},
           "required":["title"]}},
        {"name":"ping"}]},
      {"code_execution":{}},
      {"googleSearch":{}}])"));
}

// Verifies tool_choice: none/auto/required as modes, a named function as ANY with
// allowed_function_names, and anything else as UnsupportedParamsError.
TEST(GeminiRequestTest, ToolChoiceModes) {
  const std::string tools = R"("tools":[{"type":"function","function":{"name":"f"}}],)";
  const std::string declared = R"("tools":[{"function_declarations":[{"name":"f"}]}],)";
  for (const auto& [choice, mode] : std::vector<std::pair<std::string, std::string>>{
           {R"("none")", "NONE"}, {R"("auto")", "AUTO"}, {R"("required")", "ANY"}}) {
    EXPECT_EQ(with_params(tools + R"("tool_choice":)" + choice),
              expected_hello(declared + R"("toolConfig":{"functionCallingConfig":{"mode":")" +
                             mode + "\"}}"))
        << choice;
  }
  EXPECT_EQ(with_params(tools + R"("tool_choice":{"type":"function","function":{"name":"f"}})"),
            expected_hello(declared + R"("toolConfig":{"functionCallingConfig":{"mode":"ANY",)"
                                      R"("allowed_function_names":["f"]}})"));
  EXPECT_EQ(problem(body_with(kHello, tools + R"("tool_choice":"sometimes")")).error_class,
            "UnsupportedParamsError");
}

// Verifies that parallel_tool_calls=false with several tools is a 400, dropped with drop_params.
TEST(GeminiRequestTest, ParallelToolCallsFalseWithSeveralTools) {
  const std::string extra =
      R"("tools":[{"type":"function","function":{"name":"f"}},)"
      R"({"type":"function","function":{"name":"g"}}],"parallel_tool_calls":false)";
  EXPECT_EQ(problem(body_with(kHello, extra)).param, "parallel_tool_calls");
  EXPECT_EQ(with_params(extra, options("gemini-2.5-flash", true)),
            expected_hello(R"("tools":[{"function_declarations":[{"name":"f"},{"name":"g"}]}])"));
}

// Verifies generationConfig, golden: every sampling parameter under LiteLLM's key, numbers as
// the client wrote them, a string stop as a list, the later of max_tokens/max_completion_tokens.
TEST(GeminiRequestTest, GenerationConfigGolden) {
  EXPECT_EQ(with_params(R"("temperature":0.20,"top_p":0.9,"top_k":40,"max_tokens":100,
                           "max_completion_tokens":200,"stop":"END","n":2,"presence_penalty":0.5,
                           "frequency_penalty":-0.5,"seed":7,"logprobs":true,"top_logprobs":3,
                           "modalities":["text","image"],"stream":true,"user":"u1")"),
            expected_hello(R"("generationConfig":{"temperature":0.20,"top_p":0.9,"top_k":40,
                "candidate_count":2,"stop_sequences":["END"],"max_output_tokens":200,
                "presence_penalty":0.5,"frequency_penalty":-0.5,"seed":7,
                "responseLogprobs":true,"logprobs":3,"responseModalities":["TEXT","IMAGE"]})"));
}

// Verifies response_format: json_object → application/json, text → text/plain, json_schema →
// application/json with the schema as responseJsonSchema (gemini 2+) or rewritten as
// response_schema (gemini 1.x).
TEST(GeminiRequestTest, ResponseFormat) {
  EXPECT_EQ(with_params(R"("response_format":{"type":"json_object"})"),
            expected_hello(R"("generationConfig":{"response_mime_type":"application/json"})"));
  EXPECT_EQ(with_params(R"("response_format":{"type":"text"})"),
            expected_hello(R"("generationConfig":{"response_mime_type":"text/plain"})"));
  const std::string schema =
      R"("response_format":{"type":"json_schema","json_schema":{"name":"x","strict":true,)"
      R"("schema":{"type":"object","properties":{"a":{"type":"string"}},)"
      R"("additionalProperties":false}}})";
  EXPECT_EQ(with_params(schema),
            expected_hello(R"("generationConfig":{"response_mime_type":"application/json",
                "responseJsonSchema":{"type":"object","properties":{"a":{"type":"string"}},
                                      "additionalProperties":false}})"));
  EXPECT_EQ(with_params(schema, options("gemini-1.5-pro")),
            expected_hello(R"("generationConfig":{"response_mime_type":"application/json",
                "response_schema":{"type":"object","properties":{"a":{"type":"string"}}}})"));
}

// Verifies reasoning_effort budgets (low/medium/high, minimal per model, none off), gemini-3's
// thinkingLevel with the inserted temperature 1.0, and an unknown effort as a 400.
TEST(GeminiRequestTest, ReasoningEffort) {
  EXPECT_EQ(with_params(R"("reasoning_effort":"low")"),
            expected_hello(R"("generationConfig":{"thinkingConfig":{"thinkingBudget":1024,
                "includeThoughts":true}})"));
  EXPECT_EQ(with_params(R"("reasoning_effort":"high")"),
            expected_hello(R"("generationConfig":{"thinkingConfig":{"thinkingBudget":4096,
                "includeThoughts":true}})"));
  EXPECT_EQ(with_params(R"("reasoning_effort":"minimal")", options("gemini-2.5-pro")),
            expected_hello(R"("generationConfig":{"thinkingConfig":{"thinkingBudget":128,
                "includeThoughts":true}})"));
  EXPECT_EQ(with_params(R"("reasoning_effort":"none")"),
            expected_hello(R"("generationConfig":{"thinkingConfig":{"thinkingBudget":0,
                "includeThoughts":false}})"));
  EXPECT_EQ(with_params(R"("reasoning_effort":"medium")", options("gemini-3-pro-preview")),
            expected_hello(R"("generationConfig":{"temperature":1.0,"thinkingConfig":{
                "thinkingLevel":"high","includeThoughts":true}})"));
  EXPECT_EQ(problem(body_with(kHello, R"("reasoning_effort":"extreme")")).param,
            "reasoning_effort");
}

// Verifies that Anthropic-style `thinking` becomes thinkingConfig with its budget.
TEST(GeminiRequestTest, ThinkingParameter) {
  EXPECT_EQ(with_params(R"("thinking":{"type":"enabled","budget_tokens":3000})"),
            expected_hello(R"("generationConfig":{"thinkingConfig":{"includeThoughts":true,
                "thinkingBudget":3000}})"));
}

// Verifies LiteLLM's UnsupportedParamsError for an OpenAI parameter Gemini lacks, the same
// parameter dropped with drop_params, and presence_penalty refused for gemini-3.
TEST(GeminiRequestTest, UnsupportedParameters) {
  const RequestProblem p = problem(body_with(kHello, R"("logit_bias":{"1":2})"));
  EXPECT_EQ(p.error_class, "UnsupportedParamsError");
  EXPECT_EQ(p.param, "logit_bias");
  EXPECT_TRUE(p.message.starts_with(
      "gemini does not support parameters: ['logit_bias'], for model=gemini-2.5-flash."))
      << p.message;
  EXPECT_EQ(with_params(R"("logit_bias":{"1":2})", options("gemini-2.5-flash", true)),
            expected_hello(""));
  EXPECT_EQ(problem(body_with(kHello, R"("presence_penalty":1)"), options("gemini-3-pro")).param,
            "presence_penalty");
}

// Verifies that safety_settings and cached_content reach the body under Gemini's names, and that
// null parameters and keys Gemini has no field for are left out.
TEST(GeminiRequestTest, ProviderParameters) {
  EXPECT_EQ(with_params(R"("safety_settings":[{"category":"HARM_CATEGORY_HATE_SPEECH",
                        "threshold":"BLOCK_NONE"}],"cached_content":"cachedContents/abc",
                     "temperature":null,"frobnicate":1)"),
            expected_hello(R"("safetySettings":[{"category":"HARM_CATEGORY_HATE_SPEECH",
                        "threshold":"BLOCK_NONE"}],"cachedContent":"cachedContents/abc")"));
}

// Verifies that messages of the plain {role, content: string} shape (the fast path, text copied as
// its JSON token) translate to what the general path makes of the same messages, which a `name`
// member (ignored by both) sends them through: escapes, system texts anywhere, empty texts (a user
// turn left with none gets " "), merged turns.
TEST(GeminiRequestTest, PlainMessagesMatchTheGeneralPath) {
  constexpr std::string_view kRoles =
      R"([{"role":"developer","content":"Be brief."},{"role":"system","content":""},)"
      R"({"role":"user","content":"a"},{"role":"user","content":""},)"
      R"({"content":"b","role":"assistant"},{"role":"assistant","content":""},)"
      R"({"role":"system","content":"late"},{"role":"user","content":""}])";
  const std::string_view cases[] = {
      R"([{"role":"user","content":"Hel\"lo w\u00f6rld\n\/ \ud83d\ude00 ö"}])",
      kRoles,
      R"([{"role":"user","content":"a"},{"role":"assistant","content":"  done \n"}])",
      R"([{"role":"system","content":"only"}])",
      R"([ {"role" : "user" , "content" : "spaced" } ])",
  };
  for (const std::string_view messages : cases) {
    std::string general(messages);
    general.replace(general.find('{'), 1, R"({"name":"n",)");
    EXPECT_EQ(translate(body_with(messages)), translate(body_with(general))) << messages;
  }
}

}  // namespace
}  // namespace llmtap::providers::gemini
