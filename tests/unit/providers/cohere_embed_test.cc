#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "payload/request_summary.h"
#include "providers/cohere/embed.h"

namespace llmtap::providers::cohere {
namespace {

std::string translate(std::string_view client_body, std::string_view model = "embed-v4.0") {
  auto summary = payload::parse_request(client_body, payload::CallType::embedding);
  if (!summary) return "parse error: " + summary.error().message;
  RequestOptions o;
  o.upstream_model = model;
  auto request = to_embed_request(*summary, o);
  if (!request) return "problem: " + request.error().message;
  return request->body;
}

// Verifies the embed body: texts with LiteLLM's default input_type, encoding_format as
// embedding_types, dimensions as output_dimension, user left out.
TEST(CohereEmbedTest, TextsGetTheDefaultInputType) {
  EXPECT_EQ(translate(R"({"model":"cohere/embed-v4.0","input":["a","b"],)"
                      R"("encoding_format":"float","dimensions":256,"user":"u"})"),
            R"({"model":"embed-v4.0","texts":["a","b"],"input_type":"search_document",)"
            R"("embedding_types":["float"],"output_dimension":256})");
  EXPECT_EQ(translate(R"({"model":"m","input":"one"})"),
            R"({"model":"embed-v4.0","texts":["one"],"input_type":"search_document"})");
}

// Verifies that a client's own input_type wins and that a base64 image (the last input) makes
// an image request.
TEST(CohereEmbedTest, ClientInputTypeWinsAndDataUrlsAreImages) {
  EXPECT_EQ(translate(R"({"model":"m","input":["q"],"input_type":"search_query"})"),
            R"({"model":"embed-v4.0","texts":["q"],"input_type":"search_query"})");
  EXPECT_EQ(translate(R"({"model":"m","input":["data:image/png;base64,iVBORw0KGgo="]})"),
            R"({"model":"embed-v4.0","images":["data:image/png;base64,iVBORw0KGgo="],)"
            R"("input_type":"image"})");
  // Not canonical base64: text.
  EXPECT_EQ(translate(R"({"model":"m","input":["data:x,abc"]})"),
            R"({"model":"embed-v4.0","texts":["data:x,abc"],"input_type":"search_document"})");
}

// Verifies that token inputs are refused as LiteLLM refuses them.
TEST(CohereEmbedTest, TokenInputsAreProblems) {
  EXPECT_EQ(translate(R"({"model":"m","input":[[1,2],[3]]})"),
            "problem: Input must be a list of strings");
  EXPECT_EQ(translate(R"({"model":"m","input":[1,2]})"),
            "problem: Input must be a list of strings");
}

// Verifies the answer: one item per vector of each type, indexes per type, usage from
// billed_units with text and image details.
TEST(CohereEmbedTest, AnswerListsVectorsAndBilledTokens) {
  auto answer = to_embedding_response(
      R"({"id":"e","embeddings":{"float":[[0.5,-1],[2.25,0]]},"texts":["a","b"],)"
      R"("meta":{"api_version":{"version":"2"},"billed_units":{"input_tokens":4}},)"
      R"("response_type":"embeddings_by_type"})",
      {"", 0, "embed-v4.0"});
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(*answer,
            R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1]},)"
            R"({"object":"embedding","index":1,"embedding":[2.25,0]}],"model":"embed-v4.0",)"
            R"("usage":{"prompt_tokens":4,"completion_tokens":0,"total_tokens":4,)"
            R"("prompt_tokens_details":{"text_tokens":4,"image_tokens":null}}})");
  auto bare = to_embedding_response(R"({"embeddings":{"base64":["AAA="]}})", {"", 0, "m"});
  ASSERT_TRUE(bare);
  EXPECT_EQ(*bare,
            R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":"AAA="}],)"
            R"("model":"m","usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}})");
  EXPECT_FALSE(to_embedding_response(R"({"message":"bad"})", {"", 0, "m"}));
}

}  // namespace
}  // namespace llmtap::providers::cohere
