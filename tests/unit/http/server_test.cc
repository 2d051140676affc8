#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include "test_peer.h"

namespace llmtap::http::testing {
namespace {

using ServerTest = RuntimeTest;

Handler echo_handler() {
  return [](Request request, std::shared_ptr<Responder> responder) {
    Response response;
    response.headers.push_back({"Content-Type", "text/plain"});
    response.body = request.method + " " + std::string(request.path()) + " " + request.body;
    responder->respond(std::move(response));
  };
}

// Verifies that a request reaches the handler with its parts and the answer reaches the client.
TEST_F(ServerTest, AnswersARequestFromTheClient) {
  std::string seen_address;
  std::string seen_header;
  auto server = start_server([&](Request request, std::shared_ptr<Responder> responder) {
    seen_address = request.remote_address;
    seen_header = std::string(request.header("x-test"));
    responder->respond(Response{201, {{"X-Reply", "yes"}}, "got " + request.body});
  });
  Client client(runtime_, {});
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(server->port()) + "/v1/x?y=1";
  request.headers = {{"X-Test", "hello"}};
  request.body = "payload";
  const auto result = send_and_wait(client, request);
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.status, 201);
  EXPECT_EQ(result.response.body, "got payload");
  EXPECT_EQ(result.response.header("x-reply"), "yes");
  EXPECT_EQ(result.response.header("content-length"), "11");
  EXPECT_EQ(seen_address, "127.0.0.1");
  EXPECT_EQ(seen_header, "hello");
}

// Verifies that a bind failure surfaces as std::system_error from listen().
TEST_F(ServerTest, ListenThrowsWhenThePortIsTaken) {
  auto first = start_server(echo_handler());
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = first->port();
  Server second(runtime_, options, echo_handler());
  EXPECT_THROW(second.listen(), std::system_error);
}

// Verifies that two requests written back-to-back are both answered, in order, on one connection.
TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  auto server = start_server(echo_handler());
  RawPeer peer(server->port());
  ASSERT_TRUE(peer.connected());
  ASSERT_TRUE(
      peer.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string bytes = peer.read_until("HTTP/1.1 200", 2);
  const auto first = bytes.find("GET /first");
  const auto second = bytes.find("GET /second");
  ASSERT_NE(first, std::string::npos) << bytes;
  ASSERT_NE(second, std::string::npos) << bytes;
  EXPECT_LT(first, second);
  EXPECT_EQ(server->connections_accepted(), 1U);
}

// Verifies that a body sent in chunks reaches the handler whole, with the headers before it.
TEST_F(ServerTest, ReadsAChunkedRequestBody) {
  std::string seen_header;
  auto server = start_server([&](Request request, std::shared_ptr<Responder> responder) {
    seen_header = std::string(request.header("x-after"));
    responder->respond(
        Response{200, {}, request.method + " " + std::string(request.path()) + " " + request.body});
  });
  RawPeer peer(server->port());
  ASSERT_TRUE(
      peer.send("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-After: 1\r\n\r\n"
                "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  const std::string bytes = peer.read_until("POST /x hello world");
  EXPECT_NE(bytes.find("POST /x hello world"), std::string::npos) << bytes;
  EXPECT_EQ(seen_header, "1");
}

// Verifies that a client waiting for "100 Continue" gets it, then sends the body, and the
// handler sees that body.
TEST_F(ServerTest, AnswersExpectContinueBeforeTheBody) {
  auto server = start_server(echo_handler());
  RawPeer peer(server->port());
  ASSERT_TRUE(peer.send(
      "POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 7\r\n\r\n"));
  const std::string interim = peer.read_until("\r\n\r\n");
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(peer.send("payload"));
  const std::string bytes = peer.read_until("POST /up payload");
  EXPECT_NE(bytes.find("HTTP/1.1 200"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("POST /up payload"), std::string::npos) << bytes;
}

// Verifies that a body larger than max_body_bytes gets 413 with an OpenAI-shaped error.
TEST_F(ServerTest, RejectsABodyOverTheLimitWith413) {
  std::atomic<int> calls{0};
  ServerOptions options;
  options.max_body_bytes = 1024;
  auto server = start_server(
      [&](Request, std::shared_ptr<Responder> responder) {
        ++calls;
        responder->respond(Response{});
      },
      options);
  Client client(runtime_, {});
  auto request = request_to(*server);
  request.body = std::string(4096, 'x');
  const auto result = send_and_wait(client, request);
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.status, 413);
  EXPECT_EQ(
      result.response.body,
      R"({"error":{"message":"request body too large","type":"invalid_request_error","param":null,"code":"413"}})");
  EXPECT_EQ(calls.load(), 0);
}

// Verifies that bytes that are not HTTP get a 400 and the connection is closed.
TEST_F(ServerTest, AnswersMalformedRequestWith400) {
  auto server = start_server(echo_handler());
  RawPeer peer(server->port());
  ASSERT_TRUE(peer.send("NOT AN HTTP REQUEST\r\n\r\n"));
  const std::string bytes = peer.read_until("\x01");  // only ends when the server closes
  EXPECT_EQ(bytes.rfind("HTTP/1.1 400", 0), 0U) << bytes;
}

// Verifies that a handler that forgets to answer yields a 500 rather than a hang.
TEST_F(ServerTest, AnswersWith500WhenTheHandlerDropsTheResponder) {
  auto server = start_server([](Request, std::shared_ptr<Responder>) {});
  Client client(runtime_, {});
  auto request = request_to(*server);
  const auto result = send_and_wait(client, request);
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.status, 500);
}

// Verifies that a handler that throws is counted in handler_exceptions() and its client gets 500.
TEST_F(ServerTest, CountsAHandlerExceptionAndAnswers500) {
  auto server =
      start_server([](Request, std::shared_ptr<Responder>) { throw std::runtime_error("bug"); });
  Client client(runtime_, {});
  EXPECT_EQ(server->handler_exceptions(), 0U);
  const auto result = send_and_wait(client, request_to(*server));
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.status, 500);
  EXPECT_EQ(server->handler_exceptions(), 1U);
}

// Verifies that a responder kept past the handler can answer from a foreign thread.
TEST_F(ServerTest, AnswersLaterFromAnotherThread) {
  std::mutex mu;
  std::shared_ptr<Responder> kept;
  std::promise<void> handled;
  auto server = start_server([&](Request, std::shared_ptr<Responder> responder) {
    std::lock_guard lock(mu);
    kept = std::move(responder);
    handled.set_value();
  });
  Client client(runtime_, {});
  auto answered = send_async(client, request_to(*server));
  auto handled_future = handled.get_future();
  ASSERT_EQ(handled_future.wait_for(kWait), std::future_status::ready);
  std::thread([&] {
    std::lock_guard lock(mu);
    kept->respond(Response{202, {}, "later"});
    kept.reset();
  }).join();
  const auto result = wait_for(answered);
  ASSERT_TRUE(result && result->ok());
  EXPECT_EQ(result->response.status, 202);
  EXPECT_EQ(result->response.body, "later");
}

// Verifies that stop_accepting closes idle keep-alive connections and refuses new ones, and
// that wait_idle reports idleness.
TEST_F(ServerTest, StopAcceptingClosesIdleConnectionsAndWaitIdleFires) {
  auto server = start_server(echo_handler());
  RawPeer peer(server->port());
  ASSERT_TRUE(peer.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_NE(peer.read_until("GET /a").find("GET /a"), std::string::npos);
  server->stop_accepting();
  const std::string rest =
      peer.read_until("\x01");  // returns when the server closes the connection
  EXPECT_EQ(rest, "");
  std::promise<void> idle;
  auto idle_future = idle.get_future();
  server->wait_idle(std::chrono::steady_clock::now() + kWait, [&] { idle.set_value(); });
  EXPECT_EQ(idle_future.wait_for(kWait), std::future_status::ready);
}

// Verifies that wait_idle holds `done` until the request in flight is answered.
TEST_F(ServerTest, WaitIdleWaitsForTheRequestInFlight) {
  std::promise<std::shared_ptr<Responder>> handed;
  auto server = start_server(
      [&](Request, std::shared_ptr<Responder> responder) { handed.set_value(responder); });
  Client client(runtime_, {});
  auto answered = send_async(client, request_to(*server));
  auto handed_future = handed.get_future();
  auto responder = wait_for(handed_future);
  ASSERT_TRUE(responder);
  std::promise<void> idle;
  auto idle_future = idle.get_future();
  server->wait_idle(std::chrono::steady_clock::now() + kWait, [&] { idle.set_value(); });
  EXPECT_EQ(idle_future.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  (*responder)->respond(Response{});
  responder->reset();
  EXPECT_EQ(idle_future.wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(wait_for(answered));
}

// Bytes that show any reordering or loss: a run of letters that does not repeat every 2^n bytes.
std::string patterned(std::size_t size, std::size_t seed) {
  std::string bytes(size, ' ');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + (i + seed) % 23);
  return bytes;
}

// The body of a chunked message (what follows the head); empty when it is not well formed.
std::string dechunk(std::string_view body) {
  std::string out;
  for (;;) {
    const auto line_end = body.find("\r\n");
    if (line_end == std::string_view::npos) return {};
    const std::size_t size = std::stoul(std::string(body.substr(0, line_end)), nullptr, 16);
    body.remove_prefix(line_end + 2);
    if (size == 0) return body == "\r\n" ? out : std::string();
    if (body.size() < size + 2 || body.substr(size, 2) != "\r\n") return {};
    out.append(body.substr(0, size));
    body.remove_prefix(size + 2);
  }
}

// One request, on a raw connection that asks the server to close after the answer, whose
// Responder the handler handed out: the test answers later, from another thread.
class HeldRequestTest : public RuntimeTest {
 protected:
  void SetUp() override {
    std::promise<std::shared_ptr<Responder>> handed;
    auto handed_future = handed.get_future();
    server_ = start_server([&](Request, std::shared_ptr<Responder> responder) {
      handed.set_value(std::move(responder));
    });
    peer_ = std::make_unique<RawPeer>(server_->port());
    ASSERT_TRUE(peer_->send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    auto responder = wait_for(handed_future);
    ASSERT_TRUE(responder && *responder);
    responder_ = std::move(*responder);
  }
  // Runs `answer` with the Responder on a thread of its own, then drops the Responder.
  template <class Answer>
  void answer_from_another_thread(Answer answer) {
    std::thread([&] {
      answer(*responder_);
      responder_.reset();
    }).join();
  }
  // What the client receives until the server closes: the head (through the blank line) and the
  // body.
  std::pair<std::string, std::string> received() {
    const std::string bytes = peer_->read_until("\x01");  // never in the bodies: ends at the close
    const auto head_end = bytes.find("\r\n\r\n");
    if (head_end == std::string::npos) return {bytes, {}};
    return {bytes.substr(0, head_end + 4), bytes.substr(head_end + 4)};
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<RawPeer> peer_;
  std::shared_ptr<Responder> responder_;
};

// Verifies that an answer given after the handler returned, which the server writes at once as
// far as the socket takes it, still arrives complete and in order when the client is not reading
// yet: most of a 16 MB body must wait for the connection's own writes.
TEST_F(HeldRequestTest, LaterAnswerArrivesWholeWhenTheSocketTakesOnlyPartAtOnce) {
  const std::string body = patterned(16 * 1024 * 1024, 0);
  answer_from_another_thread([&](Responder& responder) {
    responder.respond(Response{200, {}, body});
  });
  const auto [head, received_body] = received();
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0U) << head;
  ASSERT_EQ(received_body.size(), body.size());
  EXPECT_TRUE(received_body == body);
}

// Verifies that a stream produced outside the handler — its head and chunks written at once
// while the connection waits, or queued behind a write the socket could not take whole —
// reaches a client that reads only at the end complete and in order.
TEST_F(HeldRequestTest, StreamWrittenFromAnotherThreadArrivesInOrder) {
  std::string expected;
  answer_from_another_thread([&](Responder& responder) {
    responder.begin_stream(200, {{"Content-Type", "text/event-stream"}});
    for (std::size_t i = 0; i < 64; ++i) {
      std::string chunk = patterned(i % 8 == 3 ? 1024 * 1024 : 100 + i, i);
      expected += chunk;
      responder.write(std::move(chunk), nullptr);
    }
    responder.end_stream();
  });
  const auto [head, body] = received();
  EXPECT_NE(head.find("chunked"), std::string::npos) << head;
  const std::string unchunked = dechunk(body);
  ASSERT_EQ(unchunked.size(), expected.size());
  EXPECT_TRUE(unchunked == expected);
}

}  // namespace
}  // namespace llmtap::http::testing
