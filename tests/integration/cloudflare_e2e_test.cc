// Cloudflare Workers AI deployments end to end, as LiteLLM ≥ 1.91 calls them (PR #31053): the
// official `openai` SDK talks to llmtap, llmtap passes the OpenAI body through to Workers AI's
// OpenAI-compatible /client/v4/accounts/<account>/ai/v1 route (answered by the OpenAI mock,
// whose wire format the openai SDK checks in openai_client_test.cc) with the `@cf/…` model and a
// bearer key, and each record is LiteLLM's for cloudflare: provider, api_base, usage, cost from
// the price map.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

std::string config() {
  return ConfigBuilder()
      // api_base from CLOUDFLARE_API_BASE, written for LiteLLM's older native route (/ai/run/).
      .deployment("cf-llama",
                  "model: cloudflare/@cf/meta/llama-3.3-70b-instruct-fp8-fast\n"
                  "api_key: cf-upstream\n")
      .deployment("cf-denied",
                  "model: cloudflare/status-401\n"
                  "api_key: cf-upstream\n"
                  "api_base: {UPSTREAM}/client/v4/accounts/acct-2/ai/v1\n")
      .yaml();
}

class CloudflareE2eTest : public E2eFixture {
 protected:
  simdjson::dom::parser step_parser_;
};

// Verifies chat, stream and an error: each went to the account's /ai/v1 route with the bearer
// key and the `@cf/…` model in the body; the SDK got OpenAI's answers; the records say
// cloudflare, the /ai/v1 base, the usage and the price map's cost, or the failure's class.
TEST_F(CloudflareE2eTest, OpenAiRouteIsPassedThroughAndLoggedAsCloudflare) {
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  ASSERT_NO_FATAL_FAILURE(launch_upstream());
  const std::string base = upstream_url() + "/client/v4/accounts/acct-1/ai/v1";
  start_llmtap_on(write_config(config()),
                  {{"CLOUDFLARE_API_BASE", upstream_url() + "/client/v4/accounts/acct-1/ai/run/"}});
  ASSERT_TRUE(llmtap_.ok()) << llmtap_.error;
  auto steps = run_providers_client({"chat=cf-llama", "stream=cf-llama", "error=cf-denied"});
  auto chat = step_parser_.parse(steps["chat"]);
  ASSERT_FALSE(chat.error()) << steps["chat"];
  EXPECT_EQ(std::string_view(chat["content"]), "mock answer") << steps["chat"];
  EXPECT_EQ(int64_t(chat["usage"]["total_tokens"]), 18);
  auto stream = step_parser_.parse(steps["stream"]);
  ASSERT_FALSE(stream.error()) << steps["stream"];
  EXPECT_EQ(std::string_view(stream["content"]), "mock answer") << steps["stream"];
  EXPECT_EQ(int64_t(stream["usage"]["total_tokens"]), 18) << steps["stream"];
  auto denied = step_parser_.parse(steps["error"]);
  ASSERT_FALSE(denied.error()) << steps["error"];
  EXPECT_EQ(int64_t(denied["status"]), 401) << steps["error"];

  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 3u);
  std::map<std::string, int> paths;
  for (const auto& line : seen) {
    auto request = parser_.parse(line);
    ASSERT_FALSE(request.error()) << line;
    ++paths[std::string(std::string_view(request["path"]))];
    EXPECT_EQ(std::string_view(request["headers"]["authorization"]), "Bearer cf-upstream") << line;
    const std::string body{std::string_view(request["body"])};
    auto sent = step_parser_.parse(body);
    ASSERT_FALSE(sent.error()) << body;
    const std::string_view model = sent["model"];
    EXPECT_TRUE(model == "@cf/meta/llama-3.3-70b-instruct-fp8-fast" || model == "status-401")
        << body;
  }
  EXPECT_EQ(paths["/client/v4/accounts/acct-1/ai/v1/chat/completions"], 2);
  EXPECT_EQ(paths["/client/v4/accounts/acct-2/ai/v1/chat/completions"], 1);

  auto lines = records(3);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "cloudflare") << line;
    if (std::string_view(record["model_group"]) == "cf-denied") {
      EXPECT_EQ(std::string_view(record["status"]), "failure") << line;
      EXPECT_EQ(std::string_view(record["error_information"]["error_class"]),
                "AuthenticationError");
      continue;
    }
    EXPECT_EQ(std::string_view(record["status"]), "success") << line;
    EXPECT_EQ(std::string_view(record["model"]), "@cf/meta/llama-3.3-70b-instruct-fp8-fast");
    EXPECT_EQ(std::string_view(record["api_base"]), base) << line;
    EXPECT_DOUBLE_EQ(double(record["response_cost"]), 11 * 2.93e-07 + 7 * 2.253e-06) << line;
  }
}

}  // namespace
}  // namespace llmtap::test
