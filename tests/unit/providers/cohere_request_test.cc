#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "payload/request_summary.h"
#include "providers/cohere/chat_request.h"

namespace llmtap::providers::cohere {
namespace {

RequestOptions options(std::string_view model = "command-r-08-2024", bool drop_params = false,
                       bool stream = false) {
  RequestOptions o;
  o.upstream_model = model;
  o.drop_params = drop_params;
  o.stream = stream;
  return o;
}

// The body sent for `client_body`, or "problem: <message>".
std::string translate(std::string_view client_body, const RequestOptions& o = options()) {
  auto summary = payload::parse_request(client_body, payload::CallType::completion);
  if (!summary) return "parse error: " + summary.error().message;
  auto request = to_chat_request(*summary, o);
  if (!request) return "problem: " + request.error().message;
  return request->body;
}

// Verifies that messages keep OpenAI's shapes (system, image parts, assistant tool calls, tool
// results), less the `index` of a streamed tool call and the `name` of a tool message.
TEST(CohereRequestTest, MessagesPassInOpenAiShapesLessIndexAndToolName) {
  EXPECT_EQ(
      translate(
          R"({"model":"cohere/command-r-08-2024","messages":[)"
          R"({"role":"system","content":"Be brief."},)"
          R"({"role":"user","content":[{"type":"text","text":"Look"},)"
          R"({"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},)"
          R"({"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1",)"
          R"("type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},)"
          R"({"role":"tool","tool_call_id":"call_1","name":"get_weather","content":"sunny"}]})"),
      R"({"model":"command-r-08-2024","messages":[{"role":"system","content":"Be brief."},)"
      R"({"role":"user","content":[{"type":"text","text":"Look"},)"
      R"({"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",)"
      R"("function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},)"
      R"({"role":"tool","tool_call_id":"call_1","content":"sunny"}]})");
}

// Verifies that image_url parts reach Cohere as OpenAIGPTConfig leaves them: a bare URL string
// as {"url"}, LiteLLM's `format` hint removed, OpenAI's `detail` kept.
TEST(CohereRequestTest, ImagePartsAreNormalisedAsLiteLlmDoes) {
  EXPECT_EQ(
      translate(R"({"model":"m","messages":[{"role":"user","content":[)"
                R"({"type":"image_url","image_url":"https://x.example/a.png"},)"
                R"({"type":"image_url","image_url":{"url":"https://x.example/b.png",)"
                R"("format":"image/png","detail":"low"}}]}]})"),
      R"({"model":"command-r-08-2024","messages":[{"role":"user","content":[)"
      R"({"type":"image_url","image_url":{"url":"https://x.example/a.png"}},)"
      R"({"type":"image_url","image_url":{"url":"https://x.example/b.png","detail":"low"}}]}]})");
}

// Verifies LiteLLM's renames: max_completion_tokens over max_tokens, top_p → p, n →
// num_generations, stop → stop_sequences, top_k → k; the passed parameters keep their names and
// values; stream is the option's, never the body's.
TEST(CohereRequestTest, ParametersAreRenamedAsLiteLlmMapsThem) {
  EXPECT_EQ(translate(R"({"model":"m","messages":[{"role":"user","content":"hi"}],)"
                      R"("temperature":0.3,"max_tokens":10,"max_completion_tokens":50,"top_p":0.9,)"
                      R"("n":2,"stop":["END"],"seed":7,"frequency_penalty":0.1,)"
                      R"("presence_penalty":0.2,"logprobs":true,"top_k":40,"stream":true,)"
                      R"("stream_options":{"include_usage":true},"user":"u-1",)"
                      R"("response_format":{"type":"json_object"}})",
                      options("command-r-08-2024", false, true)),
            R"({"model":"command-r-08-2024","messages":[{"role":"user","content":"hi"}],)"
            R"("temperature":0.3,"max_tokens":50,"p":0.9,"num_generations":2,)"
            R"("stop_sequences":["END"],"seed":7,"frequency_penalty":0.1,"presence_penalty":0.2,)"
            R"("logprobs":true,"k":40,"response_format":{"type":"json_object"},"stream":true})");
  // max_tokens alone; n = 1 sent too (LiteLLM skips it only where n is unsupported); a null
  // parameter is not sent.
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"max_tokens":10,"n":1,"seed":null})"),
            R"({"model":"command-r-08-2024","messages":[],"max_tokens":10,"num_generations":1})");
}

// Verifies that tools pass as OpenAI's function tools and tool_choice maps to Cohere's casing,
// with "auto" and a named function left out (Cohere has neither).
TEST(CohereRequestTest, ToolsPassAndToolChoiceUsesCohereCasing) {
  constexpr std::string_view kTools =
      R"([{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}])";
  const std::string head =
      std::string(R"({"model":"m","messages":[],"tools":)") + std::string(kTools);
  const std::string sent =
      std::string(R"({"model":"command-r-08-2024","messages":[],"tools":)") + std::string(kTools);
  EXPECT_EQ(translate(head + R"(,"tool_choice":"required"})"),
            sent + R"(,"tool_choice":"REQUIRED"})");
  EXPECT_EQ(translate(head + R"(,"tool_choice":"none"})"), sent + R"(,"tool_choice":"NONE"})");
  EXPECT_EQ(translate(head + R"(,"tool_choice":"auto"})"), sent + "}");
  EXPECT_EQ(translate(head + R"(,"tool_choice":{"type":"function","function":{"name":"f"}}})"),
            sent + "}");
}

// Verifies that OpenAI parameters Cohere lacks are LiteLLM's UnsupportedParamsError, naming the
// provider and the parameters, unless drop_params drops them.
TEST(CohereRequestTest, UnsupportedParametersFailUnlessDropped) {
  constexpr std::string_view kBody =
      R"({"model":"m","messages":[],"parallel_tool_calls":false,"logit_bias":{"1":2}})";
  auto summary = payload::parse_request(kBody, payload::CallType::completion);
  ASSERT_TRUE(summary);
  auto problem = to_chat_request(*summary, options());
  ASSERT_FALSE(problem);
  EXPECT_EQ(problem.error().error_class, "UnsupportedParamsError");
  EXPECT_EQ(problem.error().param, "parallel_tool_calls");
  EXPECT_EQ(problem.error().message,
            "cohere_chat does not support parameters: ['parallel_tool_calls', 'logit_bias'], for "
            "model=command-r-08-2024. To drop these, set `litellm.drop_params=True` or for "
            "proxy:\n\n`litellm_settings:\n drop_params: true`\n. \n If you want to use these "
            "params dynamically send allowed_openai_params=['parallel_tool_calls', 'logit_bias'] "
            "in your request.");
  EXPECT_EQ(translate(kBody, options("command-r-08-2024", true)),
            R"({"model":"command-r-08-2024","messages":[]})");
}

// Verifies that reasoning_effort becomes Cohere's thinking budget on command-a-reasoning models,
// that a client's own thinking wins, and that other models reject both.
TEST(CohereRequestTest, ReasoningEffortIsThinkingOnReasoningModels) {
  const RequestOptions reasoning = options("command-a-reasoning-08-2025");
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"reasoning_effort":"high"})", reasoning),
            R"({"model":"command-a-reasoning-08-2025","messages":[],)"
            R"("thinking":{"type":"enabled","token_budget":4096}})");
  EXPECT_EQ(
      translate(R"({"model":"m","messages":[],"reasoning_effort":"none"})", reasoning),
      R"({"model":"command-a-reasoning-08-2025","messages":[],"thinking":{"type":"disabled"}})");
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"reasoning_effort":"extreme"})", reasoning),
            R"({"model":"command-a-reasoning-08-2025","messages":[]})");
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"reasoning_effort":"low",)"
                      R"("thinking":{"type":"enabled","token_budget":99}})",
                      reasoning),
            R"({"model":"command-a-reasoning-08-2025","messages":[],)"
            R"("thinking":{"type":"enabled","token_budget":99}})");
  constexpr std::string_view kRefused =
      "problem: cohere_chat does not support parameters: ['reasoning_effort'], for";
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"reasoning_effort":"high"})")
                .substr(0, kRefused.size()),
            kRefused);
}

// Verifies that keys that are not OpenAI parameters reach Cohere as they are.
TEST(CohereRequestTest, CohereOwnParametersPass) {
  EXPECT_EQ(translate(R"({"model":"m","messages":[],"documents":["a doc"],)"
                      R"("safety_mode":"STRICT","metadata":{"tags":["t"]}})"),
            R"({"model":"command-r-08-2024","messages":[],"documents":["a doc"],)"
            R"("safety_mode":"STRICT"})");
}

}  // namespace
}  // namespace llmtap::providers::cohere
