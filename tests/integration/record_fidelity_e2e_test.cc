// End-to-end record fidelity and routing (issue #3 points 2–4; README "The record", "HTTP API"):
// what the gateway itself feeds the record — the client's address, User-Agent, x- headers, body
// metadata, tags, user and parameters, the deployment picked (model_id among several, hosted_vllm/
// prefixes), the provider's rate-limit headers, prices or their absence, excluded fields — checked
// on the records the real sink received from the real binary in front of the mock upstream.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>
#include <vector>

#include "integration/e2e_fixture.h"

namespace llmtap::test {
namespace {

std::string config() {
  return ConfigBuilder()
      .deployment("gpt-4o", "model: openai/gpt-4o\napi_key: sk-upstream\napi_base: {UPSTREAM}/v1",
                  "id: dep-solo")
      .deployment("balanced", "model: openai/gpt-4o\napi_key: sk-upstream\napi_base: {UPSTREAM}/v1",
                  "id: dep-a")
      .deployment("balanced",
                  "model: openai/gpt-4o-mini\napi_key: sk-upstream\napi_base: {UPSTREAM}/v1",
                  "id: dep-b")
      .deployment("vllm", "model: hosted_vllm/meta-llama/Llama-3-8B\napi_base: {UPSTREAM}/v1")
      .upstream("private", "my-private-model")
      .upstream("embedder", "text-embedding-3-small")
      .litellm_settings("standard_logging_payload_excluded_fields: [\"saved_cache_cost\"]")
      .yaml();
}

class RecordFidelityE2eTest : public E2eFixture {
 protected:
  void SetUp() override { start(config(), {}, /*with_upstream=*/true); }
};

// Verifies that a chat's record carries what the client sent and what the upstream answered:
// key hash, address, User-Agent, x- headers, body metadata and tags, end user, parameters
// (the user among them, as LiteLLM keeps it; without messages or metadata), the deployment's
// id, price information, rate-limit headers as integers and llmtap's overhead — and leaves out
// the excluded field.
TEST_F(RecordFidelityE2eTest, ChatRecordCarriesRequestAndDeploymentFacts) {
  HttpReply reply =
      post("/v1/chat/completions",
           R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0.2,)"
           R"("max_tokens":5,"user":"end-user-7","metadata":{"tags":["t1"],"trace":"tr-9"}})",
           {{"User-Agent", "my-app/1.0"}, {"X-Team", "alpha"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  SCOPED_TRACE(lines_[0]);
  EXPECT_EQ(std::string_view(record["model_id"]), "dep-solo");
  EXPECT_EQ(std::string_view(record["model_group"]), "gpt-4o");
  EXPECT_EQ(std::string_view(record["metadata"]["user_api_key_hash"]),
            "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b");
  EXPECT_EQ(std::string_view(record["requester_ip_address"]), "127.0.0.1");
  EXPECT_EQ(std::string_view(record["metadata"]["requester_ip_address"]), "127.0.0.1");
  EXPECT_EQ(std::string_view(record["user_agent"]), "my-app/1.0");
  EXPECT_EQ(std::string_view(record["metadata"]["requester_custom_headers"]["x-team"]), "alpha");
  EXPECT_EQ(std::string_view(record["metadata"]["requester_metadata"]["trace"]), "tr-9");
  EXPECT_EQ(std::string_view(record["request_tags"].at(0)), "t1");
  EXPECT_EQ(std::string_view(record["end_user"]), "end-user-7");
  EXPECT_DOUBLE_EQ(double(record["model_parameters"]["temperature"]), 0.2);
  EXPECT_EQ(int64_t(record["model_parameters"]["max_tokens"]), 5);
  EXPECT_EQ(std::string_view(record["model_parameters"]["user"]), "end-user-7");
  for (const char* absent : {"messages", "metadata", "model"}) {
    EXPECT_TRUE(record["model_parameters"][absent].error()) << absent;
  }
  EXPECT_EQ(std::string_view(record["model_map_information"]["model_map_key"]), "gpt-4o");
  EXPECT_TRUE(record["response_cost_failure_debug_info"].is_null());
  EXPECT_GT(double(record["response_cost"]), 0.0);
  EXPECT_EQ(
      int64_t(record["hidden_params"]["additional_headers"]["x_ratelimit_remaining_requests"]),
      4999);
  EXPECT_EQ(int64_t(record["hidden_params"]["additional_headers"]["x_ratelimit_remaining_tokens"]),
            29000);
  EXPECT_GE(double(record["hidden_params"]["litellm_overhead_time_ms"]), 0.0);
  EXPECT_TRUE(record["saved_cache_cost"].error()) << "excluded field still present";
  // The parameters went upstream as sent.
  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find(R"(\"max_tokens\":5)"), std::string::npos) << seen[0];
}

// Verifies LiteLLM's request_tags (metadata.tags, then the x-litellm-tags header's, then the two
// User-Agent tags) and that LiteLLM's own request switches are neither model_parameters nor
// sent to the provider.
TEST_F(RecordFidelityE2eTest, TagsFromHeadersAndNoLiteLLMSwitchesAsParameters) {
  HttpReply reply =
      post("/v1/chat/completions",
           R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"seed":3,)"
           R"("turn_off_message_logging":false,"litellm_metadata":{"a":1},"num_retries":1,)"
           R"("metadata":{"tags":["t1"]}})",
           {{"User-Agent", "my-app/1.0"}, {"x-litellm-tags", "team-a, prod,t1"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  SCOPED_TRACE(lines_[0]);
  std::vector<std::string> tags;
  for (auto tag : record["request_tags"].get_array()) tags.emplace_back(std::string_view(tag));
  EXPECT_EQ(tags, (std::vector<std::string>{"t1", "team-a", "prod", "User-Agent: my-app",
                                            "User-Agent: my-app/1.0"}));
  EXPECT_EQ(int64_t(record["model_parameters"]["seed"]), 3);
  for (const char* absent : {"turn_off_message_logging", "litellm_metadata", "num_retries"}) {
    EXPECT_TRUE(record["model_parameters"][absent].error()) << absent;
  }
  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].find("litellm_metadata"), std::string::npos) << seen[0];
  EXPECT_EQ(seen[0].find("num_retries"), std::string::npos) << seen[0];
}

// Verifies that a model without a price is logged with cost 0 and the debug info saying why.
TEST_F(RecordFidelityE2eTest, UnpricedModelHasCostDebugInfo) {
  ASSERT_EQ(chat("private").status, 200);
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(double(record["response_cost"]), 0.0);
  EXPECT_EQ(std::string_view(record["response_cost_failure_debug_info"]["model"]),
            "my-private-model");
  EXPECT_EQ(int64_t(record["total_tokens"]), 18);
}

// Verifies that calls to a model_name with two deployments reach both (simple shuffle), each
// record naming the deployment that served it.
TEST_F(RecordFidelityE2eTest, SeveralDeploymentsAreShuffled) {
  constexpr int kCalls = 24;  // both deployments unseen after 24 calls: 2^-23
  for (int i = 0; i < kCalls; ++i) ASSERT_EQ(chat("balanced").status, 200);
  std::set<std::string> ids;
  std::set<std::string> models;
  for (const auto& line : records(kCalls)) {
    auto record = parser_.parse(line);
    ASSERT_FALSE(record.error()) << line;
    EXPECT_EQ(std::string_view(record["model_group"]), "balanced");
    ids.emplace(std::string_view(record["model_id"]));
    models.emplace(std::string_view(record["model"]));
  }
  EXPECT_EQ(ids, (std::set<std::string>{"dep-a", "dep-b"}));
  EXPECT_EQ(models, (std::set<std::string>{"gpt-4o", "gpt-4o-mini"}));
}

// Verifies a non-streamed text completion through a hosted_vllm/ deployment: the upstream gets
// the model without the prefix, the record says atext_completion and hosted_vllm.
TEST_F(RecordFidelityE2eTest, HostedVllmTextCompletion) {
  HttpReply reply = post("/completions", R"({"model":"vllm","prompt":"Say hi","max_tokens":3})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto answer = parser_.parse(reply.body);
  ASSERT_FALSE(answer.error()) << reply.body;
  EXPECT_EQ(std::string_view(answer["choices"].at(0)["text"]), "mock answer");
  auto seen = upstream_requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].find(R"(\"model\":\"meta-llama/Llama-3-8B\")"), std::string::npos) << seen[0];
  EXPECT_NE(seen[0].find(R"("path":"/v1/completions")"), std::string::npos) << seen[0];
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["call_type"]), "atext_completion");
  EXPECT_EQ(std::string_view(record["custom_llm_provider"]), "hosted_vllm");
  EXPECT_EQ(std::string_view(record["model"]), "meta-llama/Llama-3-8B");
  EXPECT_EQ(std::string_view(record["messages"]), "Say hi");
  EXPECT_EQ(std::string_view(record["response"]["choices"].at(0)["text"]), "mock answer");
}

// Verifies that an embeddings record keeps the response without its vectors and the usage.
TEST_F(RecordFidelityE2eTest, EmbeddingRecordLeavesOutVectors) {
  HttpReply reply = post("/embeddings", R"({"model":"embedder","input":"hello"})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.body.find("0.1,0.2,0.3"), std::string::npos) << "the client gets the vectors";
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["call_type"]), "aembedding");
  EXPECT_EQ(lines_[0].find("0.1,0.2,0.3"), std::string::npos) << lines_[0];
  EXPECT_EQ(std::string_view(record["response"]["data"].at(0)["object"]), "embedding");
  EXPECT_EQ(int64_t(record["prompt_tokens"]), 11);
}

}  // namespace
}  // namespace llmtap::test
