#include "sink/sink_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <thread>

#include "compress_for_test.h"
#include "support/http_call.h"
#include "support/temp_dir.h"

namespace llmtap::sink {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kA = R"({"id":"a","status":"success"})";
constexpr std::string_view kB = R"({"id":"b","status":"failure"})";

// A SinkServer on 127.0.0.1:0 with its own runtime thread, writing into a temp dir.
class SinkServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SinkOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.out_path = dir_.file("out.ndjson");
    options.requests_out_path = dir_.file("requests.ndjson");
    options.max_decompressed_bytes = 1024 * 1024;
    server_ = std::make_unique<SinkServer>(runtime_, options);
    server_->listen();
    thread_ = std::thread([this] { runtime_.run(); });
  }
  void TearDown() override {
    runtime_.stop();
    thread_.join();
    server_.reset();
  }

  test::HttpReply post(std::string_view body, std::string content_type, std::string encoding = "") {
    test::HeaderList headers{{"Content-Type", std::move(content_type)}, {"X-Test", "yes"}};
    if (!encoding.empty()) headers.emplace_back("Content-Encoding", std::move(encoding));
    return test::http_request(server_->port(), "POST", "/logs", headers, body);
  }
  std::vector<std::string> records() const {
    return test::read_ndjson_lines(dir_.file("out.ndjson"));
  }
  std::vector<std::string> requests() const {
    return test::read_ndjson_lines(dir_.file("requests.ndjson"));
  }

  test::TempDir dir_;
  http::Runtime runtime_{1};
  std::unique_ptr<SinkServer> server_;
  std::thread thread_;
};

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out += part;
  return out;
}

// Verifies that every body format lands in the out file as one exact record per line, in order.
TEST_F(SinkServerTest, StoresRecordsOfEveryFormat) {
  const test::HttpReply array = post(cat({"[", kA, ",", kB, "]"}), "application/json");
  ASSERT_TRUE(array.ok()) << array.error;
  EXPECT_EQ(array.status, 200);
  EXPECT_EQ(array.body, R"({"status":"ok","records":2})");
  EXPECT_EQ(post(cat({kB, "\n", kA, "\n"}), "application/x-ndjson").status, 200);
  EXPECT_EQ(post(kA, "application/json").status, 200);
  EXPECT_EQ(post(test_util::gzip(cat({"[", kB, "]"})), "application/json", "gzip").status, 200);
  EXPECT_EQ(post(test_util::zstd(cat({kA, "\n"})), "application/x-ndjson", "zstd").status, 200);
  const std::string a(kA);
  const std::string b(kB);
  EXPECT_THAT(records(), ElementsAre(a, b, b, a, a, b, a));
  const SinkCounters counters = server_->counters();
  EXPECT_EQ(counters.requests, 5u);
  EXPECT_EQ(counters.records, 7u);
  EXPECT_EQ(counters.rejected, 0u);
}

// Verifies that an undecodable body gets 400 with a reason, is counted, and stores nothing.
TEST_F(SinkServerTest, RejectsUndecodableBody) {
  const test::HttpReply reply = post("not json", "application/json");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(reply.body, HasSubstr(R"("status":"error")"));
  EXPECT_EQ(
      post(test_util::gzip(std::string(2 * 1024 * 1024, ' ')), "application/json", "gzip").status,
      413);
  EXPECT_EQ(post("x", "application/json", "br").status, 415);
  EXPECT_TRUE(records().empty());
  EXPECT_EQ(server_->counters().rejected, 3u);
}

// Verifies that each request is logged with its headers (lower-cased), format and encoding.
TEST_F(SinkServerTest, LogsEachRequest) {
  ASSERT_EQ(post(test_util::gzip(cat({kA, "\n", kB, "\n"})), "application/x-ndjson", "gzip").status,
            200);
  const std::vector<std::string> lines = requests();
  ASSERT_EQ(lines.size(), 1u);
  simdjson::dom::parser parser;
  const simdjson::dom::element line = parser.parse(lines[0]);
  EXPECT_EQ(std::string_view(line["method"]), "POST");
  EXPECT_EQ(std::string_view(line["path"]), "/logs");
  EXPECT_EQ(std::string_view(line["headers"]["x-test"]), "yes");
  EXPECT_EQ(std::string_view(line["headers"]["content-encoding"]), "gzip");
  EXPECT_EQ(int64_t(line["records"]), 2);
  EXPECT_EQ(std::string_view(line["format"]), "ndjson");
  EXPECT_EQ(std::string_view(line["content_encoding"]), "gzip");
  EXPECT_EQ(int64_t(line["status"]), 200);
}

// Verifies that GET /health answers 200 and is not counted as a delivery.
TEST_F(SinkServerTest, AnswersHealth) {
  const test::HttpReply reply = test::http_request(server_->port(), "GET", "/health");
  ASSERT_TRUE(reply.ok()) << reply.error;
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(server_->counters().requests, 0u);
}

}  // namespace
}  // namespace llmtap::sink
