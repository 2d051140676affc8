// What a translated (Anthropic, Gemini, Cohere, Bedrock) call costs the gateway on top of an
// OpenAI-compatible pass-through one (docs/PERFORMANCE.md "Provider translation"; issue target:
// at most ~5 µs more per call). Each step is measured both ways on the same ~2 KB conversation
// and the same ~1.7 KB answer text, for every translated provider:
//   request  — upstream_body() (model swap, byte copy) vs the provider's request translator;
//   answer   — read_response() of an OpenAI answer vs the provider's to_chat_completion() +
//              read_response();
//   stream   — splitting an OpenAI stream into events vs translating the provider's stream of the
//              same answer (what the relay then does is the same for all); Bedrock's is AWS
//              event-stream frames, decoded by its translator.
// Bedrock's SigV4 signing and its event-stream decoding alone have their own benchmarks
// (sigv4_benchmark.cc, bedrock_eventstream_benchmark.cc).
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
#include "providers/bedrock/converse_answer.h"
#include "providers/bedrock/converse_request.h"
#include "providers/bedrock/eventstream.h"
#include "providers/bedrock/stream_translator.h"
#include "providers/cohere/chat_answer.h"
#include "providers/cohere/chat_request.h"
#include "providers/cohere/stream_translator.h"
#include "providers/gemini/generate_answer.h"
#include "providers/gemini/generate_request.h"
#include "providers/gemini/stream_translator.h"

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

std::string gemini_answer() {
  return R"({"candidates":[{"content":{"parts":[{"text":")" + content_text() +
         R"("}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":)"
         R"({"promptTokenCount":412,"candidatesTokenCount":380,"totalTokenCount":792},)"
         R"("modelVersion":"gemini-2.5-flash","responseId":"resp-1"})";
}

std::string cohere_answer() {
  return R"({"id":"29f14a5a","finish_reason":"COMPLETE","message":{"role":"assistant",)"
         R"("content":[{"type":"text","text":")" +
         content_text() +
         R"("}]},"usage":{"billed_units":{"input_tokens":412,"output_tokens":380},)"
         R"("tokens":{"input_tokens":412,"output_tokens":380}}})";
}

constexpr std::string_view kBedrockModel = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

// Converse returns no id, created or model (the gateway's are used), and metrics beside usage.
std::string bedrock_answer() {
  return R"({"output":{"message":{"role":"assistant","content":[{"text":")" + content_text() +
         R"("}]}},"stopReason":"end_turn","usage":{"inputTokens":412,"outputTokens":380,)"
         R"("totalTokens":792},"metrics":{"latencyMs":42}})";
}

// The answer's text in 40 deltas, as each API streams it.
constexpr int kDeltas = 40;

// Appends one event per delta: `before`, the delta's text, `after`.
void append_deltas(std::string& out, std::string_view before, std::string_view after) {
  const std::string text = content_text();
  const std::size_t piece = text.size() / kDeltas;
  for (int i = 0; i < kDeltas; ++i) {
    out += before;
    out += text.substr(static_cast<std::size_t>(i) * piece, piece);
    out += after;
  }
}

std::string openai_stream() {
  std::string out;
  append_deltas(out,
                R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,)"
                R"("model":"gpt-4o","choices":[{"index":0,"delta":{"content":")",
                "\"},\"finish_reason\":null}]}\n\n");
  out += R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,)"
         R"("model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
         "\n\ndata: [DONE]\n\n";
  return out;
}

std::string anthropic_stream() {
  std::string out =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
      "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
      "\"stop_reason\":null,\"usage\":{\"input_tokens\":412,\"output_tokens\":1}}}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
      "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: ping\ndata: {\"type\":\"ping\"}\n\n";
  append_deltas(out,
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                "\"delta\":{\"type\":\"text_delta\",\"text\":\"",
                "\"}}\n\n");
  out +=
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
      "\"end_turn\"},\"usage\":{\"output_tokens\":380}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  return out;
}

// Gemini streams each event as a whole response fragment (usage on each); the last one has the
// finish reason.
std::string gemini_stream() {
  std::string out;
  append_deltas(out, R"(data: {"candidates":[{"content":{"parts":[{"text":")",
                R"("}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":412,)"
                R"("candidatesTokenCount":9,"totalTokenCount":421},)"
                R"("modelVersion":"gemini-2.5-flash","responseId":"resp-1"})"
                "\r\n\r\n");
  out += R"(data: {"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},)"
         R"("finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":412,)"
         R"("candidatesTokenCount":380,"totalTokenCount":792},"modelVersion":"gemini-2.5-flash",)"
         R"("responseId":"resp-1"})"
         "\r\n\r\n";
  return out;
}

std::string cohere_stream() {
  std::string out =
      "event: message-start\ndata: {\"id\":\"29f14a5a\",\"type\":\"message-start\",\"delta\":"
      "{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],"
      "\"citations\":[]}}}\n\n"
      "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":"
      "{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n";
  append_deltas(out,
                "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":"
                "{\"message\":{\"content\":{\"text\":\"",
                "\"}}}}\n\n");
  out +=
      "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n"
      "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":"
      "\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":412,\"output_tokens\":380},"
      "\"tokens\":{\"input_tokens\":412,\"output_tokens\":380}}}}\n\n"
      "data: [DONE]\n\n";
  return out;
}

// AWS pads each ConverseStream event's payload with a `p` field of varying length (so sizes
// leak nothing), as tests/support/mock_bedrock.cc does; one fixed length here.
std::string bedrock_event(std::string_view type, std::string payload) {
  payload.insert(payload.size() - 1, R"(,"p":"abcdefghijklmnopqrstuvwxyzABCDEF")");
  return providers::bedrock::encode_event(type, payload);
}

std::string bedrock_stream() {
  std::string out = bedrock_event("messageStart", R"({"role":"assistant"})");
  const std::string text = content_text();
  const std::size_t piece = text.size() / kDeltas;
  for (int i = 0; i < kDeltas; ++i) {
    out += bedrock_event("contentBlockDelta",
                         R"({"contentBlockIndex":0,"delta":{"text":")" +
                             text.substr(static_cast<std::size_t>(i) * piece, piece) + "\"}}");
  }
  out += bedrock_event("contentBlockStop", R"({"contentBlockIndex":0})");
  out += bedrock_event("messageStop", R"({"stopReason":"end_turn"})");
  out += bedrock_event("metadata",
                       R"({"usage":{"inputTokens":412,"outputTokens":380,"totalTokens":792},)"
                       R"("metrics":{"latencyMs":42}})");
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

// Translates the request once per iteration; `translate` returns the provider's Result.
template <typename Translate>
void run_request(benchmark::State& state, Translate translate) {
  const std::string body = make_request();
  auto summary = payload::parse_request(body, payload::CallType::completion);
  if (!summary) return state.SkipWithError("the request does not parse");
  for (auto _ : state) {
    auto up = translate(*summary);
    if (!up) return state.SkipWithError(up.error().message.c_str());
    benchmark::DoNotOptimize(up);
  }
}

void BM_RequestAnthropic(benchmark::State& state) {
  providers::anthropic::RequestOptions options;
  options.upstream_model = "claude-sonnet-4-5";
  run_request(state, [&](const payload::RequestSummary& summary) {
    return providers::anthropic::to_messages_request(summary, options);
  });
}
BENCHMARK(BM_RequestAnthropic);

void BM_RequestGemini(benchmark::State& state) {
  providers::gemini::RequestOptions options;
  options.upstream_model = "gemini-2.5-flash";
  run_request(state, [&](const payload::RequestSummary& summary) {
    return providers::gemini::to_generate_request(summary, options);
  });
}
BENCHMARK(BM_RequestGemini);

void BM_RequestCohere(benchmark::State& state) {
  providers::cohere::RequestOptions options;
  options.upstream_model = "command-r-08-2024";
  run_request(state, [&](const payload::RequestSummary& summary) {
    return providers::cohere::to_chat_request(summary, options);
  });
}
BENCHMARK(BM_RequestCohere);

void BM_RequestBedrock(benchmark::State& state) {
  providers::bedrock::RequestOptions options;
  options.upstream_model = kBedrockModel;
  run_request(state, [&](const payload::RequestSummary& summary) {
    return providers::bedrock::to_converse_request(summary, options);
  });
}
BENCHMARK(BM_RequestBedrock);

void BM_AnswerPassThrough(benchmark::State& state) {
  const std::string body = openai_answer();
  for (auto _ : state) {
    payload::ResponseFacts facts = payload::read_response(body, {});
    benchmark::DoNotOptimize(facts);
  }
}
BENCHMARK(BM_AnswerPassThrough);

// Translates the answer and reads the translation, as the gateway does for its record.
template <typename Translate>
void run_answer(benchmark::State& state, const std::string& body, Translate translate) {
  for (auto _ : state) {
    auto answer = translate(body);
    if (!answer) return state.SkipWithError(answer.error().message.c_str());
    payload::ResponseFacts facts = payload::read_response(*answer, {});
    benchmark::DoNotOptimize(facts);
  }
}

void BM_AnswerAnthropic(benchmark::State& state) {
  run_answer(state, anthropic_answer(), [](std::string_view body) {
    return providers::anthropic::to_chat_completion(body, {"chatcmpl-1", 1741569952});
  });
}
BENCHMARK(BM_AnswerAnthropic);

void BM_AnswerGemini(benchmark::State& state) {
  run_answer(state, gemini_answer(), [](std::string_view body) {
    return providers::gemini::to_chat_completion(body,
                                                 {"chatcmpl-1", 1741569952, "gemini-2.5-flash"});
  });
}
BENCHMARK(BM_AnswerGemini);

void BM_AnswerCohere(benchmark::State& state) {
  run_answer(state, cohere_answer(), [](std::string_view body) {
    return providers::cohere::to_chat_completion(body,
                                                 {"chatcmpl-1", 1741569952, "command-r-08-2024"});
  });
}
BENCHMARK(BM_AnswerCohere);

void BM_AnswerBedrock(benchmark::State& state) {
  run_answer(state, bedrock_answer(), [](std::string_view body) {
    return providers::bedrock::to_chat_completion(
        body, {"chatcmpl-1", 1741569952, kBedrockModel, false, {}});
  });
}
BENCHMARK(BM_AnswerBedrock);

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

// Feeds `stream` to a fresh translator per iteration, as the relay does per call.
template <typename MakeTranslator>
void run_stream(benchmark::State& state, const std::string& stream, MakeTranslator make) {
  std::string out;
  for (auto _ : state) {
    auto translator = make();
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

void BM_StreamAnthropic(benchmark::State& state) {
  run_stream(state, anthropic_stream(), [] {
    return providers::anthropic::make_stream_translator({"chatcmpl-1", 1741569952, "claude"});
  });
}
BENCHMARK(BM_StreamAnthropic);

void BM_StreamGemini(benchmark::State& state) {
  run_stream(state, gemini_stream(), [] {
    return providers::gemini::make_stream_translator(
        {"chatcmpl-1", 1741569952, "gemini-2.5-flash"});
  });
}
BENCHMARK(BM_StreamGemini);

void BM_StreamCohere(benchmark::State& state) {
  run_stream(state, cohere_stream(), [] {
    return providers::cohere::make_stream_translator(
        {"chatcmpl-1", 1741569952, "command-r-08-2024"});
  });
}
BENCHMARK(BM_StreamCohere);

void BM_StreamBedrock(benchmark::State& state) {
  run_stream(state, bedrock_stream(), [] {
    return providers::bedrock::make_stream_translator(
        {"chatcmpl-1", 1741569952, std::string(kBedrockModel), false, {}});
  });
}
BENCHMARK(BM_StreamBedrock);

}  // namespace

BENCHMARK_MAIN();
