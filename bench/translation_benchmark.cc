// What a translated (Anthropic) call costs the gateway on top of an OpenAI-compatible pass-through
// one (docs/PERFORMANCE.md "Provider translation"; issue target: at most ~5 µs more per call).
// Each pair measures the same step both ways on the same ~2 KB conversation:
//   request  — upstream_body() (model swap, byte copy) vs to_messages_request();
//   answer   — read_response() of an OpenAI answer vs to_chat_completion() + read_response();
//   stream   — splitting an OpenAI stream into events vs translating the Anthropic stream of the
//              same answer (what the relay then does is the same for both).
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "gateway/upstream_body.h"
#include "http/sse_splitter.h"
#include "payload/request_summary.h"
#include "payload/response_reader.h"
#include "providers/anthropic/messages_answer.h"
#include "providers/anthropic/messages_request.h"
#include "providers/anthropic/stream_translator.h"

namespace {

using namespace llmtap;

// A chat request of about 2 KB: a system prompt and six user/assistant turns.
std::string make_request() {
  std::string body =
      R"({"model":"claude","messages":[{"role":"system","content":"You are a helpful assistant."})";
  for (int i = 0; i < 6; ++i) {
    body +=
        R"(,{"role":"user","content":"Please summarise the following paragraph about distributed )"
        R"(logging pipelines, batching, retries with jitter and at-least-once delivery. Turn )";
    body += std::to_string(i);
    body +=
        R"(."},{"role":"assistant","content":"Batches are flushed by size or time; failures are retried."})";
  }
  body +=
      R"(,{"role":"user","content":"And now?"}],"temperature":0.7,"max_tokens":256,"user":"u1"})";
  return body;
}

std::string content_text() {
  std::string content;
  while (content.size() < 1700)
    content += "Logging pipelines batch records and retry with backoff. ";
  return content;
}

std::string openai_answer() {
  return R"({"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o",)"
         R"("choices":[{"index":0,"message":{"role":"assistant","content":")" +
         content_text() +
         R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":412,"completion_tokens":380,)"
         R"("total_tokens":792}})";
}

std::string anthropic_answer() {
  return R"({"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",)"
         R"("content":[{"type":"text","text":")" +
         content_text() +
         R"("}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":412,)"
         R"("output_tokens":380,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}})";
}

// The answer's text in 40 deltas, as each API streams it.
constexpr int kDeltas = 40;

std::string openai_stream() {
  const std::string text = content_text();
  const std::size_t piece = text.size() / kDeltas;
  std::string out;
  for (int i = 0; i < kDeltas; ++i) {
    out += R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,)"
           R"("model":"gpt-4o","choices":[{"index":0,"delta":{"content":")";
    out += text.substr(static_cast<std::size_t>(i) * piece, piece);
    out += "\"},\"finish_reason\":null}]}\n\n";
  }
  out += R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,)"
         R"("model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
         "\n\ndata: [DONE]\n\n";
  return out;
}

std::string anthropic_stream() {
  const std::string text = content_text();
  const std::size_t piece = text.size() / kDeltas;
  std::string out =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
      "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
      "\"stop_reason\":null,\"usage\":{\"input_tokens\":412,\"output_tokens\":1}}}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
      "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: ping\ndata: {\"type\":\"ping\"}\n\n";
  for (int i = 0; i < kDeltas; ++i) {
    out +=
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        "\"delta\":{\"type\":\"text_delta\",\"text\":\"";
    out += text.substr(static_cast<std::size_t>(i) * piece, piece);
    out += "\"}}\n\n";
  }
  out +=
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
      "\"end_turn\"},\"usage\":{\"output_tokens\":380}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  return out;
}

void BM_RequestPassThrough(benchmark::State& state) {
  const std::string body = make_request();
  auto summary = payload::parse_request(body, payload::CallType::completion);
  if (!summary) return state.SkipWithError("the request does not parse");
  for (auto _ : state) {
    std::string up = gateway::upstream_body(body, *summary, "gpt-4o", false);
    benchmark::DoNotOptimize(up);
  }
}
BENCHMARK(BM_RequestPassThrough);

void BM_RequestAnthropic(benchmark::State& state) {
  const std::string body = make_request();
  auto summary = payload::parse_request(body, payload::CallType::completion);
  if (!summary) return state.SkipWithError("the request does not parse");
  providers::anthropic::RequestOptions options;
  options.upstream_model = "claude-sonnet-4-5";
  for (auto _ : state) {
    auto up = providers::anthropic::to_messages_request(*summary, options);
    if (!up) return state.SkipWithError(up.error().message.c_str());
    benchmark::DoNotOptimize(up);
  }
}
BENCHMARK(BM_RequestAnthropic);

void BM_AnswerPassThrough(benchmark::State& state) {
  const std::string body = openai_answer();
  for (auto _ : state) {
    payload::ResponseFacts facts = payload::read_response(body, {});
    benchmark::DoNotOptimize(facts);
  }
}
BENCHMARK(BM_AnswerPassThrough);

void BM_AnswerAnthropic(benchmark::State& state) {
  const std::string body = anthropic_answer();
  for (auto _ : state) {
    auto answer = providers::anthropic::to_chat_completion(body, {"chatcmpl-1", 1741569952});
    if (!answer) return state.SkipWithError(answer.error().message.c_str());
    payload::ResponseFacts facts = payload::read_response(*answer, {});
    benchmark::DoNotOptimize(facts);
  }
}
BENCHMARK(BM_AnswerAnthropic);

// Fed in 1 KiB pieces, as a socket might deliver them.
constexpr std::size_t kPiece = 1024;

void BM_StreamPassThrough(benchmark::State& state) {
  const std::string stream = openai_stream();
  for (auto _ : state) {
    http::SseSplitter splitter;
    http::SseEvent event;
    std::size_t events = 0;
    for (std::size_t at = 0; at < stream.size(); at += kPiece) {
      splitter.append(std::string_view(stream).substr(at, kPiece));
      while (splitter.next(event)) ++events;
    }
    benchmark::DoNotOptimize(events);
  }
}
BENCHMARK(BM_StreamPassThrough);

void BM_StreamAnthropic(benchmark::State& state) {
  const std::string stream = anthropic_stream();
  std::string out;
  for (auto _ : state) {
    auto translator =
        providers::anthropic::make_stream_translator({"chatcmpl-1", 1741569952, "claude"});
    for (std::size_t at = 0; at < stream.size(); at += kPiece) {
      out.clear();
      translator->feed(std::string_view(stream).substr(at, kPiece), out);
      benchmark::DoNotOptimize(out);
    }
    out.clear();
    translator->finish(out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_StreamAnthropic);

}  // namespace

BENCHMARK_MAIN();
