// bedrock/ deployments (README "model_list[]", Bedrock): the model id forms, the region, the
// endpoint and the credentials, as LiteLLM resolves them (config/bedrock_deployment.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/describe.h"
#include "config/loader.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

using ::testing::HasSubstr;
using testing::load;
using ::testing::Not;
using testing::strings;

// Verifies the model id forms: a plain id, `converse/`, an embedded `<region>/`, a cross-region
// profile and an ARN — the id sent, the region read, the regional endpoint, SigV4 auth.
TEST(BedrockDeploymentTest, ModelIdFormsAndRegions) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: bedrock/anthropic.claude-3-sonnet-20240229-v1:0,\n"
      "                     aws_region_name: us-east-1}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: bedrock/converse/us.anthropic.claude-3-5-haiku-20241022-v1:0}\n"
      "  - model_name: c\n"
      "    litellm_params: {model: bedrock/eu-central-1/amazon.nova-pro-v1:0}\n"
      "  - model_name: d\n"
      "    litellm_params:\n"
      "      model: bedrock/arn:aws:bedrock:ap-south-1:123456789012:inference-profile/x.y\n"
      "  - model_name: e\n"
      "    litellm_params: {model: bedrock/meta.llama3-70b-instruct-v1:0,\n"
      "                     aws_region_name: cn-north-1}\n",
      {{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "secret-env"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  EXPECT_TRUE(result.warnings.empty()) << ::testing::PrintToString(strings(result.warnings));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0].api, UpstreamApi::bedrock);
  EXPECT_EQ(d[0].auth, UpstreamAuth::aws_sigv4);
  EXPECT_EQ(d[0].url_form, UrlForm::bedrock);
  EXPECT_EQ(d[0].upstream_model, "anthropic.claude-3-sonnet-20240229-v1:0");
  EXPECT_EQ(d[0].aws.region, "us-east-1");
  EXPECT_EQ(d[0].api_base, "https://bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(d[1].upstream_model, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
  EXPECT_EQ(d[1].aws.region, "us-west-2");  // LiteLLM's default
  EXPECT_EQ(d[1].api_base, "https://bedrock-runtime.us-west-2.amazonaws.com");
  EXPECT_EQ(d[2].upstream_model, "amazon.nova-pro-v1:0");
  EXPECT_EQ(d[2].aws.region, "eu-central-1");
  EXPECT_EQ(d[3].upstream_model, "arn:aws:bedrock:ap-south-1:123456789012:inference-profile/x.y");
  EXPECT_EQ(d[3].aws.region, "ap-south-1");
  EXPECT_EQ(d[4].api_base, "https://bedrock-runtime.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(d[0].model, "bedrock/anthropic.claude-3-sonnet-20240229-v1:0");
}

// Verifies the region's order: aws_region_name, then AWS_REGION_NAME, then AWS_REGION.
TEST(BedrockDeploymentTest, RegionVariables) {
  const std::string yaml =
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0}\n";
  LoadResult both = load(yaml, {{"AWS_ACCESS_KEY_ID", "k"},
                                {"AWS_SECRET_ACCESS_KEY", "s"},
                                {"AWS_REGION_NAME", "eu-west-1"},
                                {"AWS_REGION", "eu-west-2"}});
  ASSERT_TRUE(both.config);
  EXPECT_EQ(both.config->deployments.at(0).aws.region, "eu-west-1");
  LoadResult region_only = load(
      yaml,
      {{"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_REGION", "eu-west-2"}});
  ASSERT_TRUE(region_only.config);
  EXPECT_EQ(region_only.config->deployments.at(0).aws.region, "eu-west-2");
}

// Verifies the credentials: the aws_* keys (with their own session token only), else the AWS_*
// variables with AWS_SESSION_TOKEN; a Bedrock API key (api_key, AWS_BEARER_TOKEN_BEDROCK) is a
// bearer token instead of a signature.
TEST(BedrockDeploymentTest, Credentials) {
  const std::string yaml =
      "model_list:\n"
      "  - model_name: configured\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0, aws_access_key_id: AKIDCONF,\n"
      "                     aws_secret_access_key: secret-conf}\n"
      "  - model_name: from-env\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0}\n"
      "  - model_name: api-key\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0, api_key: bedrock-key}\n";
  LoadResult result = load(yaml, {{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                  {"AWS_SECRET_ACCESS_KEY", "secret-env"},
                                  {"AWS_SESSION_TOKEN", "token-env"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].aws.access_key_id, "AKIDCONF");
  EXPECT_EQ(d[0].aws.secret_access_key, "secret-conf");
  EXPECT_EQ(d[0].aws.session_token, "");
  EXPECT_EQ(d[1].aws.access_key_id, "AKIDENV");
  EXPECT_EQ(d[1].aws.secret_access_key, "secret-env");
  EXPECT_EQ(d[1].aws.session_token, "token-env");
  EXPECT_EQ(d[1].auth, UpstreamAuth::aws_sigv4);
  EXPECT_EQ(d[2].auth, UpstreamAuth::bearer);
  EXPECT_EQ(d[2].api_key, "bedrock-key");

  LoadResult bearer = load(yaml, {{"AWS_BEARER_TOKEN_BEDROCK", "env-bedrock-key"}});
  ASSERT_TRUE(bearer.config);
  ASSERT_EQ(bearer.config->deployments.size(), 3u);
  EXPECT_EQ(bearer.config->deployments[1].auth, UpstreamAuth::bearer);
  EXPECT_EQ(bearer.config->deployments[1].api_key, "env-bedrock-key");
}

// Verifies the endpoint's order: api_base, aws_bedrock_runtime_endpoint,
// AWS_BEDROCK_RUNTIME_ENDPOINT, the region's.
TEST(BedrockDeploymentTest, EndpointOrder) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0, api_base: 'http://one:1/',\n"
      "                     aws_bedrock_runtime_endpoint: 'http://two:2'}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0,\n"
      "                     aws_bedrock_runtime_endpoint: 'http://two:2'}\n"
      "  - model_name: c\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0}\n",
      {{"AWS_ACCESS_KEY_ID", "k"},
       {"AWS_SECRET_ACCESS_KEY", "s"},
       {"AWS_BEDROCK_RUNTIME_ENDPOINT", "http://three:3"}});
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const auto& d = result.config->deployments;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].api_base, "http://one:1");
  EXPECT_EQ(d[1].api_base, "http://two:2");
  EXPECT_EQ(d[2].api_base, "http://three:3");
}

// Verifies what leaves a deployment out, each with its reason: no credentials, an API other
// than Converse, a malformed region. No secret is in any message.
TEST(BedrockDeploymentTest, UnusableDeploymentsSayWhy) {
  LoadResult none = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0}\n");
  ASSERT_TRUE(none.config);
  EXPECT_TRUE(none.config->deployments.empty());
  ASSERT_EQ(none.warnings.size(), 1u);
  EXPECT_THAT(none.warnings[0].message,
              HasSubstr("provider 'bedrock' needs AWS credentials: aws_access_key_id and "
                        "aws_secret_access_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"));

  LoadResult other = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: bedrock/invoke/anthropic.claude-v2, aws_region_name: 'US "
      "East',\n"
      "                     aws_access_key_id: AKID, aws_secret_access_key: very-secret}\n"
      "  - model_name: b\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0, aws_region_name: 'US East',\n"
      "                     aws_access_key_id: AKID, aws_secret_access_key: very-secret}\n");
  ASSERT_TRUE(other.config);
  EXPECT_TRUE(other.config->deployments.empty());
  ASSERT_EQ(other.warnings.size(), 2u);
  EXPECT_THAT(other.warnings[0].message,
              HasSubstr("Bedrock's invoke API is not served by llmtap (only Converse: write "
                        "'bedrock/converse/anthropic.claude-v2')"));
  EXPECT_THAT(other.warnings[1].message, HasSubstr("invalid AWS region 'US East'"));
  for (const auto& w : other.warnings) EXPECT_THAT(w.message, Not(HasSubstr("very-secret")));
}

// Verifies that check-config's report names the region and the masked key id, never the secret
// or the session token.
TEST(BedrockDeploymentTest, DescribeHidesTheSecret) {
  LoadResult result = load(
      "model_list:\n"
      "  - model_name: a\n"
      "    litellm_params: {model: bedrock/amazon.nova-lite-v1:0, aws_region_name: us-east-2,\n"
      "                     aws_access_key_id: AKIAEXAMPLEKEY1234, aws_secret_access_key: "
      "very-secret-value, aws_session_token: session-token-value}\n");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(strings(result.errors));
  const std::string report = describe(*result.config);
  EXPECT_THAT(report, HasSubstr("region us-east-2"));
  EXPECT_THAT(report, Not(HasSubstr("very-secret-value")));
  EXPECT_THAT(report, Not(HasSubstr("session-token-value")));
  EXPECT_THAT(report, Not(HasSubstr("AKIAEXAMPLEKEY1234")));
}

}  // namespace
}  // namespace llmtap::config
