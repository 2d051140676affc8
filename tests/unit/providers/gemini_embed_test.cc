// Gemini's embeddings translators (providers/gemini/embed_request.h, embed_answer.h), golden.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "payload/request_summary.h"
#include "providers/gemini/embed_answer.h"
#include "providers/gemini/embed_request.h"
#include "request_golden.h"

namespace llmtap::providers::gemini {
namespace {

using test_support::canonical_json;

Result<EmbedRequest, RequestProblem> translate(const std::string& body, bool drop_params = false) {
  auto summary = payload::parse_request(body, payload::CallType::embedding);
  EXPECT_TRUE(summary) << body;
  if (!summary) return RequestProblem{"unparsed", {}, {}};
  return to_batch_embed_request(*summary, {"gemini-embedding-001", drop_params});
}

std::string body_of(const std::string& request) {
  auto out = translate(request);
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  return out ? canonical_json(out->body) : std::string();
}

// Verifies one request per input with the model's resource name, dimensions and task_type under
// Gemini's names, and keys Gemini has no field for left out.
TEST(GeminiEmbedRequestTest, OneRequestPerInputWithGeminiFields) {
  EXPECT_EQ(
      body_of(R"({"model":"m","input":["a","b"],"dimensions":256,"task_type":)"
              R"("RETRIEVAL_QUERY","extra":1})"),
      canonical_json(R"({"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[)"
                     R"({"text":"a"}]},"outputDimensionality":256,"taskType":"RETRIEVAL_QUERY"},)"
                     R"({"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]},)"
                     R"("outputDimensionality":256,"taskType":"RETRIEVAL_QUERY"}]})"));
  EXPECT_EQ(body_of(R"({"model":"m","input":"one"})"),
            canonical_json(R"({"requests":[{"model":"models/gemini-embedding-001",)"
                           R"("content":{"parts":[{"text":"one"}]}}]})"));
}

// Verifies a nested list as one combined request, and data: and gs:// inputs as inline_data and
// file_data parts with their MIME types.
TEST(GeminiEmbedRequestTest, NestedListsAndMedia) {
  EXPECT_EQ(body_of(R"({"model":"m","input":[["caption","data:image/png;base64,iVBO"],)"
                    R"("gs://bucket/clip.MP4"]})"),
            canonical_json(
                R"({"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[)"
                R"({"text":"caption"},{"inline_data":{"mime_type":"image/png","data":"iVBO"}}]}},)"
                R"({"model":"models/gemini-embedding-001","content":{"parts":[{"file_data":)"
                R"({"mime_type":"video/mp4","file_uri":"gs://bucket/clip.MP4"}}]}}]})"));
}

// Verifies encoding_format: float and base64 taken (base64 remembered for the answer), anything
// else a 400 naming the parameter.
TEST(GeminiEmbedRequestTest, EncodingFormat) {
  auto base64 = translate(R"({"model":"m","input":"x","encoding_format":"base64"})");
  ASSERT_TRUE(base64);
  EXPECT_TRUE(base64->base64);
  EXPECT_EQ(base64->body.find("encoding"), std::string::npos) << base64->body;
  auto float_format = translate(R"({"model":"m","input":"x","encoding_format":"float"})");
  ASSERT_TRUE(float_format);
  EXPECT_FALSE(float_format->base64);
  auto other = translate(R"({"model":"m","input":"x","encoding_format":"int8"})");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().param, "encoding_format");
}

// Verifies the refusals: token ids, an unsupported MIME type, an unknown GCS extension, a file
// reference, an empty list; and `user` an UnsupportedParamsError unless drop_params.
TEST(GeminiEmbedRequestTest, Refusals) {
  for (const char* body :
       {R"({"model":"m","input":[1,2,3]})", R"({"model":"m","input":[[1,2]]})",
        R"({"model":"m","input":["data:text/plain;base64,aGk="]})",
        R"({"model":"m","input":["gs://b/notes.txt"]})", R"({"model":"m","input":["files/abc"]})",
        R"({"model":"m","input":[]})", R"({"model":"m","input":[[]]})"}) {
    auto out = translate(body);
    ASSERT_FALSE(out) << body;
    EXPECT_EQ(out.error().error_class, "BadRequestError") << body;
    EXPECT_EQ(out.error().param, "input") << body;
  }
  auto user = translate(R"({"model":"m","input":"x","user":"u1"})");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().error_class, "UnsupportedParamsError");
  EXPECT_NE(user.error().message.find("gemini does not support parameters: ['user']"),
            std::string::npos)
      << user.error().message;
  EXPECT_TRUE(translate(R"({"model":"m","input":"x","user":"u1"})", true));
}

// Verifies the answer, golden: one embedding per vector in order, values as Gemini wrote them,
// the deployment's model, 0 tokens.
TEST(GeminiEmbedAnswerTest, FloatVectorsGolden) {
  auto out = to_embedding_list(R"({"embeddings":[{"values":[0.1,-2e-3]},{"values":[3]}]})",
                               {"gemini-embedding-001", false});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out,
            R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.002]},)"
            R"({"object":"embedding","index":1,"embedding":[3]}],)"
            R"("model":"gemini-embedding-001","usage":{"prompt_tokens":0,"total_tokens":0}})");
}

// Verifies base64 vectors as OpenAI encodes them: float32 little-endian, base64 (1.0 is
// 00 00 80 3F → "AACAPw==", [0.5, -2] is 00 00 00 3F 00 00 00 C0 → "AAAAPwAAAMA=").
TEST(GeminiEmbedAnswerTest, Base64Vectors) {
  auto out =
      to_embedding_list(R"({"embeddings":[{"values":[1.0]},{"values":[0.5,-2]}]})", {"m", true});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_NE(out->find(R"("index":0,"embedding":"AACAPw==")"), std::string::npos) << *out;
  EXPECT_NE(out->find(R"("index":1,"embedding":"AAAAPwAAAMA=")"), std::string::npos) << *out;
}

// Verifies answers that are no embeddings: not JSON, no list, a vector without values or with a
// value that is not a number.
TEST(GeminiEmbedAnswerTest, BadAnswers) {
  for (const char* body :
       {"nope", R"({"embedding":{"values":[1]}})", R"({"embeddings":[{"value":[1]}]})"}) {
    EXPECT_FALSE(to_embedding_list(body, {"m", false})) << body;
  }
  EXPECT_FALSE(to_embedding_list(R"({"embeddings":[{"values":["x"]}]})", {"m", true}));
}

}  // namespace
}  // namespace llmtap::providers::gemini
