#include "support/mock_upstream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <csignal>

#include "support/http_call.h"
#include "support/started_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace llmtap::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// One mock upstream process per test, as integration tests run it.
class MockUpstreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ = start_mock_upstream(dir_.file("requests.ndjson"));
    ASSERT_TRUE(mock_.ok()) << mock_.error;
  }

  HttpReply chat(std::string_view model, std::string_view extra = "",
                 std::string_view path = "/v1/chat/completions") {
    const std::string body = R"({"model":")" + std::string(model) +
                             R"(","messages":[{"role":"user","content":"hello there"}])" +
                             std::string(extra) + "}";
    return http_request(mock_.port, "POST", path,
                        {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-up"}},
                        body);
  }

  TempDir dir_;
  StartedServer mock_;
};

// Verifies that a chat completion answers the OpenAI shape, echoing the model, with fixed usage.
TEST_F(MockUpstreamTest, AnswersChatCompletion) {
  const HttpReply reply = chat("gpt-test");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 200);
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(reply.body);
  EXPECT_THAT(std::string(std::string_view(root["id"])), StartsWith("chatcmpl-mock-"));
  EXPECT_EQ(std::string_view(root["object"]), "chat.completion");
  EXPECT_EQ(std::string_view(root["model"]), "gpt-test");
  EXPECT_EQ(std::string_view(root.at_pointer("/choices/0/message/content")), "mock answer");
  EXPECT_EQ(int64_t(root.at_pointer("/usage/prompt_tokens")), 11);
  EXPECT_EQ(int64_t(root.at_pointer("/usage/completion_tokens")), 7);
  EXPECT_EQ(int64_t(root.at_pointer("/usage/total_tokens")), 18);
}

// Verifies that a streamed answer arrives as separate SSE chunks, usage included, ending in [DONE].
TEST_F(MockUpstreamTest, StreamsServerSentEvents) {
  const HttpReply reply =
      chat("gpt-test", R"(,"stream":true,"stream_options":{"include_usage":true})");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.header("Content-Type"), "text/event-stream");
  ASSERT_EQ(reply.chunks.size(), 5u) << reply.body;
  EXPECT_THAT(reply.chunks[0], HasSubstr(R"("content":"mock")"));
  EXPECT_THAT(reply.chunks[3], HasSubstr(R"("usage":{"prompt_tokens":11)"));
  EXPECT_EQ(reply.chunks[4], "data: [DONE]\n\n");
}

// Verifies that completions and embeddings answer their own shapes.
TEST_F(MockUpstreamTest, AnswersCompletionsAndEmbeddings) {
  const HttpReply completion =
      http_request(mock_.port, "POST", "/v1/completions", {}, R"({"model":"m","prompt":"p"})");
  EXPECT_THAT(completion.body, HasSubstr(R"("object":"text_completion")"));
  EXPECT_THAT(completion.body, HasSubstr(R"("text":"mock answer")"));
  const HttpReply embedding =
      http_request(mock_.port, "POST", "/v1/embeddings", {}, R"({"model":"m","input":"p"})");
  EXPECT_THAT(embedding.body, HasSubstr(R"("object":"embedding")"));
}

// Verifies that status-NNN answers that status with an OpenAI error echoing the prompt.
TEST_F(MockUpstreamTest, AnswersRequestedStatus) {
  const HttpReply reply = chat("gpt-status-429");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 429);
  EXPECT_THAT(reply.body, HasSubstr(R"("message":"upstream error for: hello there")"));
}

// Verifies that garbage answers 200 with a body that is not JSON.
TEST_F(MockUpstreamTest, AnswersGarbage) {
  const HttpReply reply = chat("garbage");
  EXPECT_EQ(reply.status, 200);
  simdjson::dom::parser parser;
  EXPECT_TRUE(parser.parse(reply.body).error());
}

// Verifies that close leaves the client with an incomplete response.
TEST_F(MockUpstreamTest, ClosesMidAnswer) {
  const HttpReply reply = chat("close");
  EXPECT_FALSE(reply.ok());
}

// Verifies that sleep-MS delays the answer by at least MS milliseconds.
TEST_F(MockUpstreamTest, SleepsBeforeAnswering) {
  const auto start = std::chrono::steady_clock::now();
  const HttpReply reply = chat("sleep-300-status-503");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{300});
  EXPECT_EQ(reply.status, 503);
}

// Verifies that each request is logged with its headers and body.
TEST_F(MockUpstreamTest, LogsRequests) {
  ASSERT_EQ(chat("upstream-model").status, 200);
  std::vector<std::string> lines;
  ASSERT_TRUE(wait_until(
      [&] { return !(lines = read_ndjson_lines(dir_.file("requests.ndjson"))).empty(); }));
  simdjson::dom::parser parser;
  const simdjson::dom::element line = parser.parse(lines[0]);
  EXPECT_EQ(std::string_view(line["path"]), "/v1/chat/completions");
  EXPECT_EQ(std::string_view(line["headers"]["authorization"]), "Bearer sk-up");
  EXPECT_THAT(std::string(std::string_view(line["body"])),
              HasSubstr(R"("model":"upstream-model")"));
}

// Verifies that SIGTERM stops the mock with exit code 0.
TEST_F(MockUpstreamTest, ExitsOnSigterm) {
  ASSERT_TRUE(mock_.process->send_signal(SIGTERM));
  EXPECT_EQ(mock_.process->wait_exit(std::chrono::seconds{10}), 0);
}

// Verifies the markers for invalid answers: truncated is half a JSON answer, badutf8 keeps the
// JSON syntax but not UTF-8 (in answers and stream events), status-401 echoes the bearer key,
// and answers carry OpenAI's rate-limit headers.
TEST_F(MockUpstreamTest, InvalidAnswerMarkersAndRateLimitHeaders) {
  simdjson::dom::parser parser;
  const HttpReply truncated = chat("truncated");
  EXPECT_EQ(truncated.status, 200);
  EXPECT_THAT(truncated.body, StartsWith(R"({"id":"chatcmpl-mock-)"));
  EXPECT_TRUE(parser.parse(truncated.body).error()) << truncated.body;
  EXPECT_EQ(truncated.header("x-ratelimit-remaining-requests"), "4999");

  const HttpReply bad = chat("badutf8");
  EXPECT_EQ(bad.status, 200);
  EXPECT_EQ(parser.parse(bad.body).error(), simdjson::UTF8_ERROR) << bad.body;
  EXPECT_THAT(bad.body, HasSubstr("\x80\xC0\xAF\xFFmock answer"));
  const HttpReply bad_stream = chat("badutf8", R"(,"stream":true)");
  EXPECT_THAT(bad_stream.body, HasSubstr("\x80\xC0\xAF\xFFmock"));

  const HttpReply rejected = chat("status-401");
  EXPECT_EQ(rejected.status, 401);
  EXPECT_THAT(rejected.body,
              HasSubstr("Incorrect API key provided: sk-up; upstream error for: hello there"));
}

// Verifies Azure OpenAI's URL forms: the deployments form echoes the deployment as the model
// (and steers the markers by it) and needs api-version; the v1 API echoes the body's model; the
// key may come in Azure's api-key header.
TEST_F(MockUpstreamTest, AnswersAzureUrlForms) {
  simdjson::dom::parser parser;
  const HttpReply deployed =
      chat("ignored", "", "/openai/deployments/my-dep/chat/completions?api-version=2024-10-21");
  ASSERT_EQ(deployed.status, 200) << deployed.body;
  EXPECT_EQ(std::string_view(parser.parse(deployed.body)["model"]), "my-dep");

  const HttpReply embedded =
      http_request(mock_.port, "POST", "/openai/deployments/emb/embeddings?api-version=2024-10-21",
                   {{"Content-Type", "application/json"}}, R"({"input":"hi"})");
  ASSERT_EQ(embedded.status, 200) << embedded.body;
  EXPECT_EQ(std::string_view(parser.parse(embedded.body)["object"]), "list");

  const HttpReply no_version = chat("ignored", "", "/openai/deployments/my-dep/chat/completions");
  EXPECT_EQ(no_version.status, 404);
  EXPECT_THAT(no_version.body, HasSubstr("Resource not found"));

  const HttpReply v1 = chat("gpt-4o", "", "/openai/v1/chat/completions");
  ASSERT_EQ(v1.status, 200) << v1.body;
  EXPECT_EQ(std::string_view(parser.parse(v1.body)["model"]), "gpt-4o");

  const HttpReply rejected = http_request(
      mock_.port, "POST", "/openai/deployments/status-401/chat/completions?api-version=v",
      {{"Content-Type", "application/json"}, {"api-key", "az-key"}},
      R"({"messages":[{"role":"user","content":"hello there"}]})");
  EXPECT_EQ(rejected.status, 401);
  EXPECT_THAT(rejected.body, HasSubstr("Incorrect API key provided: az-key"));
}

}  // namespace
}  // namespace llmtap::test
