// What signing one Bedrock call with AWS SigV4 costs (docs/PERFORMANCE.md): sign_v4() on a
// Converse call with a ~2 KiB body, with and without a session token, against SHA-256 of the
// same body alone (the part of signing that grows with the body).
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "base/sha256.h"
#include "providers/bedrock/sigv4.h"

namespace llmtap::providers::bedrock {
namespace {

// A Converse body of about 2 KiB: one long user turn.
std::string converse_body() {
  std::string body = R"({"messages":[{"role":"user","content":[{"text":")";
  body.append(2048 - body.size() - 44, 'x');
  body += R"("}]}],"inferenceConfig":{"maxTokens":256}})";
  return body;
}

const SigningHeader kHeaders[] = {{"Content-Type", "application/json"}};

void run_signing(benchmark::State& state, std::string_view session_token) {
  const std::string body = converse_body();
  SigningRequest request;
  request.host = "bedrock-runtime.us-east-1.amazonaws.com";
  request.path = "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse";
  request.headers = kHeaders;
  request.payload = body;
  const AwsCredentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                   session_token};
  const SigningScope scope{"us-east-1", "bedrock"};
  const auto now = std::chrono::system_clock::now();
  for (auto _ : state) {
    SignedHeaders signed_headers = sign_v4(request, credentials, scope, now);
    benchmark::DoNotOptimize(signed_headers);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(body.size()));
}

void BM_SignBedrockRequest(benchmark::State& state) { run_signing(state, ""); }
BENCHMARK(BM_SignBedrockRequest);

void BM_SignBedrockRequestWithSessionToken(benchmark::State& state) {
  // An STS session token is ~1 KB of base64.
  const std::string token(1024, 'T');
  run_signing(state, token);
}
BENCHMARK(BM_SignBedrockRequestWithSessionToken);

// The baseline: hashing the body, which every signing does once.
void BM_Sha256Body(benchmark::State& state) {
  const std::string body = converse_body();
  for (auto _ : state) {
    Sha256Digest digest = sha256(body);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_Sha256Body);

}  // namespace
}  // namespace llmtap::providers::bedrock

BENCHMARK_MAIN();
