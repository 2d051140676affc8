// What RequestHandler costs per call, upstream and client excluded (docs/PERFORMANCE.md
// "Router"): a chat completion handed to the handler, forwarded to an upstream that answers at
// once with a canned OpenAI answer, answered to a client that takes it at once; the record built
// and handed to a sink that drops it (BM_HandleChatCall) or not built (BM_HandleChatCallNoRecord).
// The same file builds against earlier commits (see after() below), so an A/B of two builds
// shows what a change added to the request path; callgrind's instruction counts make that
// comparison steady on a shared machine.
#include <benchmark/benchmark.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "gateway/record_sink.h"
#include "gateway/request_handler.h"
#include "gateway/upstream_transport.h"
#include "payload/record_builder.h"

namespace llmtap::gateway {
namespace {

const std::string kAnswer =
    R"({"id":"chatcmpl-up1","object":"chat.completion","created":1700000000,)"
    R"("model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant",)"
    R"("content":"Hello! How can I help you today?"},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18}})";

const std::string kRequest =
    R"({"model":"gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."},)"
    R"({"role":"user","content":"Say hello in one short sentence, please."}],)"
    R"("temperature":0.2,"max_tokens":64,"user":"bench-user"})";

class InstantUpstream final : public UpstreamTransport {
 public:
  void send(http::ClientRequest, std::function<void(http::ClientResult)> done) override {
    http::ClientResult result;
    result.response.status = 200;
    result.response.headers = {{"Content-Type", "application/json"}};
    result.response.body = kAnswer;
    done(std::move(result));
  }
  void send_streaming(http::ClientRequest, http::StreamCallbacks) override {}
  // Before the router (commit b254582) the interface had no after(): drop `override` to build
  // this file there.
  void after(std::chrono::milliseconds, std::function<void()> fn) override { fn(); }
};

class DroppingSink final : public RecordSink {
 public:
  explicit DroppingSink(bool wanted) : wanted_(wanted) {}
  void dispatch(const payload::Record& record) override { benchmark::DoNotOptimize(&record); }
  bool wants_records() const override { return wanted_; }
  std::string metrics_text() const override { return {}; }

 private:
  bool wanted_;
};

class InstantClient final : public http::Responder {
 public:
  void respond(http::Response response) override { benchmark::DoNotOptimize(response.body); }
  void begin_stream(int, http::Headers) override {}
  void write(std::string, std::function<void(bool)> on_written) override {
    if (on_written) on_written(true);
  }
  void end_stream() override {}
  bool client_gone() const override { return false; }
};

config::Config bench_config() {
  config::Config c;
  config::Deployment d;
  d.model_name = "gpt-4o";
  d.model = "openai/gpt-4o-2024-08-06";
  d.provider = "openai";
  d.upstream_model = "gpt-4o-2024-08-06";
  d.api_key = "sk-bench-0123456789";
  d.api_base = "https://api.example.com/v1";
  d.id = "gpt-4o-1";
  c.deployments = {d};
  c.model_names = {"gpt-4o"};
  return c;
}

void run_calls(benchmark::State& state, bool records) {
  const config::Config config = bench_config();
  InstantUpstream upstream;
  payload::RecordBuilder builder{payload::BuilderOptions{}};
  DroppingSink sink(records);
  auto handler = std::make_shared<RequestHandler>(config, upstream, builder, sink);
  auto client = std::make_shared<InstantClient>();
  for (auto _ : state) {
    http::Request request;
    request.method = "POST";
    request.target = "/v1/chat/completions";
    request.headers = {{"Content-Type", "application/json"},
                       {"Authorization", "Bearer sk-client"},
                       {"User-Agent", "bench/1"}};
    request.body = kRequest;
    request.remote_address = "127.0.0.1";
    handler->handle(std::move(request), client);
  }
}

void BM_HandleChatCall(benchmark::State& state) { run_calls(state, true); }
BENCHMARK(BM_HandleChatCall);

void BM_HandleChatCallNoRecord(benchmark::State& state) { run_calls(state, false); }
BENCHMARK(BM_HandleChatCallNoRecord);

}  // namespace
}  // namespace llmtap::gateway

BENCHMARK_MAIN();
