// End-to-end secret search (README "The record", issue #3 point 4): one config holding every kind
// of secret llmtap knows — provider api_keys, the master key, callback header values, a webhook
// signing secret — drives success, upstream failures (a 401 that echoes the provider key, as OpenAI
// does, and a 500), a stream, embeddings and bad requests; then every byte the receiver got is
// searched for each secret and for the client's raw key. Only the key's sha256 may appear.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/e2e_fixture.h"
#include "integration/scripted_upstream.h"
#include "support/temp_dir.h"

namespace llmtap::test {
namespace {

constexpr std::string_view kProviderKey = "sk-provider-5ecret-a1b2c3d4";
constexpr std::string_view kOtherProviderKey = "sk-embed-5ecret-e5f6a7b8";
constexpr std::string_view kMasterKey = "sk-master-5ecret-0123456789";
constexpr std::string_view kCallbackBearer = "cb-bearer-5ecret-77aa";
constexpr std::string_view kCallbackHeader = "cb-header-5ecret-88bb";
// Standard Webhooks secret; its key is the base64 part, so the decoded bytes are searched too.
constexpr std::string_view kSigningSecret = "whsec_c2lnbmluZy01ZWNyZXQta2V5LTEyMzQ1Njc4";
constexpr std::string_view kSigningKeyBytes = "signing-5ecret-key-12345678";
constexpr std::string_view kBodyApiKey = "sk-body-5ecret-cafe";
// sha256("sk-master-5ecret-0123456789"), computed outside llmtap (python3 hashlib).
constexpr std::string_view kMasterKeyHash =
    "9ed33f19677560ec2a0758d3ca7c2eab1735b06ca7d29cd652681b46a57addd0";

std::string config() {
  const std::string provider = "api_key: os.environ/PROVIDER_KEY\napi_base: {UPSTREAM}/v1";
  ConfigBuilder builder;
  builder.deployment("gpt-4o", "model: openai/gpt-4o\n" + provider)
      .deployment("rejected", "model: openai/status-401\n" + provider)
      .deployment("broken", "model: openai/status-500\n" + provider)
      .deployment("cut", "model: openai/cut\n" + provider)
      .deployment("garbage", "model: openai/garbage\n" + provider)
      .deployment("embedder", "model: openai/text-embedding-3-small\napi_key: " +
                                  std::string(kOtherProviderKey) + "\napi_base: {UPSTREAM}/v1")
      .master_key(kMasterKey);
  builder.callback("test_sink")
      .header("Authorization", "Bearer " + std::string(kCallbackBearer))
      .header("X-Collector-Token", "os.environ/COLLECTOR_TOKEN")
      .set("signing_secret", kSigningSecret);
  return builder.yaml();
}

class SecretsE2eTest : public E2eFixture {
 protected:
  HttpReply send(std::string_view path, const std::string& body, const HeaderList& extra = {}) {
    HeaderList headers = {{"Content-Type", "application/json"},
                          {"Authorization", "Bearer " + std::string(kMasterKey)}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return http_request(llmtap_.port, "POST", path, headers, body);
  }
};

// Verifies that no secret from the config, nor the client's raw key, appears in any record of
// successes, upstream failures echoing the provider key, streams, embeddings and bad requests,
// while the client key's sha256 does.
TEST_F(SecretsE2eTest, NoSecretInAnyRecord) {
  sink_args_ = {"--signing-secret", std::string(kSigningSecret)};
  start(config(),
        {{"PROVIDER_KEY", std::string(kProviderKey)},
         {"COLLECTOR_TOKEN", std::string(kCallbackHeader)}},
        /*with_upstream=*/true);
  const std::string chat = R"({"messages":[{"role":"user","content":"hello"}],"model":")";
  const HeaderList client_extras = {{"X-Api-Key", std::string(kMasterKey)},
                                    {"api-key", std::string(kMasterKey)},
                                    {"X-Request-Source", "secret-test"}};
  struct Call {
    std::string path;
    std::string body;
    int status;
  };
  const std::vector<Call> calls = {
      {"/v1/chat/completions", chat + R"(gpt-4o","api_key":")" + std::string(kBodyApiKey) + "\"}",
       200},
      {"/v1/chat/completions", chat + R"(rejected"})", 401},
      {"/v1/chat/completions", chat + R"(rejected","stream":true})", 401},
      {"/v1/chat/completions", chat + R"(broken"})", 500},
      {"/v1/chat/completions", chat + R"(garbage"})", 502},
      {"/v1/chat/completions", chat + R"(gpt-4o","stream":true})", 200},
      {"/v1/chat/completions", chat + R"(cut","stream":true})", 200},
      {"/v1/embeddings", R"({"model":"embedder","input":"hello"})", 200},
      {"/v1/chat/completions", R"({"model":"gpt-4o","messages":"not a list"})", 400},
      {"/v1/chat/completions", chat + R"(no-such-model"})", 404},
  };
  for (const Call& call : calls) {
    HttpReply reply = send(call.path, call.body, client_extras);
    ASSERT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, call.status) << call.body << " → " << reply.body;
    // The provider key the upstream echoed must not reach the client either.
    EXPECT_EQ(reply.body.find(kProviderKey), std::string::npos) << reply.body;
  }
  ASSERT_EQ(records(calls.size()).size(), calls.size());
  // The signed batches were accepted by the sink (so the signing secret was in use).
  for (const std::string& line : sink_requests())
    EXPECT_NE(line.find(R"("signature":"ok")"), std::string::npos) << line;

  // Every byte the receiver kept of every record.
  const std::string received = read_file(records_file_);
  for (std::string_view secret :
       {kProviderKey, kOtherProviderKey, kMasterKey, kCallbackBearer, kCallbackHeader,
        kSigningSecret, kSigningKeyBytes, kBodyApiKey, std::string_view("5ecret")}) {
    EXPECT_EQ(received.find(secret), std::string::npos) << "leaked: " << secret;
  }
  EXPECT_NE(received.find(kMasterKeyHash), std::string::npos)
      << "the client key's sha256 is recorded";
  // The upstream's 401 text is kept, with the key masked.
  EXPECT_NE(received.find("Incorrect API key provided: [api_key redacted]"), std::string::npos);
}

// Verifies that a provider key an upstream echoes in an error event mid-stream (after the client's
// stream has begun) is masked in what the client gets, as it is in the record.
TEST_F(SecretsE2eTest, KeyEchoedInAnErrorEventMidStreamIsMasked) {
  const std::string events =
      std::string(
          R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o",)") +
      R"("choices":[{"index":0,"delta":{"content":"Hel"}}]})" + "\n\n" +
      R"(data: {"error":{"message":"Incorrect API key provided: )" + std::string(kProviderKey) +
      R"(","type":"invalid_request_error"}})" + "\n\n";
  ScriptedUpstream upstream(ScriptedUpstream::http_200("text/event-stream", events));
  ASSERT_TRUE(upstream.listening());
  start(ConfigBuilder()
            .deployment("echo", "model: openai/gpt-4o\napi_key: " + std::string(kProviderKey) +
                                    "\napi_base: http://127.0.0.1:" +
                                    std::to_string(upstream.port()) + "/v1")
            .master_key(kMasterKey)
            .yaml());
  HttpReply reply =
      send("/v1/chat/completions",
           R"({"model":"echo","messages":[{"role":"user","content":"Hello"}],"stream":true})");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(upstream.requests(), 1);
  EXPECT_NE(reply.body.find("Incorrect API key provided: [api_key redacted]"), std::string::npos)
      << reply.body;
  EXPECT_EQ(reply.body.find(kProviderKey), std::string::npos) << reply.body;
  auto record = only_record();
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(std::string_view(record["status"]), "failure");
  EXPECT_EQ(lines_[0].find(kProviderKey), std::string::npos) << lines_[0];
}

}  // namespace
}  // namespace llmtap::test
