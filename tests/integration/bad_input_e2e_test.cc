// End-to-end tests of bad input and limits (issue #3 point 5) with the real binary: malformed,
// truncated and mistyped JSON bodies, bytes that are not UTF-8 (body and headers), bodies over the
// limit, huge headers, pipelined requests and slow clients. Each gets a clear answer (an
// OpenAI-style error where the gateway sees the request), a failure record where LiteLLM would log
// one, valid UTF-8 JSON records, and the server keeps serving.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/e2e_fixture.h"
#include "integration/raw_connection.h"

namespace llmtap::test {
namespace {

using std::chrono::seconds;

std::string config() {
  return ConfigBuilder()
      .mock("gpt-3.5-turbo", "Hi from the mock")
      .upstream("gpt-4o", "gpt-4o")
      .yaml();
}

class BadInputE2eTest : public E2eFixture {
 protected:
  void SetUp() override { start(config(), {}, /*with_upstream=*/true); }

  // A request that must still be served normally.
  void expect_served() {
    HttpReply reply = chat("gpt-3.5-turbo", "are you still there?");
    EXPECT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, 200) << reply.body;
  }
};

struct BadBody {
  std::string body;
  std::string param;  // the error's expected "param", or empty for null
};

// Verifies that malformed, truncated, non-object, mistyped and non-UTF-8 bodies each get a 400
// with an OpenAI-style error naming the offending key, and a failure record (valid UTF-8 JSON,
// BadRequestError, no tokens), and that the server keeps serving.
TEST_F(BadInputE2eTest, BadBodiesGet400AndFailureRecords) {
  const std::vector<BadBody> bodies = {
      {R"({"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"})", ""},  // truncated
      {"{not json", ""},
      {"", ""},
      {R"([{"model":"gpt-3.5-turbo"}])", ""},
      {R"({"model":"gpt-3.5-turbo","messages":"hi"})", "messages"},
      {R"({"model":"gpt-3.5-turbo","messages":{"role":"user"}})", "messages"},
      {R"({"model":"gpt-3.5-turbo"})", "messages"},
      {R"({"model":"gpt-3.5-turbo","messages":[],"stream":"yes"})", "stream"},
      {R"({"model":"gpt-3.5-turbo","messages":[],"stream":1})", "stream"},
      {R"({"model":42,"messages":[]})", "model"},
      {"{\"model\":\"gpt-3.5-turbo\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\xe9 "
       "\xff\xfe\"}]}",
       ""},
  };
  for (const BadBody& bad : bodies) {
    SCOPED_TRACE(bad.body);
    HttpReply reply = post("/v1/chat/completions", bad.body);
    ASSERT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, 400) << reply.body;
    auto error = parser_.parse(reply.body);
    ASSERT_FALSE(error.error()) << reply.body;
    EXPECT_FALSE(std::string_view(error["error"]["message"]).empty());
    EXPECT_EQ(std::string_view(error["error"]["type"]), "invalid_request_error");
    EXPECT_EQ(std::string_view(error["error"]["code"]), "400");
    if (bad.param.empty()) {
      EXPECT_TRUE(error["error"]["param"].is_null()) << reply.body;
    } else {
      EXPECT_EQ(std::string_view(error["error"]["param"]), bad.param) << reply.body;
    }
  }
  expect_served();

  auto lines = records(bodies.size() + 1);
  ASSERT_EQ(lines.size(), bodies.size() + 1);
  std::size_t failures = 0;
  for (const auto& line : lines) {
    auto record = parser_.parse(line);  // also checks the record is valid UTF-8
    ASSERT_FALSE(record.error()) << line;
    if (std::string_view(record["status"]) != "failure") continue;
    ++failures;
    EXPECT_EQ(std::string_view(record["error_information"]["error_class"]), "BadRequestError")
        << line;
    EXPECT_EQ(std::string_view(record["error_information"]["error_code"]), "400") << line;
    EXPECT_EQ(int64_t(record["total_tokens"]), 0);
  }
  EXPECT_EQ(failures, bodies.size());
}

// Verifies that header values that are not UTF-8 are recorded with the bad bytes replaced, so
// the record stays valid UTF-8 JSON.
TEST_F(BadInputE2eTest, NonUtf8HeaderValuesGiveAValidRecord) {
  HttpReply reply = post("/v1/chat/completions",
                         R"({"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"}]})",
                         {{"X-Team", "caf\xe9-\xff"}, {"User-Agent", "agent/\xc3\x28"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto lines = records(1);
  ASSERT_EQ(lines.size(), 1u);
  auto record = parser_.parse(lines[0]);
  ASSERT_FALSE(record.error()) << lines[0];
  EXPECT_EQ(std::string_view(record["metadata"]["requester_custom_headers"]["x-team"]),
            "caf\uFFFD-\uFFFD");
}

// Verifies that a body over the 32 MiB limit is refused with 413 before it is read, and the
// next request is served.
TEST_F(BadInputE2eTest, BodyOverTheLimitGets413) {
  RawConnection client(llmtap_.port);
  ASSERT_TRUE(client.connected());
  client.send(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-1234\r\n"
      "Content-Type: application/json\r\nContent-Length: 40000000\r\n\r\n{\"model\":");
  EXPECT_TRUE(client.read_until("\r\n\r\n", seconds{10})) << client.received();
  EXPECT_TRUE(client.received().starts_with("HTTP/1.1 413")) << client.received();
  EXPECT_TRUE(client.wait_closed(seconds{10}));
  expect_served();
}

// Verifies that request headers over the 64 KiB limit get 431 and the connection is closed, and
// that the next request (on a new connection) is served.
TEST_F(BadInputE2eTest, HugeHeadersGet431) {
  RawConnection client(llmtap_.port);
  ASSERT_TRUE(client.connected());
  client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: " +
              std::string(100 * 1024, 'a') + "\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_TRUE(client.read_until("\r\n\r\n", seconds{10})) << client.received();
  EXPECT_TRUE(client.received().starts_with("HTTP/1.1 431")) << client.received();
  EXPECT_TRUE(client.wait_closed(seconds{10}));
  expect_served();
  // Not an LLM call: only the request served afterwards is logged.
  EXPECT_EQ(records(1).size(), 1u);
}

// Verifies that pipelined requests on one connection are answered in order — a slower upstream
// call first, an instant mock answer second — and both are logged.
TEST_F(BadInputE2eTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection client(llmtap_.port);
  ASSERT_TRUE(client.connected());
  const std::string upstream_call = raw_post(
      "/v1/chat/completions", R"({"model":"gpt-4o","messages":[{"role":"user","content":"one"}]})");
  const std::string mock_call =
      raw_post("/v1/chat/completions",
               R"({"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"two"}]})",
               "Connection: close\r\n");
  ASSERT_TRUE(client.send(upstream_call + mock_call));
  EXPECT_TRUE(client.wait_closed(seconds{10}));
  const std::string& got = client.received();
  const auto first = got.find("mock answer");
  const auto second = got.find("Hi from the mock");
  ASSERT_NE(first, std::string::npos) << got;
  ASSERT_NE(second, std::string::npos) << got;
  EXPECT_LT(first, second) << got;
  EXPECT_EQ(got.find("HTTP/1.1 200"), 0u) << got;
  EXPECT_NE(got.find("HTTP/1.1 200", 1), std::string::npos) << got;
  EXPECT_EQ(records(2).size(), 2u);
}

// The same gateway with a 1 s read timeout, so a stalled client is cut off quickly.
class SlowClientE2eTest : public BadInputE2eTest {
 protected:
  void SetUp() override {
    start(ConfigBuilder()
              .mock("gpt-3.5-turbo", "Hi from the mock")
              .general_settings("request_read_timeout: 1")
              .yaml());
  }
};

// Verifies that a client sending its headers a byte at a time and then stalling, and one stalling
// mid-body, hold no one else up and are cut off by the server's read timeout (for a whole
// request; general_settings.request_read_timeout, 1 s here instead of the default 30 s), and the
// server keeps serving.
TEST_F(SlowClientE2eTest, SlowClientsAreTimedOutWhileOthersAreServed) {
  RawConnection trickle(llmtap_.port);
  RawConnection stalled_body(llmtap_.port);
  ASSERT_TRUE(trickle.connected());
  ASSERT_TRUE(stalled_body.connected());
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(
      stalled_body.send(raw_post("/v1/chat/completions", std::string(100, ' ')).substr(0, 150)));
  const std::string head =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer";
  constexpr std::size_t kTrickled = 15;  // ~0.3 s of trickling, inside the timeout unless slowed
  for (std::size_t i = 0; i < kTrickled; ++i) {
    // A slowed-down run may still be trickling when the timeout cuts it off: a refused byte is a
    // failure only before the timeout.
    if (!trickle.send(head.substr(i, 1))) {
      EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds{900})
          << "the trickling client was cut off before the read timeout";
      break;
    }
    // Every few bytes, a whole request from another client goes through.
    if (i % 5 == 0) expect_served();
    std::this_thread::sleep_for(std::chrono::milliseconds{20});  // the slow client's own pace
  }
  // With the default 30 s neither would be closed within these deadlines.
  EXPECT_TRUE(trickle.wait_closed(seconds{8})) << "a stalled client was never timed out";
  EXPECT_TRUE(stalled_body.wait_closed(seconds{8})) << "a stalled body was never timed out";
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds{900})
      << "closed before the read timeout";
  EXPECT_TRUE(trickle.received().empty() || trickle.received().starts_with("HTTP/1.1 408"))
      << trickle.received();
  expect_served();
}

}  // namespace
}  // namespace llmtap::test
