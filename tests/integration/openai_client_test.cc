// A real client: the official `openai` npm package drives llmtap (chat, streaming chat,
// embeddings, models, an error) through the mock upstream, and the records the sink got are
// checked against what the client saw. The package is installed by scripts/install-deps.sh
// (tests/integration/openai_client).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

std::string config() {
  return ConfigBuilder()
      .upstream("gpt-4o", "gpt-4o")
      .upstream("embedder", "text-embedding-3-small")
      .yaml();
}

using OpenAiClientTest = E2eFixture;

// Verifies that the official openai SDK works against llmtap for chat, embeddings, model listing
// and errors, and that each call's record matches what the SDK saw.
TEST_F(OpenAiClientTest, OfficialSdkCallsWorkAndAreLogged) {
  start(config(), {}, /*with_upstream=*/true);
  const std::string dir = std::string(LLMTAP_SOURCE_DIR) + "/tests/integration/openai_client";
  Process node(ProcessOptions{
      "/usr/bin/env",
      {"node", dir + "/client.mjs", "http://127.0.0.1:" + std::to_string(llmtap_.port) + "/v1",
       "sk-1234", "chat", "stream", "embeddings", "models", "error"},
      {}});
  auto code = node.wait_exit(std::chrono::seconds{60});
  ASSERT_TRUE(code.has_value()) << node.err();
  ASSERT_EQ(*code, 0) << node.err() << node.out();

  std::map<std::string, std::string> steps;
  std::string out = node.out();
  for (std::size_t pos = 0; pos < out.size();) {
    std::size_t end = out.find('\n', pos);
    std::string line = out.substr(pos, end - pos);
    pos = end == std::string::npos ? out.size() : end + 1;
    auto doc = parser_.parse(line);
    if (doc.error()) continue;
    steps[std::string(std::string_view(doc["step"]))] = line;
  }
  ASSERT_EQ(steps.size(), 5u) << out << node.err();

  auto chat = parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error());
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(int64_t(chat["total_tokens"]), 18);
  std::string chat_call_id{std::string_view(chat["call_id"])};

  auto stream = parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error());
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_GT(int64_t(stream["chunks"]), 1) << steps["stream"];

  auto embeddings = parser_.parse(steps["embeddings"]);
  ASSERT_FALSE(embeddings.error());
  EXPECT_EQ(int64_t(embeddings["count"]), 1) << steps["embeddings"];

  auto models = parser_.parse(steps["models"]);
  ASSERT_FALSE(models.error());
  EXPECT_EQ(simdjson::minify(models["ids"]), R"(["gpt-4o","embedder"])");

  auto error = parser_.parse(steps["error"]);
  ASSERT_FALSE(error.error());
  EXPECT_EQ(int64_t(error["status"]), 404) << steps["error"];
  EXPECT_EQ(std::string_view(error["type"]), "NotFoundError") << steps["error"];

  // chat, stream, embeddings (successes), error (failure); /v1/models is not an LLM call.
  auto lines = records(4);
  ASSERT_EQ(lines.size(), 4u);
  int successes = 0;
  int failures = 0;
  bool chat_record_found = false;
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    std::string_view status = record["status"];
    successes += status == "success";
    failures += status == "failure";
    if (std::string_view(record["litellm_call_id"]) == chat_call_id) {
      chat_record_found = true;
      EXPECT_EQ(std::string_view(record["call_type"]), "acompletion");
      EXPECT_EQ(int64_t(record["total_tokens"]), 18);
      EXPECT_NE(std::string_view(record["user_agent"]).find("OpenAI/JS"), std::string_view::npos)
          << std::string_view(record["user_agent"]);
    }
    if (bool(record["stream"])) {
      EXPECT_EQ(std::string_view(record["status"]), "success");
      EXPECT_EQ(int64_t(record["total_tokens"]), 18) << line;
      EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["message"]["content"]),
                "mock answer");
    }
    if (std::string_view(record["call_type"]) == "aembedding") {
      EXPECT_EQ(std::string_view(record["model_group"]), "embedder");
    }
  }
  EXPECT_TRUE(chat_record_found);
  EXPECT_EQ(successes, 3);
  EXPECT_EQ(failures, 1);
}

}  // namespace
}  // namespace llmtap::test
