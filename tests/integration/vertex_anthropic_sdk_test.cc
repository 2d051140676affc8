// The mock's Claude-on-Vertex route (tests/support/mock_anthropic.h, answer_vertex_anthropic)
// proven by the official @anthropic-ai/vertex-sdk (provider_sdks/vertex_anthropic.mjs): the SDK
// moves the model into the rawPredict / streamRawPredict URL and an anthropic_version into the
// body (its Messages API version; LiteLLM and llmtap send vertex-2023-10-16),
// and its own parsing must read the mock's messages, SSE events and errors as real ones; a token
// the Google token mock did not issue is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>

#include "integration/node_steps.h"
#include "integration/step_json.h"
#include "support/started_server.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Verifies messages whole, with a tool and streamed, a 429, and a refused token, and that the
// SDK called the rawPredict URLs without a model in the body.
TEST(VertexAnthropicSdkTest, TheSdkReadsTheMocksRawPredictAnswers) {
  TempDir dir;
  StartedServer mock = start_mock_upstream(dir.file("requests.ndjson"));
  ASSERT_TRUE(mock.ok()) << mock.error;
  auto steps = run_node_steps("provider_sdks/vertex_anthropic.mjs",
                              {"http://127.0.0.1:" + std::to_string(mock.port) + "/v1",
                               "ya29.mock-sdk", "create", "tool", "stream", "error", "bad-token"},
                              5);
  for (const auto& [name, line] : steps) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("\"unexpected\""))) << line;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element create = parser.parse(steps["create"]).value_unsafe();
  EXPECT_EQ(text(create["text"]), "mock answer") << steps["create"];
  EXPECT_EQ(text(create["model"]), "claude-sonnet-4@20250514");
  EXPECT_EQ(text(create["stop_reason"]), "end_turn");
  simdjson::dom::parser tool_parser;
  simdjson::dom::element tool = tool_parser.parse(steps["tool"]).value_unsafe();
  EXPECT_EQ(text(tool["stop_reason"]), "tool_use") << steps["tool"];
  EXPECT_EQ(text(tool["tool_use"].at(0)["name"]), "get_weather");
  simdjson::dom::parser stream_parser;
  simdjson::dom::element stream = stream_parser.parse(steps["stream"]).value_unsafe();
  EXPECT_THAT(strings(stream["deltas"]), ElementsAre("mock", " ans", "wer")) << steps["stream"];
  simdjson::dom::parser error_parser;
  simdjson::dom::element error = error_parser.parse(steps["error"]).value_unsafe();
  EXPECT_EQ(text(error["name"]), "RateLimitError") << steps["error"];
  EXPECT_EQ(int64_t(error["status"]), 429);
  simdjson::dom::parser bad_parser;
  simdjson::dom::element bad = bad_parser.parse(steps["bad-token"]).value_unsafe();
  EXPECT_EQ(int64_t(bad["status"]), 401) << steps["bad-token"];

  std::size_t raw_predicts = 0;
  for (const std::string& line : read_ndjson_lines(dir.file("requests.ndjson"))) {
    simdjson::dom::parser line_parser;
    simdjson::dom::element request = line_parser.parse(line).value_unsafe();
    const std::string_view path = request["path"];
    if (!path.ends_with("awPredict")) continue;
    ++raw_predicts;
    EXPECT_TRUE(path.starts_with("/v1/projects/proj-1/locations/us-east5/publishers/anthropic/"))
        << path;
    const std::string body{std::string_view(request["body"])};
    EXPECT_THAT(body, ::testing::Not(HasSubstr("\"model\""))) << body;
    EXPECT_THAT(body, HasSubstr(R"("anthropic_version":")")) << body;
  }
  EXPECT_EQ(raw_predicts, 5u);
}

}  // namespace
}  // namespace llmtap::test
