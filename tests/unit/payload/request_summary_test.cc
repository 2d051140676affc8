#include "payload/request_summary.h"

#include <gtest/gtest.h>

#include <string>

namespace llmtap::payload {
namespace {

RequestParseError parse_error(std::string_view body, CallType type = CallType::completion) {
  auto parsed = parse_request(body, type);
  EXPECT_FALSE(parsed.has_value()) << body;
  return parsed ? RequestParseError{} : parsed.error();
}

// Verifies the fields read out of a chat request and that raw slices are the body's exact bytes.
TEST(RequestSummaryTest, ReadsChatRequest) {
  const std::string body =
      R"({"model":"gpt-4o", "messages": [ {"role":"user","content":"hi \u00e9"} ] ,)"
      R"("temperature":0.5,"stream":true,"stream_options":{"include_usage":true},)"
      R"("metadata":{"tags":["a","b"],"x":1},"user":"alice","max_tokens":10 })";
  auto summary = parse_request(body, CallType::completion);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->model, "gpt-4o");
  EXPECT_TRUE(summary->stream);
  EXPECT_TRUE(summary->include_usage);
  EXPECT_EQ(summary->input_raw, R"([ {"role":"user","content":"hi \u00e9"} ])");
  EXPECT_GE(summary->input_raw.data(), body.data());
  EXPECT_LT(summary->input_raw.data(), body.data() + body.size());
  EXPECT_EQ(summary->metadata_raw, R"({"tags":["a","b"],"x":1})");
  EXPECT_EQ(summary->tags_raw, R"(["a","b"])");
  EXPECT_EQ(summary->user_raw, R"("alice")");
  // "user" is a model parameter too (LiteLLM records it there), in body order.
  ASSERT_EQ(summary->parameters.size(), 5u);
  EXPECT_EQ(summary->parameters[0].first, "temperature");
  EXPECT_EQ(summary->parameters[0].second, "0.5");
  EXPECT_EQ(summary->parameters[1].first, "stream");
  EXPECT_EQ(summary->parameters[1].second, "true");
  EXPECT_EQ(summary->parameters[2].first, "stream_options");
  EXPECT_EQ(summary->parameters[3].first, "user");
  EXPECT_EQ(summary->parameters[3].second, R"("alice")");
  EXPECT_EQ(summary->parameters[4].first, "max_tokens");
  EXPECT_EQ(summary->parameters[4].second, "10");
}

// Verifies that prompt / input accept a string or an array.
TEST(RequestSummaryTest, ReadsTextAndEmbeddingInputs) {
  auto text = parse_request(R"({"model":"m","prompt":"say hi"})", CallType::text_completion);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->input_raw, R"("say hi")");
  auto embedding = parse_request(R"({"input":["a","b"],"model":"m"})", CallType::embedding);
  ASSERT_TRUE(embedding);
  EXPECT_EQ(embedding->input_raw, R"(["a","b"])");
}

// Verifies that metadata.tags only counts as request tags when it is an array of strings.
TEST(RequestSummaryTest, IgnoresTagsThatAreNotStrings) {
  auto summary = parse_request(R"({"model":"m","messages":[],"metadata":{"tags":["a",1]}})",
                               CallType::completion);
  ASSERT_TRUE(summary);
  EXPECT_TRUE(summary->tags_raw.empty());
}

// Verifies each rejection's message and param, as the client's 400 shows them.
TEST(RequestSummaryTest, ReportsExactErrors) {
  struct Case {
    std::string body;
    CallType type;
    std::string message;
    std::string param;
  };
  const Case cases[] = {
      {"", CallType::completion, "request body is not valid JSON", ""},
      {"{\"model\":", CallType::completion, "request body is not valid JSON", ""},
      {"[1]", CallType::completion, "request body must be a JSON object", ""},
      {"{\"model\":\"m\",\"messages\":[]} x", CallType::completion,
       "request body is not valid JSON", ""},
      {"{\"model\":\"m\",\"messages\":[tru]}", CallType::completion,
       "request body is not valid JSON", ""},
      {"{\"model\":\"m\",\"messages\":[],\"x\":[1,]}", CallType::completion,
       "request body is not valid JSON", ""},
      {"{\"model\":\"m\",\"messages\":[],\"x\":\"bad\\q\"}", CallType::completion,
       "request body is not valid JSON", ""},
      {"{\"model\":\"m\xFF\",\"messages\":[]}", CallType::completion,
       "request body is not valid UTF-8", ""},
      {"{\"messages\":[]}", CallType::completion, "'model' is required", "model"},
      {"{\"model\":\"\",\"messages\":[]}", CallType::completion,
       "'model' must be a non-empty string", "model"},
      {"{\"model\":5,\"messages\":[]}", CallType::completion, "'model' must be a non-empty string",
       "model"},
      {"{\"model\":\"m\"}", CallType::completion, "'messages' is required", "messages"},
      {"{\"model\":\"m\",\"messages\":\"hi\"}", CallType::completion, "'messages' must be an array",
       "messages"},
      {"{\"model\":\"m\"}", CallType::text_completion, "'prompt' is required", "prompt"},
      {"{\"model\":\"m\",\"prompt\":{}}", CallType::text_completion,
       "'prompt' must be a string or an array", "prompt"},
      {"{\"model\":\"m\",\"input\":3}", CallType::embedding, "'input' must be a string or an array",
       "input"},
      {"{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}", CallType::completion,
       "'stream' must be a boolean", "stream"},
      {"{\"model\":\"m\",\"messages\":[],\"stream_options\":1}", CallType::completion,
       "'stream_options' must be an object", "stream_options"},
      {"{\"model\":\"m\",\"messages\":[],\"metadata\":[]}", CallType::completion,
       "'metadata' must be an object", "metadata"},
      {"{\"model\":\"m\",\"messages\":[],\"user\":7}", CallType::completion,
       "'user' must be a string", "user"},
  };
  for (const auto& c : cases) {
    RequestParseError error = parse_error(c.body, c.type);
    EXPECT_EQ(error.message, c.message) << c.body;
    EXPECT_EQ(error.param, c.param) << c.body;
  }
}

// Verifies that null stream / metadata / user mean "absent", as OpenAI treats them.
TEST(RequestSummaryTest, AcceptsNullOptionalFields) {
  auto summary =
      parse_request(R"({"model":"m","messages":[],"stream":null,"metadata":null,"user":null})",
                    CallType::completion);
  ASSERT_TRUE(summary);
  EXPECT_FALSE(summary->stream);
  EXPECT_TRUE(summary->metadata_raw.empty());
  EXPECT_TRUE(summary->user_raw.empty());
  // A null user is no parameter either (LiteLLM drops a None one); a null stream is kept as sent.
  for (const auto& [key, value] : summary->parameters) EXPECT_NE(key, "user");
}

// Verifies that LiteLLM's own request switches are kept apart from the model parameters, in body
// order, while OpenAI parameters stay where they were.
TEST(RequestSummaryTest, SeparatesLiteLLMParameters) {
  auto summary = parse_request(
      R"({"model":"m","turn_off_message_logging":true,"messages":[],"temperature":0,"mock_response":"hi",)"
      R"("litellm_metadata":{"a":1},"tags":["t"],"seed":7})",
      CallType::completion);
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->parameters.size(), 2u);
  EXPECT_EQ(summary->parameters[0].first, "temperature");
  EXPECT_EQ(summary->parameters[1].first, "seed");
  ASSERT_EQ(summary->litellm_parameters.size(), 4u);
  EXPECT_EQ(summary->litellm_parameters[0].first, "turn_off_message_logging");
  EXPECT_EQ(summary->litellm_parameters[0].second, "true");
  EXPECT_EQ(summary->litellm_parameters[1].first, "mock_response");
  EXPECT_EQ(summary->litellm_parameters[2].first, "litellm_metadata");
  EXPECT_EQ(summary->litellm_parameters[3].first, "tags");
  EXPECT_TRUE(is_litellm_parameter("litellm_session_id"));
  EXPECT_FALSE(is_litellm_parameter("max_tokens"));
}

// Verifies request_tags as LiteLLM builds them: metadata tags first, then the header's (trimmed,
// empties and repeats skipped), then both User-Agent tags.
TEST(RequestSummaryTest, RequestTagsJoinMetadataHeaderAndUserAgent) {
  EXPECT_EQ(request_tags_json(R"(["a","b"])", "", " b, c ,,d ", "my-app/1.0"),
            R"(["a","b","c","d","User-Agent: my-app","User-Agent: my-app/1.0"])");
  EXPECT_EQ(request_tags_json("", "", "", "curl"), R"(["User-Agent: curl"])");
  EXPECT_EQ(request_tags_json("", "", "", ""), "[]");
  EXPECT_EQ(request_tags_json(R"(["q\"x"])", "", "", " "), R"(["q\"x"])");
}

// Verifies that the body's top-level tags take the header's place, as in LiteLLM, and that their
// non-string elements are skipped.
TEST(RequestSummaryTest, BodyTagsReplaceHeaderTags) {
  EXPECT_EQ(request_tags_json("", R"(["x",1,"y"])", "h1,h2", ""), R"(["x","y"])");
}

}  // namespace
}  // namespace llmtap::payload
