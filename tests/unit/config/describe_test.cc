// describe() and masking: check-config must never print a secret in full.
#include "config/describe.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/mask.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

// Verifies that long secrets keep a 4-character hint and short ones are fully hidden.
TEST(MaskTest, KeepsAtMostFourCharacters) {
  EXPECT_EQ(mask_secret("Bearer sk-1234"), "Bear****");
  EXPECT_EQ(mask_secret("sk-12345"), "****");
  EXPECT_EQ(mask_secret(""), "****");
}

// Verifies that passwords, query values and token-like path segments are masked.
TEST(MaskTest, MasksSecretPartsOfUrls) {
  EXPECT_EQ(mask_url("https://user:pw@h.example:8443/a/b?key=secret&x=1"),
            "https://user:****@h.example:8443/a/b?key=****&x=****");
  EXPECT_EQ(mask_url("https://collectors.sumologic.com/receiver/v1/http/ZaVnC4dhaV0AbCdEfGhIjKlMn"),
            "https://collectors.sumologic.com/receiver/v1/http/ZaVn****");
  EXPECT_EQ(mask_url("http://127.0.0.1:9000/logs"), "http://127.0.0.1:9000/logs");
}

// Verifies that the report shows routes and loggers while every secret is masked.
TEST(DescribeTest, ListsDeploymentsAndCallbacksWithoutSecrets) {
  LoadResult result = testing::load(
      "model_list:\n"
      "  - model_name: gpt\n"
      "    litellm_params: {model: openai/gpt-4o, api_key: sk-proj-SECRETSECRET}\n"
      "  - model_name: fake\n"
      "    litellm_params: {model: openai/x, mock_response: hi}\n"
      "  - model_name: claude\n"
      "    litellm_params: {model: bedrock/claude}\n"
      "litellm_settings: {callbacks: [a]}\n"
      "callback_settings:\n"
      "  a:\n"
      "    callback_type: generic_api\n"
      "    endpoint: https://logs.example/in?token=TOPSECRETTOKEN\n"
      "    headers: {Authorization: Bearer sk-HEADERSECRET}\n"
      "general_settings: {master_key: sk-MASTERSECRET}\n");
  ASSERT_TRUE(result.config);
  const std::string text = describe(*result.config);
  for (auto secret : {"SECRETSECRET", "HEADERSECRET", "MASTERSECRET", "TOPSECRETTOKEN"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked:\n" << text;
  }
  for (auto expected :
       {"gpt -> openai/gpt-4o @ https://api.openai.com/v1",
        "fake -> mock_response (answered locally)", "models with no usable deployment: claude",
        "a -> https://logs.example/in?token=****", "events llm_api_success, llm_api_failure",
        "log_format json_array, when_full drop_oldest", "batch_size 100, flush_interval 60s",
        "Authorization: Bear****", "Content-Type: application/json", "master_key: sk-M****",
        "api_key sk-p****", "request_read_timeout: 30s"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in:\n"
                                                      << text;
  }
}

}  // namespace
}  // namespace llmtap::config
