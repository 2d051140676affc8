#include "http/detail/wire.h"

#include <gtest/gtest.h>

#include <string>

namespace llmtap::http::wire {
namespace {

// Verifies the status line, that caller framing headers are replaced by our Content-Length,
// and that HTTP/1.1 keep-alive needs no Connection header.
TEST(WireTest, ResponseHeadFramesTheBodyItself) {
  std::string head;
  append_response_head(head, 11, 200,
                       {{"Content-Type", "application/json"},
                        {"content-length", "999"},
                        {"Transfer-Encoding", "chunked"},
                        {"Connection", "keep-alive"}},
                       42, true);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 42\r\n\r\n");
}

// Verifies Connection: close for a closing HTTP/1.1 answer and keep-alive for a kept HTTP/1.0 one.
TEST(WireTest, ResponseHeadSaysConnectionAsTheVersionNeeds) {
  std::string closing;
  append_response_head(closing, 11, 404, {}, 0, false);
  EXPECT_EQ(closing, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  std::string kept;
  append_response_head(kept, 10, 503, {}, 5, true);
  EXPECT_EQ(
      kept,
      "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n");
}

// Verifies that 204 and 1xx answers carry no Content-Length (RFC 9110 forbids it) and that
// status_without_body covers 1xx, 204 and 304 only.
TEST(WireTest, NoContentLengthWhereTheStatusForbidsABody) {
  std::string no_content;
  append_response_head(no_content, 11, 204, {}, 0, true);
  EXPECT_EQ(no_content, "HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_TRUE(status_without_body(100));
  EXPECT_TRUE(status_without_body(204));
  EXPECT_TRUE(status_without_body(304));
  EXPECT_FALSE(status_without_body(200));
  EXPECT_FALSE(status_without_body(404));
}

// Verifies the head of a streamed answer: chunked on HTTP/1.1, no length on HTTP/1.0, and that
// a caller's Content-Length never reaches a stream.
TEST(WireTest, StreamHeadIsChunkedOrCloseDelimited) {
  std::string chunked;
  append_stream_head(chunked, 11, 200,
                     {{"Content-Type", "text/event-stream"}, {"Content-Length", "5"}}, true, true);
  EXPECT_EQ(
      chunked,
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string old;
  append_stream_head(old, 10, 200, {}, false, false);
  EXPECT_EQ(old, "HTTP/1.0 200 OK\r\n\r\n");
}

// Verifies the chunk-size line and the terminators.
TEST(WireTest, ChunkSizeIsHex) {
  std::string line;
  append_chunk_size(line, 255);
  EXPECT_EQ(line, "ff\r\n");
  line.clear();
  append_chunk_size(line, 16 * 1024);
  EXPECT_EQ(line, "4000\r\n");
  EXPECT_EQ(kChunkEnd, "\r\n");
  EXPECT_EQ(kLastChunk, "0\r\n\r\n");
}

// Verifies defaults for Host and User-Agent, kept caller values, and Content-Length rules.
TEST(WireTest, RequestHeadAddsHostUserAgentAndLengthOnlyWhenMissing) {
  std::string post;
  append_request_head(post, "POST", "/v1/chat/completions", {{"Authorization", "Bearer k"}},
                      "api.example:443", "llmtap/1", 0);
  EXPECT_EQ(
      post,
      "POST /v1/chat/completions HTTP/1.1\r\nAuthorization: Bearer k\r\nHost: api.example:443\r\n"
      "User-Agent: llmtap/1\r\nContent-Length: 0\r\n\r\n");
  std::string get;
  append_request_head(get, "GET", "/v1/models", {{"host", "h"}, {"User-Agent", "mine"}}, "ignored",
                      "llmtap/1", 0);
  EXPECT_EQ(get, "GET /v1/models HTTP/1.1\r\nhost: h\r\nUser-Agent: mine\r\n\r\n");
}

// Verifies that a value with CR/LF/NUL or a name that is not a token is never written.
TEST(WireTest, DropsHeadersThatCouldSplitTheMessage) {
  EXPECT_TRUE(writable({"X-Ok", "a b\tc"}));
  EXPECT_FALSE(writable({"X-Bad", "a\r\nInjected: 1"}));
  EXPECT_FALSE(writable({"X-Bad", std::string("a\0b", 3)}));
  EXPECT_FALSE(writable({"Bad Name", "v"}));
  EXPECT_FALSE(writable({"", "v"}));
  std::string head;
  append_response_head(head, 11, 200, {{"X-Bad", "a\nInjected: 1"}, {"X-Ok", "1"}}, 0, true);
  EXPECT_EQ(head, "HTTP/1.1 200 OK\r\nX-Ok: 1\r\nContent-Length: 0\r\n\r\n");
}

}  // namespace
}  // namespace llmtap::http::wire
