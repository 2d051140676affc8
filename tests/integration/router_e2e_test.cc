// Retries, fallbacks and cooldowns through the real binary (README "Retries, fallbacks and
// cooldowns"): upstreams that always fail (scripted bytes) next to the mock upstream, the
// client's answer, the upstream request counts and every attempt's record at the sink.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "integration/e2e_fixture.h"
#include "integration/scripted_upstream.h"

namespace llmtap::test {
namespace {

class RouterE2eTest : public E2eFixture {};

std::string error_answer(int status, std::string_view reason, std::string_view extra_headers = {}) {
  const std::string body = R"({"error":{"message":"scripted failure","type":"server_error"}})";
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: application/json\r\n" + std::string(extra_headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

std::string deployment_at(const ScriptedUpstream& upstream) {
  return "model: openai/gpt-4o\napi_key: sk-upstream\napi_base: http://127.0.0.1:" +
         std::to_string(upstream.port()) + "/v1";
}

// Verifies that a group whose only deployment keeps failing is retried (num_retries: 1, so two
// attempts) and then falls back to another group, which answers: the client gets that answer,
// and the sink gets three records of one request — two failures, not final, in the first group,
// then the final success at fallback depth 1.
TEST_F(RouterE2eTest, RetriesThenFallsBack) {
  ScriptedUpstream broken(error_answer(500, "Internal Server Error"));
  ASSERT_TRUE(broken.listening());
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  ASSERT_NO_FATAL_FAILURE(launch_upstream());
  const std::string config = ConfigBuilder()
                                 .deployment("flaky", deployment_at(broken))
                                 .upstream("steady", "gpt-4o-mini")
                                 .yaml() +
                             "router_settings:\n"
                             "  num_retries: 1\n"
                             "  retry_after: 0\n"
                             "  fallbacks: [{flaky: [steady]}]\n";
  start_llmtap_on(write_config(config));
  HttpReply reply = chat("flaky");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(broken.requests(), 2);
  std::vector<std::string> lines = records(3);
  ASSERT_EQ(lines.size(), 3u);
  simdjson::dom::parser parser;
  std::vector<std::string> groups, statuses;
  std::vector<std::int64_t> numbers, depths;
  std::vector<bool> finals;
  std::string request_id;
  for (const std::string& line : lines) {
    simdjson::dom::element record = parser.parse(line);
    groups.emplace_back(std::string_view(record["model_group"]));
    statuses.emplace_back(std::string_view(record["status"]));
    numbers.push_back(std::int64_t(record["llmtap_attempt"]["number"]));
    depths.push_back(std::int64_t(record["llmtap_attempt"]["fallback_depth"]));
    finals.push_back(bool(record["llmtap_attempt"]["final"]));
    const std::string id{std::string_view(record["llmtap_attempt"]["request_id"])};
    if (request_id.empty()) request_id = id;
    EXPECT_EQ(id, request_id) << "every attempt carries the request's id";
    EXPECT_EQ(std::string_view(record["litellm_call_id"]), request_id);
  }
  EXPECT_EQ(groups, (std::vector<std::string>{"flaky", "flaky", "steady"}));
  EXPECT_EQ(statuses, (std::vector<std::string>{"failure", "failure", "success"}));
  EXPECT_EQ(numbers, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(depths, (std::vector<std::int64_t>{0, 0, 1}));
  EXPECT_EQ(finals, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(reply.header("x-litellm-call-id"), request_id);
}

// Verifies that a deployment cooled by a 401 (not worth retrying: cooled even as its group's
// only deployment) is not called again while it cools: the next request gets LiteLLM's 429 with
// a Retry-After and a failure record of its own.
TEST_F(RouterE2eTest, ACooledGroupIsA429WithRetryAfter) {
  ScriptedUpstream refusing(error_answer(401, "Unauthorized"));
  ASSERT_TRUE(refusing.listening());
  ASSERT_NO_FATAL_FAILURE(launch_sink());
  start_llmtap_on(
      write_config(ConfigBuilder().deployment("locked", deployment_at(refusing)).yaml() +
                   "router_settings:\n  cooldown_time: 30\n"));
  HttpReply first = chat("locked");
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(first.status, 401);
  HttpReply second = chat("locked");
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(second.status, 429) << second.body;
  EXPECT_EQ(second.header("retry-after"), "30");
  EXPECT_NE(second.body.find("No deployments available for selected model"), std::string::npos)
      << second.body;
  EXPECT_EQ(refusing.requests(), 1) << "an authentication error in a group of one: no retry";
  // The two requests' records, in whichever order they were built.
  std::vector<std::string> lines = records(2);
  ASSERT_EQ(lines.size(), 2u);
  simdjson::dom::parser parser;
  std::vector<std::string> classes;
  for (const std::string& line : lines) {
    simdjson::dom::element record = parser.parse(line);
    classes.emplace_back(std::string_view(record["error_information"]["error_class"]));
    EXPECT_TRUE(bool(record["llmtap_attempt"]["final"]));
  }
  std::sort(classes.begin(), classes.end());
  EXPECT_EQ(classes, (std::vector<std::string>{"AuthenticationError", "RateLimitError"}));
}

// Verifies LiteLLM's pass-through wildcard ("*" → openai/*, as in LiteLLM's own proxy config):
// any name no model_name equals goes to the upstream as that model, and its record names it as
// the model group; an exact model_name still wins.
TEST_F(RouterE2eTest, AWildcardModelNamePassesAnyModelThrough) {
  start(ConfigBuilder()
            .deployment("\"*\"", "model: openai/*\napi_key: sk-upstream\napi_base: {UPSTREAM}/v1")
            .upstream("gpt-4o", "gpt-4o-2024-08-06")
            .yaml(),
        {}, /*with_upstream=*/true);
  HttpReply wild = chat("o3-mini");
  ASSERT_TRUE(wild.ok()) << wild.error;
  EXPECT_EQ(wild.status, 200) << wild.body;
  EXPECT_EQ(wild.header("x-litellm-model-group"), "o3-mini");
  HttpReply exact = chat("gpt-4o");
  ASSERT_TRUE(exact.ok()) << exact.error;
  EXPECT_EQ(exact.status, 200) << exact.body;
  const std::vector<std::string> sent = upstream_requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0].find(R"(\"model\":\"o3-mini\")"), std::string::npos) << sent[0];
  EXPECT_NE(sent[1].find(R"(\"model\":\"gpt-4o-2024-08-06\")"), std::string::npos) << sent[1];
  std::map<std::string, std::string> groups;
  simdjson::dom::parser parser;
  for (const std::string& line : records(2)) {
    simdjson::dom::element record = parser.parse(line);
    groups[std::string(std::string_view(record["model"]))] =
        std::string(std::string_view(record["model_group"]));
  }
  EXPECT_EQ(groups, (std::map<std::string, std::string>{{"o3-mini", "o3-mini"},
                                                        {"gpt-4o-2024-08-06", "gpt-4o"}}));
}

}  // namespace
}  // namespace llmtap::test
