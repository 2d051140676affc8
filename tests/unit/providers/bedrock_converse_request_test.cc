#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "payload/request_summary.h"
#include "providers/bedrock/converse_request.h"
#include "request_golden.h"

namespace llmtap::providers::bedrock {
namespace {

using test_support::canonical_json;

constexpr std::string_view kClaude = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";

RequestOptions options(std::string_view model = kClaude, bool drop_params = false,
                       bool stream = false) {
  RequestOptions o;
  o.upstream_model = model;
  o.drop_params = drop_params;
  o.stream = stream;
  return o;
}

Result<ConverseRequest, RequestProblem> run(std::string_view client_body,
                                            const RequestOptions& o = options()) {
  auto summary = payload::parse_request(client_body, payload::CallType::completion);
  EXPECT_TRUE(summary) << (summary ? "" : summary.error().message);
  if (!summary) return RequestProblem{"parse failed", ""};
  return to_converse_request(*summary, o);
}

// The body sent for `client_body`, canonical (keys sorted), or "problem: <message>".
std::string translate(std::string_view client_body, const RequestOptions& o = options()) {
  auto request = run(client_body, o);
  if (!request) return "problem: " + request.error().message;
  return canonical_json(request->body);
}

// `{"additionalModelRequestFields":…,"inferenceConfig":…,"messages":…,"system":…<rest>}`
// canonical: what a body with the always-present keys looks like.
std::string body(std::string_view messages, std::string_view system = "[]",
                 std::string_view inference = "{}", std::string_view additional = "{}",
                 std::string_view rest = "") {
  std::string out = R"({"additionalModelRequestFields":)";
  out += additional;
  out += R"(,"inferenceConfig":)";
  out += inference;
  out += R"(,"messages":)";
  out += messages;
  out += R"(,"system":)";
  out += system;
  out += rest;
  out += '}';
  return canonical_json(out);
}

// Verifies the plain chat: system messages as system blocks, user and assistant turns as text
// blocks, consecutive user messages merged, blank text left out, no model and no stream key.
TEST(BedrockConverseRequestTest, PlainChatBecomesTurnsAndSystemBlocks) {
  EXPECT_EQ(translate(R"({"model":"bedrock/claude","stream":true,"messages":[)"
                      R"({"role":"system","content":"Be brief."},)"
                      R"({"role":"user","content":"Hi"},{"role":"user","content":"  "},)"
                      R"({"role":"user","content":[{"type":"text","text":"there"}]},)"
                      R"({"role":"assistant","content":"Hello"},)"
                      R"({"role":"developer","content":[{"type":"text","text":"Dev"}]},)"
                      R"({"role":"user","content":"Bye"}]})",
                      options(kClaude, false, true)),
            body(R"([{"role":"user","content":[{"text":"Hi"},{"text":"there"}]},)"
                 R"({"role":"assistant","content":[{"text":"Hello"}]},)"
                 R"({"role":"user","content":[{"text":"Bye"}]}])",
                 R"([{"text":"Be brief."},{"text":"Dev"}])"));
}

// Verifies that a leading assistant message is sent as it is (LiteLLM prepends its continue
// message only with modify_params) and that an all-blank assistant message leaves no turn, so
// the user messages around it merge.
TEST(BedrockConverseRequestTest, LeadingAssistantKeptAndBlankTurnsVanish) {
  EXPECT_EQ(translate(R"({"model":"m","messages":[{"role":"assistant","content":"Hi!"},)"
                      R"({"role":"user","content":"a"},{"role":"assistant","content":" "},)"
                      R"({"role":"user","content":"b"}]})"),
            body(R"([{"role":"assistant","content":[{"text":"Hi!"}]},)"
                 R"({"role":"user","content":[{"text":"a"},{"text":"b"}]}])"));
}

// Verifies inferenceConfig: max_tokens over max_completion_tokens, temperature, top_p → topP,
// a stop string as a list; stream_options and user never reach the body.
TEST(BedrockConverseRequestTest, InferenceConfigFromSamplingParameters) {
  EXPECT_EQ(translate(R"({"model":"m","messages":[{"role":"user","content":"x"}],)"
                      R"("max_completion_tokens":50,"max_tokens":10,"temperature":0.5,)"
                      R"("top_p":0.9,"stop":"END","stream_options":{"include_usage":true},)"
                      R"("user":"u-1"})"),
            body(R"([{"role":"user","content":[{"text":"x"}]}])", "[]",
                 R"({"maxTokens":10,"temperature":0.5,"topP":0.9,"stopSequences":["END"]})"));
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"max_completion_tokens":7,"stop":""})"),
            body("[]", "[]", R"({"maxTokens":7})"));
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"stop":["a","b"]})"),
            body("[]", "[]", R"({"stopSequences":["a","b"]})"));
}

// Verifies that a data: URL image becomes an image block with its bytes and format, and that an
// https URL (LiteLLM downloads it) is a 400 naming the data: URL form.
TEST(BedrockConverseRequestTest, DataUrlImagesBecomeBytesAndHttpsIsRefused) {
  EXPECT_EQ(translate(R"({"model":"m","messages":[{"role":"user","content":[)"
                      R"({"type":"text","text":"Look"},)"
                      R"({"type":"image_url","image_url":{"url":"data:image/jpg;base64,AAAA"}},)"
                      R"({"type":"image_url","image_url":"data:image/png;base64,BBBB"}]}]})"),
            body(R"([{"role":"user","content":[{"text":"Look"},)"
                 R"({"image":{"format":"jpeg","source":{"bytes":"AAAA"}}},)"
                 R"({"image":{"format":"png","source":{"bytes":"BBBB"}}}]}])"));
  auto problem = run(R"({"model":"m","messages":[{"role":"user","content":[)"
                     R"({"type":"image_url","image_url":{"url":"https://x.example/a.png"}}]}]})");
  ASSERT_FALSE(problem);
  EXPECT_EQ(problem.error().error_class, "BadRequestError");
  EXPECT_EQ(problem.error().param, "messages");
  EXPECT_NE(problem.error().message.find("data URL"), std::string::npos);
  EXPECT_EQ(
      translate(R"({"model":"m","messages":[{"role":"user","content":[)"
                R"({"type":"image_url","image_url":{"url":"data:image/tiff;base64,AA"}}]}]})"),
      "problem: Unsupported image format: image/tiff. Supported formats: ['png', 'jpeg', "
      "'gif', 'webp']");
}

// Verifies tools and a tool round trip: toolSpec with the name made valid and the description
// defaulting to it, toolUse with the arguments parsed, the tool result in the user turn, and the
// renamed tool reported.
TEST(BedrockConverseRequestTest, ToolsToolUseAndToolResults) {
  auto request =
      run(R"({"model":"m","messages":[{"role":"user","content":"Weather?"},)"
          R"({"role":"assistant","content":"Checking.","tool_calls":[{"id":"t1","type":"function",)"
          R"("function":{"name":"get-weather","arguments":"{\"city\":\"Paris\"}"}},)"
          R"({"id":"t2","type":"function","function":{"name":"now","arguments":""}}]},)"
          R"({"role":"tool","tool_call_id":"t1","content":"sunny"},)"
          R"({"role":"tool","tool_call_id":"t2","content":[{"type":"text","text":"noon"}]},)"
          R"({"role":"user","content":"Thanks"}],)"
          R"("tools":[{"type":"function","function":{"name":"get-weather","description":"W",)"
          R"("parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},)"
          R"({"type":"function","function":{"name":"now"}}],"tool_choice":"auto"})");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(
      canonical_json(request->body),
      body(
          R"([{"role":"user","content":[{"text":"Weather?"}]},)"
          R"({"role":"assistant","content":[{"text":"Checking."},)"
          R"({"toolUse":{"toolUseId":"t1","name":"get_weather","input":{"city":"Paris"}}},)"
          R"({"toolUse":{"toolUseId":"t2","name":"now","input":{}}}]},)"
          R"({"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"sunny"}]}},)"
          R"({"toolResult":{"toolUseId":"t2","content":[{"text":"noon"}]}},{"text":"Thanks"}]}])",
          "[]", "{}", "{}",
          R"(,"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"W",)"
          R"("inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}},)"
          R"({"toolSpec":{"name":"now","description":"now","inputSchema":{"json":)"
          R"({"type":"object","properties":{}}}}}],"toolChoice":{"auto":{}}})"));
  EXPECT_EQ(request->renamed_tools, (std::vector<RenamedTool>{{"get_weather", "get-weather"}}));
  EXPECT_FALSE(request->json_mode);
}

// Verifies Bedrock's name rule: other characters become `_`, a name not starting with a letter
// gets an `a`; a named tool_choice uses the Bedrock name.
TEST(BedrockConverseRequestTest, ToolNamesAreMadeValidForBedrock) {
  auto request = run(R"({"model":"m","messages":[],"tools":[)"
                     R"({"type":"function","function":{"name":"1st.tool"}}],)"
                     R"("tool_choice":{"type":"function","function":{"name":"1st.tool"}}})");
  ASSERT_TRUE(request);
  EXPECT_NE(request->body.find(R"("toolChoice":{"tool":{"name":"a1st_tool"}})"), std::string::npos)
      << request->body;
  EXPECT_EQ(request->renamed_tools, (std::vector<RenamedTool>{{"a1st_tool", "1st.tool"}}));
}

// Verifies tool_choice: required → any; none → UnsupportedParamsError unless drop_params.
TEST(BedrockConverseRequestTest, ToolChoiceNoneFailsUnlessDropped) {
  constexpr std::string_view kTools =
      R"("tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}])";
  const std::string head = std::string(R"({"model":"m","messages":[],)") + std::string(kTools);
  EXPECT_NE(translate(head + R"(,"tool_choice":"required"})").find(R"("toolChoice":{"any":{}})"),
            std::string::npos);
  auto problem = run(head + R"(,"tool_choice":"none"})");
  ASSERT_FALSE(problem);
  EXPECT_EQ(problem.error().error_class, "UnsupportedParamsError");
  EXPECT_EQ(problem.error().message,
            "Bedrock doesn't support tool_choice=none. To drop it from the call, set "
            "`litellm.drop_params = True.");
  const std::string dropped = translate(head + R"(,"tool_choice":"none"})", options(kClaude, true));
  EXPECT_EQ(dropped.find("toolChoice"), std::string::npos) << dropped;
  EXPECT_NE(dropped.find("toolSpec"), std::string::npos) << dropped;
}

// Verifies that a tool history without `tools` is LiteLLM's UnsupportedParamsError.
TEST(BedrockConverseRequestTest, ToolHistoryWithoutToolsIsRefused) {
  auto problem = run(R"({"model":"m","messages":[{"role":"user","content":"x"},)"
                     R"({"role":"tool","tool_call_id":"t1","content":"r"}]})");
  ASSERT_FALSE(problem);
  EXPECT_EQ(problem.error().error_class, "UnsupportedParamsError");
  EXPECT_TRUE(problem.error().message.starts_with(
      "Bedrock doesn't support tool calling without `tools=` param specified."));
}

// Verifies that arguments that are not JSON are a 400.
TEST(BedrockConverseRequestTest, InvalidToolArgumentsAreA400) {
  auto problem = run(R"({"model":"m","tools":[{"type":"function","function":{"name":"f"}}],)"
                     R"("messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function",)"
                     R"("function":{"name":"f","arguments":"{oops"}}]}]})");
  ASSERT_FALSE(problem);
  EXPECT_EQ(problem.error().error_class, "BadRequestError");
  EXPECT_NE(problem.error().message.find("not JSON"), std::string::npos);
}

// Verifies that blank arguments and JSON that is no object are `{}`, and that a file part is a
// 400 (documents are not built).
TEST(BedrockConverseRequestTest, BlankArgumentsAreEmptyAndFilesAreRefused) {
  const std::string sent =
      translate(R"({"model":"m","tools":[{"type":"function","function":{"name":"f"}}],)"
                R"("messages":[{"role":"assistant","tool_calls":[{"id":"a","type":"function",)"
                R"("function":{"name":"f","arguments":"  "}},{"id":"b","type":"function",)"
                R"("function":{"name":"f","arguments":"[1]"}}]}]})");
  EXPECT_NE(sent.find(R"({"toolUse":{"input":{},"name":"f","toolUseId":"a"}})"), std::string::npos)
      << sent;
  EXPECT_NE(sent.find(R"({"toolUse":{"input":{},"name":"f","toolUseId":"b"}})"), std::string::npos)
      << sent;
  EXPECT_TRUE(translate(R"({"model":"m","messages":[{"role":"user","content":[{"type":"file",)"
                        R"("file":{"file_data":"data:application/pdf;base64,AA"}}]}]})")
                  .starts_with("problem: Bedrock Converse document blocks are not supported"));
}

// Verifies response_format json_schema: LiteLLM's json_tool_call tool with the schema, forced
// by toolChoice, json_mode set.
TEST(BedrockConverseRequestTest, JsonSchemaBecomesTheJsonTool) {
  auto request = run(R"({"model":"m","messages":[{"role":"user","content":"x"}],)"
                     R"("response_format":{"type":"json_schema","json_schema":{"name":"p",)"
                     R"("schema":{"type":"object","properties":{"a":{"type":"integer"}}}}}})",
                     options(kClaude, false, true));
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(canonical_json(request->body),
            body(R"([{"role":"user","content":[{"text":"x"}]}])", "[]", "{}", "{}",
                 R"(,"toolConfig":{"tools":[{"toolSpec":{"name":"json_tool_call",)"
                 R"("description":"json_tool_call","inputSchema":{"json":{"type":"object",)"
                 R"("properties":{"a":{"type":"integer"}}}}}}],)"
                 R"("toolChoice":{"tool":{"name":"json_tool_call"}}})"));
  EXPECT_TRUE(request->json_mode);
  auto object_mode = run(R"({"model":"m","messages":[],"response_format":{"type":"json_object"}})");
  ASSERT_TRUE(object_mode);
  EXPECT_NE(object_mode->body.find(R"("additionalProperties":true)"), std::string::npos);
  auto text = run(R"({"model":"m","messages":[],"response_format":{"type":"text"}})");
  ASSERT_TRUE(text);
  EXPECT_FALSE(text->json_mode);
}

// Verifies additionalModelRequestFields: top_k for Anthropic, reasoning_effort as a thinking
// budget with maxTokens = budget + 4096, a low thinking budget raised to 1024, a forced tool
// choice made auto while thinking, and keys that are no OpenAI parameter passed as they are.
TEST(BedrockConverseRequestTest, AdditionalFieldsCarryThinkingAndTopK) {
  constexpr std::string_view kSonnet4 = "anthropic.claude-sonnet-4-20250514-v1:0";
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"top_k":40,"reasoning_effort":"low",)"
                      R"("custom_field":{"a":1}})",
                      options(kSonnet4)),
            body("[]", "[]", R"({"maxTokens":5120})",
                 R"({"custom_field":{"a":1},"thinking":{"type":"enabled","budget_tokens":1024},)"
                 R"("top_k":40})"));
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"max_tokens":3000,)"
                      R"("thinking":{"type":"enabled","budget_tokens":100}})",
                      options(kSonnet4)),
            body("[]", "[]", R"({"maxTokens":3000})",
                 R"({"thinking":{"type":"enabled","budget_tokens":1024}})"));
  const std::string forced = translate(
      R"({"model":"m","messages":[],"thinking":{"type":"enabled","budget_tokens":2048},)"
      R"("tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required"})",
      options(kSonnet4));
  EXPECT_NE(forced.find(R"("toolChoice":{"auto":{}})"), std::string::npos) << forced;
  EXPECT_NE(forced.find(R"("maxTokens":6144)"), std::string::npos) << forced;
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"top_k":5})", options("amazon.nova-pro-v1:0")),
            body("[]", "[]", "{}", R"({"inferenceConfig":{"topK":5}})"));
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"top_k":5})", options("meta.llama3-70b")),
            body("[]"));
}

// Verifies that OpenAI parameters Bedrock lacks are LiteLLM's UnsupportedParamsError (n = 1
// skipped), dropped with drop_params; thinking on a model without reasoning is one of them.
TEST(BedrockConverseRequestTest, UnsupportedParametersFailUnlessDropped) {
  constexpr std::string_view kBody =
      R"({"model":"m","messages":[],"n":1,"seed":7,"frequency_penalty":0.1})";
  auto problem = run(kBody);
  ASSERT_FALSE(problem);
  EXPECT_EQ(problem.error().error_class, "UnsupportedParamsError");
  EXPECT_EQ(problem.error().param, "seed");
  EXPECT_EQ(problem.error().message,
            "bedrock does not support parameters: ['seed', 'frequency_penalty'], for "
            "model=us.anthropic.claude-3-5-sonnet-20240620-v1:0. To drop these, set "
            "`litellm.drop_params=True` or for proxy:\n\n`litellm_settings:\n drop_params: "
            "true`\n. \n If you want to use these params dynamically send "
            "allowed_openai_params=['seed', 'frequency_penalty'] in your request.");
  EXPECT_EQ(translate(kBody, options(kClaude, true)), body("[]"));
  EXPECT_TRUE(translate(R"({"model":"m","messages":[],"reasoning_effort":"high"})")
                  .starts_with("problem: bedrock does not support parameters: "
                               "['reasoning_effort']"));
}

// Verifies cache_control: a cache point after the system text and after the user part.
TEST(BedrockConverseRequestTest, CacheControlAddsCachePoints) {
  EXPECT_EQ(translate(R"({"model":"m","messages":[{"role":"system","content":[{"type":"text",)"
                      R"("text":"S","cache_control":{"type":"ephemeral"}}]},)"
                      R"({"role":"user","content":[{"type":"text","text":"U",)"
                      R"("cache_control":{"type":"ephemeral"}}]}]})"),
            body(R"([{"role":"user","content":[{"text":"U"},{"cachePoint":{"type":"default"}}]}])",
                 R"([{"text":"S"},{"cachePoint":{"type":"default"}}])"));
}

// Verifies assistant thinking_blocks become reasoningContent blocks ahead of the text.
TEST(BedrockConverseRequestTest, ThinkingBlocksBecomeReasoningContent) {
  EXPECT_EQ(translate(R"({"model":"m","messages":[{"role":"user","content":"q"},)"
                      R"({"role":"assistant","content":"A","thinking_blocks":[)"
                      R"({"type":"thinking","thinking":"hmm","signature":"sig"},)"
                      R"({"type":"redacted_thinking","data":"xyz"}]}]})"),
            body(R"([{"role":"user","content":[{"text":"q"}]},{"role":"assistant","content":[)"
                 R"({"reasoningContent":{"reasoningText":{"text":"hmm","signature":"sig"}}},)"
                 R"({"reasoningContent":{"redactedContent":"xyz"}},{"text":"A"}]}])"));
}

}  // namespace
}  // namespace llmtap::providers::bedrock
