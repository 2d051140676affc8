// Building one record from a ~2 KB chat request and a ~2 KB response (spec §8: under 5 µs median),
// and the request parse the gateway does first.
#include <string>

#include <benchmark/benchmark.h>

#include "payload/record_builder.h"

namespace {

using namespace llmtap::payload;

std::string make_request() {
  std::string body = R"({"model":"gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."})";
  for (int i = 0; i < 6; ++i) {
    body += R"(,{"role":"user","content":"Please summarise the following paragraph about distributed )"
            R"(logging pipelines, batching, retries with jitter and at-least-once delivery. Turn )";
    body += std::to_string(i);
    body += R"(."},{"role":"assistant","content":"Batches are flushed by size or time; failures are retried."})";
  }
  body += R"(],"temperature":0.7,"max_tokens":256,"metadata":{"tags":["bench","prod"]},"user":"bench-user"})";
  return body;
}

std::string make_response() {
  std::string content;
  while (content.size() < 1700) content += "Logging pipelines batch records and retry with backoff. ";
  return R"({"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,)"
         R"("model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":")" +
         content +
         R"(","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":412,)"
         R"("completion_tokens":380,"total_tokens":792},"service_tier":"default","system_fingerprint":"fp_1"})";
}

struct BenchCall {
  std::string body = make_request();
  std::string response = make_response();
  RequestSummary summary = *parse_request(body, CallType::completion, nullptr);
  CallInfo call;
  BenchCall() {
    call.call_id = "9f6b5e2a-3c1d-4e8f-a7b6-1d2c3e4f5a6b";
    call.request_body = body;
    call.request = &summary;
    call.client_api_key = "sk-1234567890abcdef";
    call.requester_ip = "10.1.2.3";
    call.user_agent = "OpenAI/Python 1.40.0";
    call.request_headers = {{"Authorization", "Bearer sk-1234567890abcdef"},
                            {"Content-Type", "application/json"},
                            {"x-stainless-lang", "python"}};
    call.model_group = "gpt-4o";
    call.model = "gpt-4o";
    call.model_id = "deployment-1";
    call.custom_llm_provider = "openai";
    call.api_base = "https://api.openai.com/v1";
    call.response_body = response;
    call.response_headers = {{"x-ratelimit-remaining-requests", "4999"},
                             {"x-ratelimit-remaining-tokens", "799000"},
                             {"content-type", "application/json"}};
    call.start_time = 1741569951.5;
    call.end_time = 1741569952.25;
  }
};

void BM_BuildRecord(benchmark::State& state) {
  BenchCall bench;
  BuilderOptions options;
  options.prices = PriceMap::builtin();
  RecordBuilder builder(options);
  for (auto _ : state) {
    Record record = builder.build(bench.call);
    benchmark::DoNotOptimize(record);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bench.body.size() + bench.response.size()));
  state.counters["request_bytes"] = static_cast<double>(bench.body.size());
  state.counters["response_bytes"] = static_cast<double>(bench.response.size());
}
BENCHMARK(BM_BuildRecord);

void BM_ParseRequest(benchmark::State& state) {
  const std::string body = make_request();
  for (auto _ : state) {
    auto summary = parse_request(body, CallType::completion, nullptr);
    benchmark::DoNotOptimize(summary);
  }
}
BENCHMARK(BM_ParseRequest);

}  // namespace

BENCHMARK_MAIN();
