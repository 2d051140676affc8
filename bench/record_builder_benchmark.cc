// Building one record from a ~2 KB chat request and a ~2 KB response (docs/PERFORMANCE.md: under
// 5 µs median), the request parse the gateway does first, the response walk the builder does, and
// how each grows with the size of the bodies.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "payload/json_scanner.h"
#include "payload/record_builder.h"
#include "support/chat_call.h"

namespace {

using namespace llmtap::payload;

// A chat request of about 300 + 330 * turns bytes (6 turns: ~2 KB).
std::string make_request(int turns = 6) {
  std::string body =
      R"({"model":"gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."})";
  for (int i = 0; i < turns; ++i) {
    body +=
        R"(,{"role":"user","content":"Please summarise the following paragraph about distributed )"
        R"(logging pipelines, batching, retries with jitter and at-least-once delivery. Turn )";
    body += std::to_string(i);
    body +=
        R"(."},{"role":"assistant","content":"Batches are flushed by size or time; failures are retried."})";
  }
  body +=
      R"(],"temperature":0.7,"max_tokens":256,"metadata":{"tags":["bench","prod"]},"user":"bench-user"})";
  return body;
}

// A chat completion of about 350 + content_bytes bytes (1700: ~2 KB).
std::string make_response(std::size_t content_bytes = 1700) {
  std::string content;
  while (content.size() < content_bytes)
    content += "Logging pipelines batch records and retry with backoff. ";
  return R"({"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,)"
         R"("model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":")" +
         content +
         R"(","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":412,)"
         R"("completion_tokens":380,"total_tokens":792},"service_tier":"default","system_fingerprint":"fp_1"})";
}

// The call the record builder's tests pin (tests/support/chat_call.h), with bodies of a chosen
// size.
struct BenchCall : llmtap::test::ChatCall {
  explicit BenchCall(int turns = 6, std::size_t content_bytes = 1700)
      : ChatCall(make_request(turns), make_response(content_bytes)) {}
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
    auto summary = parse_request(body, CallType::completion);
    benchmark::DoNotOptimize(summary);
  }
}
BENCHMARK(BM_ParseRequest);

// Request and response grown together: ~0.6, 2, 8 and 32 KB each.
void BM_BuildRecordSized(benchmark::State& state) {
  const int turns = static_cast<int>(state.range(0));
  BenchCall bench(turns, static_cast<std::size_t>(turns) * 280);
  BuilderOptions options;
  options.prices = PriceMap::builtin();
  RecordBuilder builder(options);
  std::size_t record_bytes = 0;
  for (auto _ : state) {
    Record record = builder.build(bench.call);
    record_bytes = record.size();
    benchmark::DoNotOptimize(record);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bench.body.size() + bench.response.size()));
  state.counters["request_bytes"] = static_cast<double>(bench.body.size());
  state.counters["response_bytes"] = static_cast<double>(bench.response.size());
  state.counters["record_bytes"] = static_cast<double>(record_bytes);
}
BENCHMARK(BM_BuildRecordSized)->ArgName("turns")->Arg(1)->Arg(6)->Arg(24)->Arg(96);

void BM_ParseRequestSized(benchmark::State& state) {
  const std::string body = make_request(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto summary = parse_request(body, CallType::completion);
    benchmark::DoNotOptimize(summary);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(body.size()));
  state.counters["request_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ParseRequestSized)->ArgName("turns")->Arg(1)->Arg(6)->Arg(24)->Arg(96);

// What RecordBuilder does with an upstream answer before writing it: iterate it with the
// thread's scanner and validate every member (the builder keeps the slices). RecordBuilder has no
// separate entry point for this, so the same JsonScanner calls are made here.
void BM_ParseResponse(benchmark::State& state) {
  const std::string body = make_response(static_cast<std::size_t>(state.range(0)));
  JsonScanner& scanner = JsonScanner::local();
  for (auto _ : state) {
    simdjson::ondemand::document doc;
    if (scanner.iterate(body, doc) != simdjson::SUCCESS) state.SkipWithError("iterate failed");
    simdjson::ondemand::object root;
    if (doc.get_object().get(root) != simdjson::SUCCESS) state.SkipWithError("not an object");
    std::size_t members = 0;
    for (auto field_result : root) {
      simdjson::ondemand::field field;
      std::string_view key;
      simdjson::ondemand::json_type type;
      if (JsonScanner::member(std::move(field_result), field, key, type) != simdjson::SUCCESS)
        break;
      std::string_view raw;
      if (JsonScanner::scan(field.value(), &raw) != simdjson::SUCCESS) break;
      ++members;
    }
    benchmark::DoNotOptimize(members);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(body.size()));
  state.counters["response_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ParseResponse)->ArgName("content_bytes")->Arg(1700)->Arg(400)->Arg(7000)->Arg(28000);

}  // namespace

BENCHMARK_MAIN();
