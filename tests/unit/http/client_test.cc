#include "http/client.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "test_peer.h"

namespace llmtap::http::testing {
namespace {

using ClientTest = RuntimeTest;

Handler ok_handler() {
  return [](Request request, std::shared_ptr<Responder> responder) {
    responder->respond(Response{200, {}, "ok " + request.body});
  };
}

// Verifies that two sends to one host share one pooled connection.
TEST_F(ClientTest, ReusesAKeepAliveConnection) {
  auto server = start_server(ok_handler());
  Client client(runtime_, {});
  auto request = request_to(*server);
  EXPECT_TRUE(send_and_wait(client, request).ok());
  EXPECT_TRUE(send_and_wait(client, request).ok());
  EXPECT_EQ(client.connections_opened(), 1U);
  EXPECT_EQ(server->connections_accepted(), 1U);
}

// Verifies that a pooled connection the server closed while idle is replaced transparently.
TEST_F(ClientTest, RetriesOnceWhenThePooledConnectionIsStale) {
  auto first = start_server(ok_handler());
  Client client(runtime_, {});
  auto request = request_to(*first);
  ASSERT_TRUE(send_and_wait(client, request).ok());
  // The first server closes the pooled connection; a second one takes over the same port.
  first->stop_accepting();
  ASSERT_TRUE(wait_until([&] { return first->open_connections() == 0; }));
  ASSERT_TRUE(wait_until([&] { return !RawPeer(first->port()).connected(); }));  // listener closed
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = first->port();
  first.reset();
  Server second(runtime_, options, ok_handler());
  second.listen();
  const auto result = send_and_wait(client, request);
  EXPECT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(client.connections_opened(), 2U);
  EXPECT_EQ(second.connections_accepted(), 1U);
}

// Verifies that the request deadline ends an exchange the server never answers.
TEST_F(ClientTest, TimesOutWhenTheServerNeverAnswers) {
  std::mutex mu;
  std::vector<std::shared_ptr<Responder>> held;
  auto server = start_server([&](Request, std::shared_ptr<Responder> responder) {
    std::lock_guard lock(mu);
    held.push_back(std::move(responder));
  });
  Client client(runtime_, {});
  auto request = request_to(*server);
  request.timeout = std::chrono::milliseconds(200);
  const auto result = send_and_wait(client, request);
  EXPECT_EQ(result.error, ClientError::timeout) << result.error_message;
  std::lock_guard lock(mu);
  held.clear();
}

// A server whose n-th answer comes after delays[n] (none: never), each from a thread of its own.
class DelayedAnswersTest : public RuntimeTest {
 protected:
  static constexpr std::chrono::milliseconds kNever{-1};
  std::unique_ptr<Server> start_delayed(std::vector<std::chrono::milliseconds> delays) {
    return start_server([this, delays](Request, std::shared_ptr<Responder> responder) {
      std::lock_guard lock(mu_);
      const std::size_t n = requests_++;
      const auto delay = n < delays.size() ? delays[n] : std::chrono::milliseconds(0);
      if (delay == kNever) {
        held_.push_back(std::move(responder));
        return;
      }
      answerers_.emplace_back([delay, responder = std::move(responder)] {
        std::this_thread::sleep_for(delay);
        responder->respond(Response{200, {}, "answer"});
      });
    });
  }
  ~DelayedAnswersTest() override {
    for (auto& answerer : answerers_) answerer.join();
    std::lock_guard lock(mu_);
    held_.clear();
  }

  std::mutex mu_;
  std::size_t requests_ = 0;                      // guarded by mu_
  std::vector<std::shared_ptr<Responder>> held_;  // guarded by mu_
  std::vector<std::thread> answerers_;            // guarded by mu_
};

// Verifies that a pooled connection whose deadline was armed for a long first exchange does
// not make a short second one wait for that long deadline.
TEST_F(DelayedAnswersTest, ShorterTimeoutOnAPooledConnectionApplies) {
  auto server = start_delayed({std::chrono::milliseconds(0), kNever});
  Client client(runtime_, {});
  auto request = request_to(*server);
  // The first deadline is an hour away and the server never answers the second exchange: only
  // that exchange's own 100 ms deadline can end it within send_and_wait's kWait.
  request.timeout = std::chrono::hours(1);
  ASSERT_TRUE(send_and_wait(client, request).ok());
  request.timeout = std::chrono::milliseconds(100);
  const auto result = send_and_wait(client, request);
  EXPECT_EQ(result.error, ClientError::timeout)
      << "the short exchange waited for the first exchange's deadline: " << result.error_message;
  EXPECT_EQ(client.connections_opened(), 1U);
}

// Verifies that the deadline armed for a short first exchange does not end a longer second
// one on the same pooled connection: the answer comes after the first deadline has passed.
TEST_F(DelayedAnswersTest, LongerTimeoutOnAPooledConnectionOutlivesTheEarlierDeadline) {
  auto server = start_delayed({std::chrono::milliseconds(0), std::chrono::milliseconds(400)});
  Client client(runtime_, {});
  auto request = request_to(*server);
  request.timeout = std::chrono::milliseconds(200);
  ASSERT_TRUE(send_and_wait(client, request).ok());
  request.timeout = std::chrono::seconds(5);
  const auto result = send_and_wait(client, request);
  EXPECT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(client.connections_opened(), 1U);
}

// Verifies that a refused connection is classified as connect.
TEST_F(ClientTest, ReportsConnectFailure) {
  Client client(runtime_, {});
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
  const auto result = send_and_wait(client, request);
  EXPECT_EQ(result.error, ClientError::connect) << result.error_message;
}

// Verifies that send() assembles a chunked answer into one body, with its status and headers.
TEST_F(ClientTest, ReadsAChunkedAnswerWhole) {
  auto server = start_server([](Request, std::shared_ptr<Responder> responder) {
    responder->begin_stream(203, {{"X-Kind", "chunked"}});
    responder->write("first ", nullptr);
    responder->write("second", nullptr);
    responder->end_stream();
  });
  Client client(runtime_, {});
  const auto result = send_and_wait(client, request_to(*server));
  ASSERT_TRUE(result.ok()) << result.error_message;
  EXPECT_EQ(result.response.status, 203);
  EXPECT_EQ(result.response.header("x-kind"), "chunked");
  EXPECT_EQ(result.response.header("transfer-encoding"), "chunked");
  EXPECT_EQ(result.response.body, "first second");
}

// Verifies that an unparsable URL fails with bad_url without any I/O.
TEST_F(ClientTest, ReportsBadUrl) {
  Client client(runtime_, {});
  ClientRequest request;
  request.url = "ftp://nowhere/";
  EXPECT_EQ(send_and_wait(client, request).error, ClientError::bad_url);
}

// Verifies that a response body beyond max_response_bytes is reported as too_large.
TEST_F(ClientTest, RefusesAResponseOverTheLimit) {
  auto server = start_server([](Request, std::shared_ptr<Responder> responder) {
    responder->respond(Response{200, {}, std::string(10000, 'y')});
  });
  ClientOptions options;
  options.max_response_bytes = 1000;
  Client client(runtime_, options);
  auto request = request_to(*server);
  EXPECT_EQ(send_and_wait(client, request).error, ClientError::too_large);
}

// Verifies the headers the client adds when the caller did not.
TEST_F(ClientTest, AddsHostUserAgentAndContentLength) {
  std::promise<Request> seen;
  auto server = start_server([&](Request request, std::shared_ptr<Responder> responder) {
    seen.set_value(request);
    responder->respond(Response{});
  });
  Client client(runtime_, {});
  auto request = request_to(*server, "/p");
  request.body = "abc";
  ASSERT_TRUE(send_and_wait(client, request).ok());
  auto future = seen.get_future();
  const auto got = wait_for(future);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->header("host"), "127.0.0.1:" + std::to_string(server->port()));
  EXPECT_EQ(got->header("user-agent"), "llmtap/" LLMTAP_VERSION);
  EXPECT_EQ(got->header("content-length"), "3");
  EXPECT_EQ(got->method, "POST");
}

// Collects streamed pieces for the test thread to wait on.
struct StreamLog {
  std::mutex mu;
  std::condition_variable cv;
  int status = 0;
  std::vector<std::string> pieces;
  std::optional<ClientResult> done;

  StreamCallbacks callbacks(bool keep_reading = true) {
    return StreamCallbacks{[this](int s, const Headers&) {
                             std::lock_guard lock(mu);
                             status = s;
                           },
                           [this, keep_reading](std::string_view data) {
                             std::lock_guard lock(mu);
                             pieces.emplace_back(data);
                             cv.notify_all();
                             return keep_reading;
                           },
                           [this](ClientResult result) {
                             std::lock_guard lock(mu);
                             done = std::move(result);
                             cv.notify_all();
                           }};
  }
  template <class Pred>
  bool wait(Pred pred) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kWait, pred);
  }
};

// Verifies that send_streaming hands over chunk 1 before the server has even written chunk 2.
TEST_F(ClientTest, StreamsPiecesAsTheyArrive) {
  std::promise<std::shared_ptr<Responder>> handed;
  auto server = start_server([&](Request, std::shared_ptr<Responder> responder) {
    responder->begin_stream(200, {{"Content-Type", "text/event-stream"}});
    responder->write("data: one\n\n", nullptr);
    handed.set_value(std::move(responder));
  });
  Client client(runtime_, {});
  auto request = request_to(*server);
  StreamLog log;
  client.send_streaming(request, log.callbacks());
  auto handed_future = handed.get_future();
  auto responder = wait_for(handed_future);
  ASSERT_TRUE(responder);
  ASSERT_TRUE(log.wait([&] { return !log.pieces.empty(); }));
  {
    std::lock_guard lock(log.mu);
    EXPECT_EQ(log.pieces.front(), "data: one\n\n");
    EXPECT_FALSE(log.done);
  }
  std::promise<bool> written;
  (*responder)->write("data: two\n\n", [&](bool ok) { written.set_value(ok); });
  (*responder)->end_stream();
  responder->reset();
  ASSERT_TRUE(log.wait([&] { return log.done.has_value(); }));
  std::lock_guard lock(log.mu);
  EXPECT_TRUE(log.done->ok()) << log.done->error_message;
  EXPECT_EQ(log.status, 200);
  EXPECT_GE(log.pieces.size(), 2U);
  std::string all;
  for (const auto& piece : log.pieces) all += piece;
  EXPECT_EQ(all, "data: one\n\ndata: two\n\n");
  auto written_future = written.get_future();
  EXPECT_EQ(wait_for(written_future), std::optional<bool>(true));
}

// Verifies that on_data returning false ends the exchange as cancelled, and the server's later
// writes report the client gone.
TEST_F(ClientTest, StreamingConsumerCanCancel) {
  std::promise<std::shared_ptr<Responder>> handed;
  auto server = start_server([&](Request, std::shared_ptr<Responder> responder) {
    responder->begin_stream(200, {});
    responder->write("first", nullptr);
    handed.set_value(std::move(responder));
  });
  Client client(runtime_, {});
  auto request = request_to(*server);
  StreamLog log;
  client.send_streaming(request, log.callbacks(false));
  ASSERT_TRUE(log.wait([&] { return log.done.has_value(); }));
  {
    std::lock_guard lock(log.mu);
    EXPECT_EQ(log.done->error, ClientError::cancelled);
  }
  auto handed_future = handed.get_future();
  auto responder = wait_for(handed_future);
  ASSERT_TRUE(responder);
  // Writes into a closed connection fail within a few attempts (the first may still be buffered).
  bool failed = false;
  for (int i = 0; i < 50 && !failed; ++i) {
    std::promise<bool> written;
    auto future = written.get_future();
    (*responder)->write(std::string(64 * 1024, 'z'), [&](bool ok) { written.set_value(ok); });
    failed = wait_for(future) == std::optional<bool>(false);
  }
  EXPECT_TRUE(failed);
  EXPECT_TRUE((*responder)->client_gone());
  (*responder)->end_stream();
}

}  // namespace
}  // namespace llmtap::http::testing
