// End-to-end tests against a real ClickHouse (Debian 12's clickhouse-server 18.16), started here
// on 127.0.0.1 with its own temporary data folder (never the system service): llmtap with the
// `clickhouse` preset inserts one row per call, and the rows are queried back — exact counts,
// token and cost sums per model and status, the `record` column parsing back to the record;
// a row the table rejects (400) is dead-lettered with ClickHouse's message; a server that is down
// is retried until it is up, without duplicates.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "integration/e2e_fixture.h"
#include "support/wait.h"

namespace llmtap::test {
namespace {

using std::chrono::seconds;

constexpr const char* kClickHouseServer = "/usr/sbin/clickhouse-server";

constexpr const char* kServerConfig = R"(<yandex>
  <logger><level>warning</level><log>{DIR}/log/server.log</log><errorlog>{DIR}/log/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>{HTTP_PORT}</http_port>
  <tcp_port>{TCP_PORT}</tcp_port>
  <path>{DIR}/data/</path>
  <tmp_path>{DIR}/tmp/</tmp_path>
  <user_files_path>{DIR}/user_files/</user_files_path>
  <format_schema_path>{DIR}/format_schemas/</format_schema_path>
  <mark_cache_size>16777216</mark_cache_size>
  <users_config>{DIR}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
</yandex>
)";

constexpr const char* kUsersConfig = R"(<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
)";

std::string llmtap_config() {
  ConfigBuilder builder;
  builder.upstream("gpt-4o", "gpt-4o-2024-08-06",
                   "input_cost_per_token: 0.000001\noutput_cost_per_token: 0.000002");
  builder.upstream("unavailable", "status-503").mock("mocked", "Hi from the mock");
  builder.litellm_settings("DEFAULT_FLUSH_INTERVAL_SECONDS: 0.1");
  builder.callback("clickhouse").set("dead_letter_path", "{DIR}/dl");  // the preset, by name
  return builder.yaml();
}

// A port that was free a moment ago (ClickHouse takes ports from its config, not port 0).
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

class ClickHouseE2eTest : public E2eFixture {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kClickHouseServer)) {
      GTEST_SKIP() << kClickHouseServer
                   << " is not installed (scripts/install-deps.sh installs it)";
    }
    http_port_ = free_port();
    tcp_port_ = free_port();
    ASSERT_NE(http_port_, 0);
    ASSERT_NE(tcp_port_, 0);
    ch_dir_ = dir_.file("clickhouse");
    std::filesystem::create_directories(ch_dir_ + "/log");
  }

  void TearDown() override { stop_clickhouse(); }

  // Starts clickhouse-server on the fixture's ports and waits for GET /ping → "Ok.".
  void start_clickhouse() {
    const std::vector<std::pair<std::string, std::string>> values{
        {"DIR", ch_dir_},
        {"HTTP_PORT", std::to_string(http_port_)},
        {"TCP_PORT", std::to_string(tcp_port_)}};
    dir_.write_file("clickhouse/users.xml", kUsersConfig);
    const std::string config =
        dir_.write_file("clickhouse/config.xml", fill(kServerConfig, values));
    clickhouse_ = std::make_unique<Process>(
        ProcessOptions{kClickHouseServer, {"--config-file=" + config}, {}});
    const bool up = wait_until(
        [&] {
          HttpReply reply =
              http_request(http_port_, "GET", "/ping", {}, {}, std::chrono::milliseconds{500});
          return reply.ok() && reply.status == 200 && reply.body == "Ok.\n";
        },
        seconds{20});
    ASSERT_TRUE(up) << "clickhouse-server did not answer /ping: " << clickhouse_->err()
                    << read_file(ch_dir_ + "/log/error.log");
  }

  void stop_clickhouse() {
    if (!clickhouse_) return;
    clickhouse_->send_signal(SIGKILL);
    clickhouse_->wait_exit(seconds{10});
    clickhouse_.reset();
  }

  // Runs `sql` over HTTP (POST body); the reply body, with a failure recorded on a non-200.
  std::string query(const std::string& sql) {
    HttpReply reply = http_request(http_port_, "POST", "/", {}, sql);
    EXPECT_TRUE(reply.ok()) << reply.error;
    EXPECT_EQ(reply.status, 200) << sql << "\n" << reply.body;
    return reply.body;
  }

  std::string schema(std::string_view table = "llm_logs") {
    std::string sql = read_file(std::string(LLMTAP_SOURCE_DIR) + "/deploy/clickhouse/schema.sql");
    if (table != "llm_logs") sql.replace(sql.find("llm_logs"), 8, table);
    return sql;
  }

  void start_llmtap_with(EnvVars env) {
    env.emplace_back("CLICKHOUSE_URL", "http://127.0.0.1:" + std::to_string(http_port_));
    start(llmtap_config(), std::move(env), /*with_upstream=*/true);
  }

  std::size_t row_count(std::string_view table = "llm_logs") {
    HttpReply reply =
        http_request(http_port_, "POST", "/", {}, "SELECT count() FROM " + std::string(table));
    return reply.ok() && reply.status == 200 ? std::stoul(reply.body) : 0;
  }

  HttpReply stream_chat(std::string_view model) {
    const std::string body = R"({"model":")" + std::string(model) +
                             R"(","messages":[{"role":"user","content":"Hello"}],"stream":true})";
    return http_request(llmtap_.port, "POST", "/v1/chat/completions",
                        {{"Content-Type", "application/json"}, {"Authorization", "Bearer sk-1234"}},
                        body);
  }

  double metric(const std::string& name) { return E2eFixture::metric(name, "clickhouse"); }

  std::uint16_t http_port_ = 0;
  std::uint16_t tcp_port_ = 0;
  std::string ch_dir_;
  std::unique_ptr<Process> clickhouse_;
};

struct Totals {
  std::uint64_t count = 0;
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
  std::uint64_t total_tokens = 0;
  double cost = 0;
};

// Verifies that success, failure and streamed calls each become one row: exact counts per model,
// status and stream, token and cost sums that match the records, the call ids the gateway returned,
// and a `record` column that parses back to the record its columns came from.
TEST_F(ClickHouseE2eTest, EveryCallBecomesOneQueryableRow) {
  ASSERT_NO_FATAL_FAILURE(start_clickhouse());
  query(schema());
  ASSERT_NO_FATAL_FAILURE(start_llmtap_with({}));

  std::set<std::string> call_ids;
  for (int i = 0; i < 3; ++i) {
    HttpReply reply = chat("gpt-4o");
    ASSERT_EQ(reply.status, 200) << reply.body;
    call_ids.insert(reply.header("x-litellm-call-id"));
  }
  for (int i = 0; i < 2; ++i) {
    HttpReply reply = stream_chat("gpt-4o");
    ASSERT_EQ(reply.status, 200) << reply.body;
    call_ids.insert(reply.header("x-litellm-call-id"));
  }
  for (int i = 0; i < 2; ++i) {
    HttpReply reply = chat("unavailable");
    ASSERT_GE(reply.status, 500) << reply.body;
    call_ids.insert(reply.header("x-litellm-call-id"));
  }
  HttpReply mocked = chat("mocked");
  ASSERT_EQ(mocked.status, 200) << mocked.body;
  call_ids.insert(mocked.header("x-litellm-call-id"));
  constexpr std::size_t kCalls = 8;
  ASSERT_TRUE(wait_until([&] { return row_count() >= kCalls; }, seconds{15})) << row_count();
  EXPECT_EQ(row_count(), kCalls);
  EXPECT_EQ(query("SELECT uniqExact(id) FROM llm_logs"), "8\n") << "a row was inserted twice";

  // The columns, per model / status / stream, against the records in the `record` column.
  std::map<std::tuple<std::string, std::string, int>, Totals> from_records;
  std::set<std::string> seen_ids;
  const std::string rows = query(
      "SELECT litellm_call_id, model, status, stream, prompt_tokens, completion_tokens, "
      "total_tokens, "
      "response_cost, startTime, error_class, record FROM llm_logs FORMAT JSONEachRow");
  std::istringstream lines(rows);
  std::string line;
  simdjson::dom::parser row_parser;
  while (std::getline(lines, line)) {
    auto row = row_parser.parse(line);
    ASSERT_FALSE(row.error()) << line;
    std::string_view record_json = row["record"];
    auto record = parser_.parse(record_json);
    ASSERT_FALSE(record.error()) << record_json;
    EXPECT_EQ(std::string_view(row["litellm_call_id"]),
              std::string_view(record["litellm_call_id"]));
    EXPECT_EQ(std::string_view(row["model"]), std::string_view(record["model"]));
    EXPECT_EQ(std::string_view(row["status"]), std::string_view(record["status"]));
    EXPECT_EQ(std::uint64_t(row["stream"]), bool(record["stream"]) ? 1u : 0u);
    EXPECT_DOUBLE_EQ(double(row["startTime"]), double(record["startTime"]));
    const std::string status(record["status"]);
    if (status == "failure") {
      EXPECT_EQ(std::string_view(row["error_class"]),
                std::string_view(record["error_information"]["error_class"]));
    }
    seen_ids.insert(std::string(std::string_view(row["litellm_call_id"])));
    Totals& t =
        from_records[{std::string(record["model"]), status, bool(record["stream"]) ? 1 : 0}];
    ++t.count;
    t.prompt_tokens += std::uint64_t(record["prompt_tokens"]);
    t.completion_tokens += std::uint64_t(record["completion_tokens"]);
    t.total_tokens += std::uint64_t(record["total_tokens"]);
    t.cost += double(record["response_cost"]);
  }
  EXPECT_EQ(seen_ids, call_ids);

  std::map<std::tuple<std::string, std::string, int>, Totals> from_columns;
  std::istringstream groups(
      query("SELECT model, status, stream, count(), sum(prompt_tokens), sum(completion_tokens), "
            "sum(total_tokens), "
            "sum(response_cost) FROM llm_logs GROUP BY model, status, stream FORMAT TSV"));
  while (std::getline(groups, line)) {
    std::istringstream fields(line);
    std::string model, status;
    int stream = 0;
    Totals t;
    fields >> model >> status >> stream >> t.count >> t.prompt_tokens >> t.completion_tokens >>
        t.total_tokens >> t.cost;
    from_columns[{model, status, stream}] = t;
  }
  ASSERT_EQ(from_columns.size(), from_records.size()) << rows;
  for (const auto& [key, want] : from_records) {
    const Totals& got = from_columns[key];
    SCOPED_TRACE(std::get<0>(key) + " " + std::get<1>(key) +
                 " stream=" + std::to_string(std::get<2>(key)));
    EXPECT_EQ(got.count, want.count);
    EXPECT_EQ(got.prompt_tokens, want.prompt_tokens);
    EXPECT_EQ(got.completion_tokens, want.completion_tokens);
    EXPECT_EQ(got.total_tokens, want.total_tokens);
    EXPECT_NEAR(got.cost, want.cost, 1e-12);
  }
  // The exact mix that was sent.
  const auto count_of = [&](std::string_view status, int stream) {
    std::uint64_t n = 0;
    for (const auto& [key, t] : from_columns) {
      if (std::get<1>(key) == status && std::get<2>(key) == stream) n += t.count;
    }
    return n;
  };
  EXPECT_EQ(count_of("success", 0), 4u);
  EXPECT_EQ(count_of("success", 1), 2u);
  EXPECT_EQ(count_of("failure", 0), 2u);
  EXPECT_EQ(query("SELECT sum(total_tokens) > 0, sum(response_cost) > 0 FROM llm_logs WHERE status "
                  "= 'success' "
                  "AND stream = 1 FORMAT TSV"),
            "1\t1\n");
  // ClickHouse has the rows before llmtap has read its answer and counted them.
  EXPECT_TRUE(wait_until([&] { return metric("llmtap_callback_records_delivered_total") == 8; },
                         seconds{5}));
}

// Verifies that a row the table rejects (a String column given a number: HTTP 400) is not retried
// but dead-lettered with ClickHouse's message, and counted.
TEST_F(ClickHouseE2eTest, RejectedRowIsDeadLetteredWithClickHouseMessage) {
  ASSERT_NO_FATAL_FAILURE(start_clickhouse());
  query("CREATE TABLE llm_bad (id String, total_tokens String, record String) ENGINE = Memory");
  ASSERT_NO_FATAL_FAILURE(start_llmtap_with({{"CLICKHOUSE_TABLE", "llm_bad"}}));
  ASSERT_EQ(chat("mocked").status, 200);
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_records_dead_lettered_total") == 1; },
                         seconds{10}));
  EXPECT_EQ(metric("llmtap_callback_records_rejected_total"), 1);
  EXPECT_EQ(row_count("llm_bad"), 0u);
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_.file("dl")))
    files.push_back(e.path().string());
  ASSERT_EQ(files.size(), 1u);
  const auto lines = read_ndjson_lines(files[0]);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("\"status\":400"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("Cannot parse JSON string"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("\"record\":\""), std::string::npos) << lines[1];
}

// Verifies that calls made while ClickHouse is down are retried and land once it is up — each
// exactly once.
TEST_F(ClickHouseE2eTest, DownServerIsRetriedUntilItIsUp) {
  // The table is created before the outage, so the server answers with it as soon as it is back:
  // creating it after the restart left a window in which a retry met "unknown table" (a 404,
  // dead-lettered by design) instead of the outage this test is about.
  ASSERT_NO_FATAL_FAILURE(start_clickhouse());
  query(schema());
  stop_clickhouse();
  ASSERT_NO_FATAL_FAILURE(start_llmtap_with({}));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(chat("mocked").status, 200);
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_records_retried_total") >= 3; },
                         seconds{10}));
  ASSERT_NO_FATAL_FAILURE(start_clickhouse());
  ASSERT_TRUE(wait_until([&] { return metric("llmtap_callback_records_delivered_total") == 3; },
                         seconds{20}));
  EXPECT_EQ(row_count(), 3u);
  EXPECT_EQ(query("SELECT uniqExact(id) FROM llm_logs"), "3\n");
  EXPECT_EQ(metric("llmtap_callback_records_dead_lettered_total"), 0);
}

}  // namespace
}  // namespace llmtap::test
