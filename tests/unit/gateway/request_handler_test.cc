#include "gateway/request_handler.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/key_mask.h"
#include "gateway/record_sink.h"
#include "gateway/upstream_transport.h"

namespace llmtap::gateway {
namespace {

// An upstream that keeps each exchange it is asked for; the test answers it when it wants to
// (at once, or after looking at the request, or never — a timeout is one more answer).
class FakeUpstream final : public UpstreamTransport {
 public:
  struct Exchange {
    http::ClientRequest request;
    std::function<void(http::ClientResult)> done;  // whole answers
    http::StreamCallbacks stream;                  // streamed ones
  };

  void send(http::ClientRequest request, std::function<void(http::ClientResult)> done) override {
    exchanges.push_back({std::move(request), std::move(done), {}});
  }
  void send_streaming(http::ClientRequest request, http::StreamCallbacks callbacks) override {
    exchanges.push_back({std::move(request), {}, std::move(callbacks)});
  }
  // Waits are kept; run_timer() is the time passing.
  void after(std::chrono::milliseconds delay, std::function<void()> fn) override {
    timers.push_back({delay, std::move(fn)});
  }
  void run_timer() {
    ASSERT_EQ(timers.size(), 1u);
    auto fn = std::move(timers[0].second);
    timers.clear();
    fn();
  }

  // Answers the newest exchange with a whole response.
  void answer_last(int status, std::string body, http::Headers headers = {}) {
    ASSERT_FALSE(exchanges.empty());
    http::ClientResult result;
    result.response.status = status;
    result.response.headers = std::move(headers);
    result.response.body = std::move(body);
    exchanges.back().done(std::move(result));
  }

  // Answers the only exchange with a whole response.
  void answer(int status, std::string body, http::Headers headers = {}) {
    ASSERT_EQ(exchanges.size(), 1u);
    http::ClientResult result;
    result.response.status = status;
    result.response.headers = std::move(headers);
    result.response.body = std::move(body);
    exchanges[0].done(std::move(result));
  }
  // Ends the only exchange with a failure before any answer.
  void fail(http::ClientError error, std::string message) {
    ASSERT_EQ(exchanges.size(), 1u);
    http::ClientResult result;
    result.error = error;
    result.error_message = std::move(message);
    if (exchanges[0].done) {
      exchanges[0].done(std::move(result));
    } else {
      exchanges[0].stream.on_done(std::move(result));
    }
  }

  std::vector<Exchange> exchanges;
  std::vector<std::pair<std::chrono::milliseconds, std::function<void()>>> timers;
};

// Keeps every record handed to it.
class FakeSink final : public RecordSink {
 public:
  void dispatch(const payload::Record& record) override { records.push_back(record); }
  bool wants_records() const override { return wanted; }
  std::string metrics_text() const override { return "delivery_metric_from_sink 7\n"; }

  std::vector<payload::Record> records;
  bool wanted = true;
};

// What the client got. Writes complete at once, as a client reading promptly sees them.
class FakeResponder final : public http::Responder {
 public:
  void respond(http::Response r) override { responses.push_back(std::move(r)); }
  void begin_stream(int status, http::Headers headers) override {
    stream_status = status;
    stream_headers = std::move(headers);
  }
  void write(std::string chunk, std::function<void(bool)> on_written) override {
    chunks.push_back(std::move(chunk));
    if (on_written) on_written(!gone);
  }
  void end_stream() override { ++ended; }
  bool client_gone() const override { return gone; }

  std::string streamed() const {
    std::string all;
    for (const auto& chunk : chunks) all += chunk;
    return all;
  }

  std::vector<http::Response> responses;
  int stream_status = 0;
  http::Headers stream_headers;
  std::vector<std::string> chunks;
  int ended = 0;
  bool gone = false;  // the client has closed its connection: writes fail from then on
};

constexpr std::string_view kOpenAiKey = "sk-openai-test-key-0123456789";

config::Deployment deployment(std::string name, std::string provider, std::string upstream_model,
                              std::string_view key, std::string api_base) {
  config::Deployment d;
  d.model_name = std::move(name);
  d.model = provider + "/" + upstream_model;
  d.provider = std::move(provider);
  d.upstream_model = std::move(upstream_model);
  d.api_key = key;
  d.api_base = std::move(api_base);
  d.id = d.model_name + "-1";
  return d;
}

config::Deployment openai_deployment() {
  config::Deployment d =
      deployment("gpt-4o", "openai", "gpt-4o-2024-08-06", kOpenAiKey, "https://api.example.com/v1");
  d.timeout = std::chrono::seconds(30);
  return d;
}

config::Deployment gemini_deployment() {
  config::Deployment d = deployment("gemini", "gemini", "gemini-2.0-flash", "AIza-gemini-test-key",
                                    "https://generativelanguage.googleapis.com");
  d.api = config::UpstreamApi::gemini;
  d.auth = config::UpstreamAuth::x_goog_api_key;
  d.url_form = config::UrlForm::gemini;
  return d;
}

config::Deployment anthropic_deployment() {
  config::Deployment d =
      deployment("claude", "anthropic", "claude-3-5-haiku-latest", "sk-ant-test-key-0123456789",
                 "https://api.anthropic.com/v1/messages");
  d.api = config::UpstreamApi::anthropic;
  d.auth = config::UpstreamAuth::x_api_key;
  return d;
}

config::Config gateway_config(std::string master_key = {}) {
  config::Config c;
  c.deployments = {openai_deployment(), gemini_deployment(), anthropic_deployment()};
  // "unusable": listed in model_list, but no deployment of it could be used.
  c.model_names = {"gpt-4o", "gemini", "claude", "unusable"};
  c.master_key = std::move(master_key);
  // One attempt per call: these tests are about each answer; retries have tests of their own.
  c.router.num_retries = 0;
  return c;
}

struct Gateway {
  explicit Gateway(config::Config c = gateway_config()) : config(std::move(c)) {
    handler = std::make_shared<RequestHandler>(config, upstream, builder, sink);
  }

  // Sends a request and returns what its client sees.
  std::shared_ptr<FakeResponder> call(std::string target, std::string body,
                                      http::Headers headers = {}, std::string method = "POST") {
    http::Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.headers = std::move(headers);
    request.body = std::move(body);
    request.remote_address = "10.0.0.7";
    auto responder = std::make_shared<FakeResponder>();
    handler->handle(std::move(request), responder);
    return responder;
  }
  std::shared_ptr<FakeResponder> chat(std::string_view model, bool stream = false) {
    return call("/v1/chat/completions",
                std::string(R"({"model":")") + std::string(model) +
                    R"(","messages":[{"role":"user","content":"Say hi"}])" +
                    (stream ? R"(,"stream":true})" : "}"),
                {{"Content-Type", "application/json"}, {"User-Agent", "unit-test/1"}});
  }

  config::Config config;
  FakeUpstream upstream;
  payload::RecordBuilder builder{payload::BuilderOptions{}};
  FakeSink sink;
  std::shared_ptr<RequestHandler> handler;
};

// A JSON document (a record, a body) and lookups into it by JSON pointer.
class Json {
 public:
  explicit Json(std::string_view text) : text_(text) {
    EXPECT_EQ(parser_.parse(text_).get(root_), simdjson::SUCCESS) << text;
  }
  std::string str(std::string_view pointer) {
    std::string_view value;
    if (root_.at_pointer(pointer).get_string().get(value) != simdjson::SUCCESS) return "<absent>";
    return std::string(value);
  }
  bool is_null(std::string_view pointer) { return root_.at_pointer(pointer).is_null(); }
  bool boolean(std::string_view pointer) {
    bool value = false;
    return root_.at_pointer(pointer).get_bool().get(value) == simdjson::SUCCESS && value;
  }
  std::int64_t integer(std::string_view pointer) {
    std::int64_t value = -1;
    if (root_.at_pointer(pointer).get_int64().get(value) != simdjson::SUCCESS) return -1;
    return value;
  }

 private:
  std::string text_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

const std::string kOpenAiAnswer =
    R"({"id":"chatcmpl-up1","object":"chat.completion","created":1700000000,)"
    R"("model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant",)"
    R"("content":"Hi!"},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}})";

std::string full_url(const http::ClientRequest& request) {
  if (!request.target) return request.url;
  return request.target->pool_key + request.target->url.target;
}

// Verifies that an OpenAI-compatible call goes upstream to the route's URL with the deployment's
// key and model, the client gets the upstream's answer as is, and one success record follows.
TEST(RequestHandlerTest, PassesAnOpenAiCompatibleAnswerThrough) {
  Gateway gw;
  auto client = gw.chat("gpt-4o");
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  const http::ClientRequest& up = gw.upstream.exchanges[0].request;
  EXPECT_EQ(up.method, "POST");
  EXPECT_EQ(full_url(up), "https://api.example.com/v1/chat/completions");
  EXPECT_EQ(http::find_header(up.headers, "authorization"), "Bearer " + std::string(kOpenAiKey));
  EXPECT_EQ(http::find_header(up.headers, "content-type"), "application/json");
  EXPECT_EQ(up.timeout, std::chrono::seconds(30));
  Json up_body(up.body);
  EXPECT_EQ(up_body.str("/model"), "gpt-4o-2024-08-06");
  EXPECT_EQ(up_body.str("/messages/0/content"), "Say hi");
  EXPECT_TRUE(client->responses.empty()) << "answered before the upstream did";
  EXPECT_TRUE(gw.sink.records.empty());

  gw.upstream.answer(200, kOpenAiAnswer, {{"Content-Type", "application/json"}});
  ASSERT_EQ(client->responses.size(), 1u);
  const http::Response& r = client->responses[0];
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kOpenAiAnswer);
  EXPECT_EQ(r.header("content-type"), "application/json");
  ASSERT_EQ(gw.sink.records.size(), 1u);
  const payload::Record& record = gw.sink.records[0];
  EXPECT_EQ(record.status, payload::RecordStatus::success);
  EXPECT_EQ(r.header("x-litellm-call-id"), record.call_id.view());
  Json json(record.bytes());
  EXPECT_EQ(json.str("/status"), "success");
  EXPECT_EQ(json.str("/model_group"), "gpt-4o");
  EXPECT_EQ(json.str("/model"), "gpt-4o-2024-08-06");
  EXPECT_EQ(json.str("/api_base"), "https://api.example.com/v1");  // the base, not the route
  EXPECT_EQ(json.integer("/prompt_tokens"), 9);
  EXPECT_EQ(json.integer("/completion_tokens"), 2);
  EXPECT_EQ(json.str("/requester_ip_address"), "10.0.0.7");
  EXPECT_TRUE(json.is_null("/error_information"));
}

// Verifies that a translated (Gemini) call goes to the model's method URL with Google's key
// header, the client gets OpenAI's chat.completion under the gateway's id, and the record names
// the URL it was sent to as api_base, as LiteLLM logs it.
TEST(RequestHandlerTest, TranslatesAGeminiAnswer) {
  Gateway gw;
  auto client = gw.chat("gemini");
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  const http::ClientRequest& up = gw.upstream.exchanges[0].request;
  const std::string url =
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent";
  EXPECT_EQ(full_url(up), url);
  EXPECT_EQ(http::find_header(up.headers, "x-goog-api-key"), "AIza-gemini-test-key");
  EXPECT_EQ(Json(up.body).str("/contents/0/parts/0/text"), "Say hi");

  gw.upstream.answer(200,
                     R"({"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},)"
                     R"("finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,)"
                     R"("candidatesTokenCount":2,"totalTokenCount":7},)"
                     R"("modelVersion":"gemini-2.0-flash-001"})",
                     {{"Content-Type", "application/json; charset=UTF-8"}});
  ASSERT_EQ(client->responses.size(), 1u);
  const http::Response& r = client->responses[0];
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");  // the body is ours, not Google's
  ASSERT_EQ(gw.sink.records.size(), 1u);
  const payload::Record& record = gw.sink.records[0];
  Json answer(r.body);
  EXPECT_EQ(answer.str("/object"), "chat.completion");
  EXPECT_EQ(answer.str("/id"), "chatcmpl-" + std::string(record.call_id.view()));
  EXPECT_EQ(answer.str("/choices/0/message/content"), "Hello");
  EXPECT_EQ(answer.integer("/usage/total_tokens"), 7);
  Json json(record.bytes());
  EXPECT_EQ(json.str("/status"), "success");
  EXPECT_EQ(json.str("/api_base"), url);
  EXPECT_EQ(json.str("/custom_llm_provider"), "gemini");
}

// Verifies that an OpenAI-compatible upstream's error status reaches the client with its own
// body and content type (the key it echoes masked), and the record's class follows the status.
TEST(RequestHandlerTest, PassesAnOpenAiCompatibleErrorThrough) {
  Gateway gw;
  auto client = gw.chat("gpt-4o");
  gw.upstream.answer(429,
                     R"({"error":{"message":"Rate limit reached for )" + std::string(kOpenAiKey) +
                         R"(","type":"requests","code":"rate_limit_exceeded"}})",
                     {{"Content-Type", "application/json; charset=utf-8"}});
  ASSERT_EQ(client->responses.size(), 1u);
  const http::Response& r = client->responses[0];
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"error":{"message":"Rate limit reached for )" + std::string(kMaskedKey) +
                        R"(","type":"requests","code":"rate_limit_exceeded"}})");
  ASSERT_EQ(gw.sink.records.size(), 1u);
  EXPECT_EQ(gw.sink.records[0].status, payload::RecordStatus::failure);
  Json json(gw.sink.records[0].bytes());
  EXPECT_EQ(json.str("/status"), "failure");
  EXPECT_EQ(json.str("/error_information/error_class"), "RateLimitError");
  EXPECT_EQ(json.str("/error_information/error_code"), "429");
  EXPECT_NE(json.str("/error_str").find("Rate limit reached"), std::string::npos);
  EXPECT_EQ(json.str("/error_str").find(kOpenAiKey), std::string::npos);
}

// Verifies that a translated (Anthropic) upstream's error status is answered in OpenAI's error
// shape with Anthropic's status and type, and the record gets LiteLLM's class and message.
TEST(RequestHandlerTest, TranslatesAnAnthropicError) {
  Gateway gw;
  auto client = gw.chat("claude");
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  EXPECT_EQ(full_url(gw.upstream.exchanges[0].request), "https://api.anthropic.com/v1/messages");
  gw.upstream.answer(
      529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(client->responses.size(), 1u);
  const http::Response& r = client->responses[0];
  EXPECT_EQ(r.status, 529);
  Json body(r.body);
  EXPECT_EQ(body.str("/error/type"), "overloaded_error");
  EXPECT_EQ(body.str("/error/message"), "AnthropicException - Overloaded");
  ASSERT_EQ(gw.sink.records.size(), 1u);
  Json json(gw.sink.records[0].bytes());
  EXPECT_EQ(json.str("/error_information/error_class"), "InternalServerError");
  EXPECT_EQ(json.str("/error_information/error_code"), "529");
  EXPECT_EQ(json.str("/api_base"), "https://api.anthropic.com/v1/messages");
}

// Verifies that an exchange that brings no answer is the client's error and a failure record
// saying why: past the deployment's timeout a 504 Timeout, an unreachable upstream a 502
// APIConnectionError naming how the exchange failed.
TEST(RequestHandlerTest, ExchangeFailuresAre504Or502) {
  struct Case {
    http::ClientError error;
    std::string detail;
    int status;
    std::string type;
    std::string error_class;
    std::string error_str;
  };
  const Case cases[] = {
      {http::ClientError::timeout, "deadline passed", 504, "timeout", "Timeout",
       "upstream https://api.example.com/v1 timed out after 30s"},
      {http::ClientError::connect, "connection refused", 502, "api_connection_error",
       "APIConnectionError",
       "upstream https://api.example.com/v1 failed: connect (connection refused)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(http::to_string(c.error));
    Gateway gw;
    auto client = gw.chat("gpt-4o");
    gw.upstream.fail(c.error, c.detail);
    ASSERT_EQ(client->responses.size(), 1u);
    EXPECT_EQ(client->responses[0].status, c.status);
    EXPECT_EQ(Json(client->responses[0].body).str("/error/type"), c.type);
    ASSERT_EQ(gw.sink.records.size(), 1u);
    Json json(gw.sink.records[0].bytes());
    EXPECT_EQ(json.str("/error_information/error_class"), c.error_class);
    EXPECT_EQ(json.str("/error_information/error_code"), std::to_string(c.status));
    EXPECT_NE(json.str("/error_str").find(c.error_str), std::string::npos)
        << json.str("/error_str");
  }
}

const std::string kChunkHead =
    R"(data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,)"
    R"("model":"gpt-4o-2024-08-06",)";
const std::string kHiChunk =
    kChunkHead + R"("choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]})" + "\n\n";
const std::string kStopChunk =
    kChunkHead + R"("choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})" + "\n\n";
const std::string kUsageChunk =
    kChunkHead +
    R"("choices":[],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}})" + "\n\n";

// An OpenAI-compatible chat stream whose upstream (gw.upstream.exchanges[0]) has sent the head
// (200, SSE) and one chunk, "Hi"; returns its client.
std::shared_ptr<FakeResponder> stream_under_way(Gateway& gw) {
  auto client = gw.chat("gpt-4o", /*stream=*/true);
  EXPECT_EQ(gw.upstream.exchanges.size(), 1u);
  http::StreamCallbacks& up = gw.upstream.exchanges.at(0).stream;
  up.on_head(200, {{"Content-Type", "text/event-stream"}});
  EXPECT_TRUE(up.on_data(kHiChunk));
  return client;
}

// Verifies that a stream is relayed to the client as it comes (the usage chunk the gateway asked
// for on the client's behalf held back), ends normally after [DONE], and gives one success
// record with the assembled answer and its usage.
TEST(RequestHandlerTest, RelaysAStreamThatEndsNormally) {
  Gateway gw;
  auto client = gw.chat("gpt-4o", /*stream=*/true);
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  FakeUpstream::Exchange& up = gw.upstream.exchanges[0];
  ASSERT_TRUE(up.stream.on_head);
  Json up_body(up.request.body);
  EXPECT_EQ(up_body.str("/model"), "gpt-4o-2024-08-06");
  EXPECT_TRUE(up_body.boolean("/stream_options/include_usage"));

  up.stream.on_head(200, {{"Content-Type", "text/event-stream"}});
  EXPECT_EQ(client->stream_status, 200);
  EXPECT_EQ(http::find_header(client->stream_headers, "content-type"), "text/event-stream");
  EXPECT_TRUE(up.stream.on_data(kHiChunk));
  EXPECT_EQ(client->streamed(), kHiChunk);
  EXPECT_TRUE(up.stream.on_data(kStopChunk + kUsageChunk + "data: [DONE]\n\n"));
  up.stream.on_done(http::ClientResult{});
  EXPECT_EQ(client->streamed(), kHiChunk + kStopChunk + "data: [DONE]\n\n");
  EXPECT_EQ(client->ended, 1);
  EXPECT_TRUE(client->responses.empty());

  ASSERT_EQ(gw.sink.records.size(), 1u);
  const payload::Record& record = gw.sink.records[0];
  EXPECT_EQ(http::find_header(client->stream_headers, "x-litellm-call-id"), record.call_id.view());
  Json json(record.bytes());
  EXPECT_EQ(json.str("/status"), "success");
  EXPECT_EQ(json.str("/response/choices/0/message/content"), "Hi");
  EXPECT_EQ(json.integer("/total_tokens"), 10);
}

// Verifies that a stream the upstream breaks after the head ends the client's stream with an
// error event, and the record is a 502 APIConnectionError counting what had come.
TEST(RequestHandlerTest, StreamCutShortEndsWithAnErrorEvent) {
  Gateway gw;
  auto client = stream_under_way(gw);
  gw.upstream.fail(http::ClientError::io, "connection reset by peer");

  ASSERT_GE(client->chunks.size(), 2u);
  EXPECT_EQ(client->chunks[0], kHiChunk);
  EXPECT_NE(client->chunks.back().find(R"("error")"), std::string::npos) << client->chunks.back();
  EXPECT_EQ(client->ended, 1);
  ASSERT_EQ(gw.sink.records.size(), 1u);
  Json json(gw.sink.records[0].bytes());
  EXPECT_EQ(json.str("/status"), "failure");
  EXPECT_EQ(json.str("/error_information/error_class"), "APIConnectionError");
  EXPECT_EQ(json.str("/error_information/error_code"), "502");
  const std::string error = json.str("/error_str");
  EXPECT_NE(error.find("broke the stream: io (connection reset by peer); 1 chunks received"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find(R"(partial content: "Hi")"), std::string::npos) << error;
}

// Verifies that a client that goes away mid-stream stops the upstream's exchange (on_data says
// stop) and the record is a 499 ClientDisconnected.
TEST(RequestHandlerTest, ClientGoneMidStreamStopsTheUpstream) {
  Gateway gw;
  auto client = stream_under_way(gw);
  http::StreamCallbacks& up = gw.upstream.exchanges.at(0).stream;
  client->gone = true;
  // The write fails at once here, so the piece that found the client gone already says stop.
  EXPECT_FALSE(up.on_data(kHiChunk));
  gw.upstream.fail(http::ClientError::cancelled, "the consumer stopped");
  ASSERT_EQ(gw.sink.records.size(), 1u);
  Json json(gw.sink.records[0].bytes());
  EXPECT_EQ(json.str("/error_information/error_class"), "ClientDisconnected");
  EXPECT_EQ(json.str("/error_information/error_code"), "499");
}

// Verifies that a translated (Anthropic) stream reaches the client as OpenAI chunks under the
// gateway's id, ending with [DONE], and its record assembles the answer and the usage.
TEST(RequestHandlerTest, TranslatesAnAnthropicStream) {
  Gateway gw;
  auto client = gw.chat("claude", /*stream=*/true);
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  FakeUpstream::Exchange& up = gw.upstream.exchanges[0];
  EXPECT_EQ(http::find_header(up.request.headers, "x-api-key"), "sk-ant-test-key-0123456789");
  EXPECT_TRUE(Json(up.request.body).boolean("/stream"));
  up.stream.on_head(200, {{"Content-Type", "text/event-stream"}});
  EXPECT_TRUE(up.stream.on_data(
      "event: message_start\n"
      R"(data: {"type":"message_start","message":{"id":"msg_1","type":"message",)"
      R"("role":"assistant","content":[],"model":"claude-3-5-haiku-20241022",)"
      R"("stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}})"
      "\n\nevent: content_block_start\n"
      R"(data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"
      "\n\nevent: content_block_delta\n"
      R"(data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hey"}})"
      "\n\n"));
  EXPECT_TRUE(up.stream.on_data(
      "event: content_block_stop\n"
      R"(data: {"type":"content_block_stop","index":0})"
      "\n\nevent: message_delta\n"
      R"(data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}})"
      "\n\nevent: message_stop\n"
      R"(data: {"type":"message_stop"})"
      "\n\n"));
  up.stream.on_done(http::ClientResult{});

  ASSERT_EQ(gw.sink.records.size(), 1u);
  const payload::Record& record = gw.sink.records[0];
  const std::string streamed = client->streamed();
  EXPECT_NE(streamed.find(R"("id":"chatcmpl-)" + std::string(record.call_id.view()) + "\""),
            std::string::npos)
      << streamed;
  EXPECT_NE(streamed.find(R"("content":"Hey")"), std::string::npos) << streamed;
  EXPECT_TRUE(streamed.ends_with("data: [DONE]\n\n")) << streamed;
  EXPECT_EQ(client->ended, 1);
  Json json(record.bytes());
  EXPECT_EQ(json.str("/status"), "success");
  EXPECT_EQ(json.str("/response/choices/0/message/content"), "Hey");
  EXPECT_EQ(json.integer("/prompt_tokens"), 12);
  EXPECT_EQ(json.integer("/completion_tokens"), 3);
}

// Verifies that a stream whose upstream answers an error status before any event is answered
// like a whole call: the upstream's status and body, no stream begun.
TEST(RequestHandlerTest, StreamErrorStatusBeforeTheHeadIsAWholeAnswer) {
  Gateway gw;
  auto client = gw.chat("gpt-4o", /*stream=*/true);
  FakeUpstream::Exchange& up = gw.upstream.exchanges[0];
  up.stream.on_head(401, {{"Content-Type", "application/json"}});
  const std::string body = R"({"error":{"message":"bad key","type":"invalid_request_error"}})";
  EXPECT_TRUE(up.stream.on_data(body));
  up.stream.on_done(http::ClientResult{});
  EXPECT_EQ(client->stream_status, 0);
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].status, 401);
  EXPECT_EQ(client->responses[0].body, body);
  ASSERT_EQ(gw.sink.records.size(), 1u);
  EXPECT_EQ(Json(gw.sink.records[0].bytes()).str("/error_information/error_class"),
            "AuthenticationError");
}

// Verifies that with a master key set a call without it is a 401 that goes nowhere — neither
// upstream nor to the log — and one that carries it is served.
TEST(RequestHandlerTest, MasterKeyGuardsTheLlmRoutes) {
  Gateway gw(gateway_config("sk-master-0123"));
  auto refused = gw.chat("gpt-4o");
  ASSERT_EQ(refused->responses.size(), 1u);
  EXPECT_EQ(refused->responses[0].status, 401);
  EXPECT_EQ(Json(refused->responses[0].body).str("/error/type"), "auth_error");
  EXPECT_TRUE(gw.upstream.exchanges.empty());
  EXPECT_TRUE(gw.sink.records.empty());

  gw.call("/v1/chat/completions", R"({"model":"gpt-4o","messages":[]})",
          {{"Authorization", "Bearer sk-master-0123"}});
  EXPECT_EQ(gw.upstream.exchanges.size(), 1u);
}

// Verifies that a model nobody serves is a 404 NotFoundError, and one listed without a usable
// deployment a 400 BadRequestError, each with a failure record and no upstream call.
TEST(RequestHandlerTest, UnroutableModelsAreClientErrors) {
  Gateway gw;
  auto unknown = gw.chat("gpt-5");
  ASSERT_EQ(unknown->responses.size(), 1u);
  EXPECT_EQ(unknown->responses[0].status, 404);
  Json unknown_body(unknown->responses[0].body);
  EXPECT_EQ(unknown_body.str("/error/param"), "model");
  EXPECT_NE(unknown_body.str("/error/message").find("model 'gpt-5' not found"), std::string::npos);

  auto unusable = gw.chat("unusable");
  ASSERT_EQ(unusable->responses.size(), 1u);
  EXPECT_EQ(unusable->responses[0].status, 400);

  EXPECT_TRUE(gw.upstream.exchanges.empty());
  ASSERT_EQ(gw.sink.records.size(), 2u);
  Json first(gw.sink.records[0].bytes());
  EXPECT_EQ(first.str("/error_information/error_class"), "NotFoundError");
  EXPECT_EQ(first.str("/model_group"), "gpt-5");
  EXPECT_EQ(Json(gw.sink.records[1].bytes()).str("/error_information/error_class"),
            "BadRequestError");
}

// Verifies that a gateway whose sink wants no records builds none, and that GET /metrics carries
// the sink's delivery counters next to the gateway's own.
TEST(RequestHandlerTest, AsksTheSinkWhetherRecordsAreWantedAndForItsMetrics) {
  Gateway gw;
  gw.sink.wanted = false;
  auto client = gw.chat("gpt-4o");
  gw.upstream.answer(200, kOpenAiAnswer);
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].status, 200);
  EXPECT_TRUE(gw.sink.records.empty());

  auto metrics = gw.call("/metrics", "", {}, "GET");
  ASSERT_EQ(metrics->responses.size(), 1u);
  EXPECT_NE(metrics->responses[0].body.find("delivery_metric_from_sink 7\n"), std::string::npos);
}

}  // namespace
}  // namespace llmtap::gateway

namespace llmtap::gateway {
namespace {

// Two OpenAI deployments behind "gpt-4o" (a and b), and the three single ones.
config::Config retrying_config(int num_retries) {
  config::Config c = gateway_config();
  config::Deployment second = openai_deployment();
  second.api_base = "https://b.example.com/v1";
  second.id = "gpt-4o-2";
  c.deployments.insert(c.deployments.begin() + 1, second);
  c.router.num_retries = num_retries;
  return c;
}

// Verifies that a failed attempt in a group of two is retried at once on the other deployment,
// that the client gets only the final answer, and that each attempt is logged: a failure record
// (not final) for the first, then the success, both with the request's id and their numbers.
TEST(RequestHandlerRetryTest, RetriesOnTheOtherDeploymentAndLogsEveryAttempt) {
  Gateway gw(retrying_config(2));
  auto client = gw.chat("gpt-4o");
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  const std::string first_url = full_url(gw.upstream.exchanges[0].request);
  gw.upstream.answer_last(500, R"({"error":{"message":"boom","type":"server_error"}})");
  EXPECT_TRUE(client->responses.empty());
  EXPECT_TRUE(gw.upstream.timers.empty()) << "another healthy deployment: no wait";
  ASSERT_EQ(gw.upstream.exchanges.size(), 2u);
  EXPECT_NE(full_url(gw.upstream.exchanges[1].request), first_url) << "the untried one first";
  gw.upstream.answer_last(200, kOpenAiAnswer);
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].status, 200);
  ASSERT_EQ(gw.sink.records.size(), 2u);
  Json failed(gw.sink.records[0].bytes());
  Json answered(gw.sink.records[1].bytes());
  EXPECT_EQ(failed.str("/status"), "failure");
  EXPECT_EQ(failed.integer("/llmtap_attempt/number"), 1);
  EXPECT_FALSE(failed.boolean("/llmtap_attempt/final"));
  EXPECT_EQ(answered.str("/status"), "success");
  EXPECT_EQ(answered.integer("/llmtap_attempt/number"), 2);
  EXPECT_TRUE(answered.boolean("/llmtap_attempt/final"));
  EXPECT_EQ(failed.str("/llmtap_attempt/request_id"), answered.str("/llmtap_attempt/request_id"));
  EXPECT_EQ(failed.str("/litellm_call_id"), answered.str("/litellm_call_id"));
  EXPECT_NE(failed.str("/model_id"), answered.str("/model_id"));
}

// Verifies that a group's only deployment is retried after a backoff that honours the
// upstream's Retry-After, through the transport's timer, and that spent retries end with the
// last failure as the answer.
TEST(RequestHandlerRetryTest, OneDeploymentBacksOffThenGivesUp) {
  Gateway gw(retrying_config(1));
  auto client = gw.chat("claude");
  gw.upstream.answer_last(
      429, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})",
      {{"Content-Type", "application/json"}, {"retry-after", "2"}});
  ASSERT_EQ(gw.upstream.timers.size(), 1u);
  EXPECT_EQ(gw.upstream.timers[0].first, std::chrono::seconds(2));
  EXPECT_EQ(gw.upstream.exchanges.size(), 1u) << "nothing sent before the wait is over";
  EXPECT_TRUE(client->responses.empty());
  gw.upstream.run_timer();
  ASSERT_EQ(gw.upstream.exchanges.size(), 2u);
  gw.upstream.answer_last(
      429, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})",
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].status, 429);
  ASSERT_EQ(gw.sink.records.size(), 2u);
  EXPECT_FALSE(Json(gw.sink.records[0].bytes()).boolean("/llmtap_attempt/final"));
  EXPECT_TRUE(Json(gw.sink.records[1].bytes()).boolean("/llmtap_attempt/final"));
}

// Verifies that a 404 is never retried: one attempt, one final record.
TEST(RequestHandlerRetryTest, NotFoundIsNotRetried) {
  Gateway gw(retrying_config(2));
  auto client = gw.chat("gpt-4o");
  gw.upstream.answer_last(404, R"({"error":{"message":"no such model"}})");
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].status, 404);
  EXPECT_EQ(gw.upstream.exchanges.size(), 1u);
  ASSERT_EQ(gw.sink.records.size(), 1u);
  EXPECT_TRUE(Json(gw.sink.records[0].bytes()).boolean("/llmtap_attempt/final"));
}

// Verifies that once its retries are spent a group falls back to the next group: the fallback's
// attempt is logged under its own model_group at depth 1.
TEST(RequestHandlerRetryTest, FallsBackToAnotherGroup) {
  config::Config c = gateway_config();
  c.router.fallbacks = {{"gpt-4o", {"claude"}}};
  Gateway gw(std::move(c));
  auto client = gw.chat("gpt-4o");
  gw.upstream.answer_last(503, R"({"error":{"message":"unavailable"}})");
  ASSERT_EQ(gw.upstream.exchanges.size(), 2u);
  EXPECT_EQ(full_url(gw.upstream.exchanges[1].request), "https://api.anthropic.com/v1/messages");
  gw.upstream.answer_last(
      200, R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-haiku-latest",)"
           R"("content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",)"
           R"("usage":{"input_tokens":5,"output_tokens":1}})");
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].status, 200);
  ASSERT_EQ(gw.sink.records.size(), 2u);
  Json fallback(gw.sink.records[1].bytes());
  EXPECT_EQ(fallback.str("/model_group"), "claude");
  EXPECT_EQ(fallback.integer("/llmtap_attempt/fallback_depth"), 1);
  EXPECT_EQ(Json(gw.sink.records[0].bytes()).str("/model_group"), "gpt-4o");
}

// Verifies that a deployment cooled by a failure that is not worth retrying (401, even for a
// group's only deployment) is skipped by the next request, which gets LiteLLM's 429 with a
// Retry-After and a failure record, without an upstream call.
TEST(RequestHandlerRetryTest, EveryDeploymentCoolingIsA429) {
  Gateway gw;
  auto first = gw.chat("claude");
  gw.upstream.answer_last(
      401, R"({"type":"error","error":{"type":"authentication_error","message":"bad key"}})");
  ASSERT_EQ(first->responses.size(), 1u);
  EXPECT_EQ(first->responses[0].status, 401);
  auto second = gw.chat("claude");
  EXPECT_EQ(gw.upstream.exchanges.size(), 1u);
  ASSERT_EQ(second->responses.size(), 1u);
  EXPECT_EQ(second->responses[0].status, 429);
  EXPECT_EQ(second->responses[0].header("retry-after"), "5");
  EXPECT_NE(second->responses[0].body.find("No deployments available for selected model"),
            std::string::npos);
  ASSERT_EQ(gw.sink.records.size(), 2u);
  EXPECT_EQ(Json(gw.sink.records[1].bytes()).str("/error_information/error_class"),
            "RateLimitError");
}

// Verifies that a stream whose upstream answers an error status before any byte reached the
// client is retried like a whole answer, and the client sees one clean stream.
TEST(RequestHandlerRetryTest, AStreamIsRetriedBeforeItsFirstByte) {
  Gateway gw(retrying_config(2));
  auto client = gw.chat("gpt-4o", /*stream=*/true);
  FakeUpstream::Exchange& up = gw.upstream.exchanges[0];
  up.stream.on_head(500, {{"Content-Type", "application/json"}});
  EXPECT_TRUE(up.stream.on_data(R"({"error":{"message":"boom"}})"));
  up.stream.on_done(http::ClientResult{});
  EXPECT_EQ(client->stream_status, 0);
  ASSERT_EQ(gw.upstream.exchanges.size(), 2u);
  FakeUpstream::Exchange& retry = gw.upstream.exchanges[1];
  retry.stream.on_head(200, {{"Content-Type", "text/event-stream"}});
  EXPECT_TRUE(retry.stream.on_data(
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n"));
  retry.stream.on_done(http::ClientResult{});
  EXPECT_EQ(client->stream_status, 200);
  EXPECT_EQ(client->ended, 1);
  ASSERT_EQ(gw.sink.records.size(), 2u);
  EXPECT_EQ(Json(gw.sink.records[1].bytes()).str("/status"), "success");
}

}  // namespace
}  // namespace llmtap::gateway

namespace llmtap::gateway {
namespace {

// Verifies that while shutting down a retry that would have to wait is not made: the failure is
// the answer and its record final, so no call outlives the drain without either.
TEST(RequestHandlerRetryTest, NoBackedOffRetryWhileDraining) {
  Gateway gw(retrying_config(2));
  gw.handler->set_draining();
  auto client = gw.chat("claude");
  gw.upstream.answer_last(
      529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  EXPECT_TRUE(gw.upstream.timers.empty());
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].status, 529);
  ASSERT_EQ(gw.sink.records.size(), 1u);
  EXPECT_TRUE(Json(gw.sink.records[0].bytes()).boolean("/llmtap_attempt/final"));
}

// Verifies the x-litellm-* headers of an answer that took a retry: the deployment and group that
// answered, its api_base, one retry of a budget of 2, no fallback.
TEST(RequestHandlerRetryTest, AnswerHeadersSayWhoAnsweredAndHowManyRetries) {
  Gateway gw(retrying_config(2));
  auto client = gw.chat("gpt-4o");
  gw.upstream.answer_last(500, R"({"error":{"message":"boom"}})");
  gw.upstream.answer_last(200, kOpenAiAnswer);
  ASSERT_EQ(client->responses.size(), 1u);
  const http::Response& r = client->responses[0];
  const std::string second_url = full_url(gw.upstream.exchanges[1].request);
  EXPECT_EQ(r.header("x-litellm-model-group"), "gpt-4o");
  EXPECT_EQ(r.header("x-litellm-model-id"),
            second_url.starts_with("https://b.") ? "gpt-4o-2" : "gpt-4o-1");
  EXPECT_TRUE(second_url.starts_with(std::string(r.header("x-litellm-model-api-base"))));
  EXPECT_EQ(r.header("x-litellm-attempted-retries"), "1");
  EXPECT_EQ(r.header("x-litellm-max-retries"), "2");
  EXPECT_EQ(r.header("x-litellm-attempted-fallbacks"), "0");
  EXPECT_EQ(r.header("x-litellm-version"), LLMTAP_VERSION);
  EXPECT_FALSE(r.header("x-litellm-response-duration-ms").empty());
}

}  // namespace
}  // namespace llmtap::gateway

namespace llmtap::gateway {
namespace {

config::Config wildcard_config() {
  config::Config c = gateway_config();
  config::Deployment any = openai_deployment();
  any.model_name = "*";
  any.model = "openai/*";
  any.upstream_model = "*";
  any.id = "any";
  config::Deployment claude = anthropic_deployment();
  claude.model_name = "anthropic/*";
  claude.model = "anthropic/*";
  claude.upstream_model = "*";
  claude.id = "claude-any";
  c.deployments.push_back(any);
  c.deployments.push_back(claude);
  return c;
}

// Verifies that a name served by a wildcard model_name goes upstream with the deployment's model
// filled in from it, and that the record and headers name the client's model as the group.
TEST(RequestHandlerWildcardTest, TheCapturedPartIsTheUpstreamModel) {
  Gateway gw(wildcard_config());
  auto client = gw.chat("gpt-4.1-mini");
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  EXPECT_EQ(full_url(gw.upstream.exchanges[0].request),
            "https://api.example.com/v1/chat/completions");
  EXPECT_NE(gw.upstream.exchanges[0].request.body.find(R"("model":"gpt-4.1-mini")"),
            std::string::npos)
      << gw.upstream.exchanges[0].request.body;
  gw.upstream.answer_last(200, kOpenAiAnswer);
  ASSERT_EQ(client->responses.size(), 1u);
  EXPECT_EQ(client->responses[0].header("x-litellm-model-group"), "gpt-4.1-mini");
  EXPECT_EQ(client->responses[0].header("x-litellm-model-id"), "any");
  ASSERT_EQ(gw.sink.records.size(), 1u);
  Json record(gw.sink.records[0].bytes());
  EXPECT_EQ(record.str("/model_group"), "gpt-4.1-mini");
  EXPECT_EQ(record.str("/model"), "gpt-4.1-mini");
  EXPECT_EQ(record.str("/model_id"), "any");

  // A more specific pattern wins over "*", and a translated provider gets the filled model.
  auto translated = gw.chat("anthropic/claude-3-7-sonnet-latest");
  ASSERT_EQ(gw.upstream.exchanges.size(), 2u);
  EXPECT_EQ(full_url(gw.upstream.exchanges[1].request), "https://api.anthropic.com/v1/messages");
  EXPECT_NE(gw.upstream.exchanges[1].request.body.find(R"("model":"claude-3-7-sonnet-latest")"),
            std::string::npos)
      << gw.upstream.exchanges[1].request.body;

  // An exact model_name is never taken by a wildcard.
  gw.chat("gpt-4o");
  ASSERT_EQ(gw.upstream.exchanges.size(), 3u);
  EXPECT_NE(gw.upstream.exchanges[2].request.body.find(R"("model":"gpt-4o-2024-08-06")"),
            std::string::npos);
}

// Verifies that a wildcard deployment whose model has no star sends every name it matches to
// that one model (a catch-all).
TEST(RequestHandlerWildcardTest, AModelWithoutAStarIsACatchAll) {
  config::Config c = gateway_config();
  config::Deployment all = openai_deployment();
  all.model_name = "*";
  all.id = "catch-all";
  c.deployments.push_back(all);
  Gateway gw(std::move(c));
  gw.chat("whatever-model");
  ASSERT_EQ(gw.upstream.exchanges.size(), 1u);
  EXPECT_NE(gw.upstream.exchanges[0].request.body.find(R"("model":"gpt-4o-2024-08-06")"),
            std::string::npos);
}

}  // namespace
}  // namespace llmtap::gateway
