#include "support/process.h"

#include <gtest/gtest.h>

#include <csignal>

#include "support/started_server.h"

namespace llmtap::test {
namespace {

ProcessOptions shell(std::string script, EnvVars env = {}) {
  return {"/bin/sh", {"-c", std::move(script)}, std::move(env)};
}

// Verifies that stdout and stderr are captured separately and the exit code is reported.
TEST(ProcessTest, CapturesOutputAndExitCode) {
  Process process(shell("echo out-line; echo err-line >&2; exit 3"));
  EXPECT_EQ(process.wait_exit(std::chrono::seconds{10}), 3);
  ASSERT_TRUE(process.wait_for_text(Stream::err, "err-line"));
  EXPECT_EQ(process.out(), "out-line\n");
  EXPECT_EQ(process.err(), "err-line\n");
}

// Verifies that extra environment variables reach the child, overriding inherited ones.
TEST(ProcessTest, PassesEnvironment) {
  Process process(shell("echo \"[$LLMTAP_TEST_VAR][$HOME]\"",
                        {{"LLMTAP_TEST_VAR", "v 1"}, {"HOME", "/nowhere"}}));
  const auto line = process.wait_for_text(Stream::out, "[v 1][/nowhere]");
  EXPECT_TRUE(line) << process.out();
}

// Verifies that wait_for_line returns the regex groups of the first matching line.
TEST(ProcessTest, WaitsForMatchingLine) {
  Process process(shell("echo starting; echo 'port is 4321'; sleep 30"));
  const auto match =
      process.wait_for_line(Stream::out, std::regex(R"(port is (\d+))"), std::chrono::seconds{10});
  ASSERT_TRUE(match);
  EXPECT_EQ(match->line, "port is 4321");
  EXPECT_EQ(match->groups.at(1), "4321");
}

// Verifies that waiting for a line gives up when the child closes its output without printing it.
TEST(ProcessTest, StopsWaitingWhenOutputCloses) {
  Process process(shell("echo nothing-useful"));
  EXPECT_FALSE(process.wait_for_text(Stream::either, "never printed", std::chrono::seconds{10}));
}

// Verifies that a signal reaches the child and its exit is reported as 128 + signal.
TEST(ProcessTest, SignalsAndReportsSignalExit) {
  Process process(shell("exec sleep 30"));
  EXPECT_TRUE(process.running());
  EXPECT_FALSE(process.wait_exit(std::chrono::milliseconds{0}));
  ASSERT_TRUE(process.send_signal(SIGTERM));
  EXPECT_EQ(process.wait_exit(std::chrono::seconds{10}), 128 + SIGTERM);
  EXPECT_FALSE(process.send_signal(SIGTERM));
}

// Verifies that destroying a Process kills a child that is still running.
TEST(ProcessTest, KillsChildOnDestruction) {
  pid_t pid = 0;
  {
    Process process(shell("exec sleep 30"));
    pid = process.pid();
    ASSERT_EQ(::kill(pid, 0), 0);
  }
  EXPECT_NE(::kill(pid, 0), 0);
}

// Verifies that a missing program is reported at start.
TEST(ProcessTest, ThrowsWhenProgramMissing) {
  EXPECT_THROW(Process({"/nonexistent/llmtap-none", {}, {}}), std::system_error);
}

// Verifies that start_server parses the port from a "listening on host:port" line.
TEST(StartedServerTest, ParsesListeningPort) {
  const StartedServer server =
      start_server(shell("echo 'llmtap sink listening on 127.0.0.1:4321' >&2; exec sleep 30"));
  ASSERT_TRUE(server.ok()) << server.error;
  EXPECT_EQ(server.port, 4321);
}

// Verifies that a server that exits before listening is reported with its exit code and output.
TEST(StartedServerTest, ReportsEarlyExit) {
  const StartedServer server = start_server(shell("echo 'config.yaml:1:1: bad' >&2; exit 2"));
  EXPECT_FALSE(server.ok());
  EXPECT_NE(server.error.find("exited with 2"), std::string::npos) << server.error;
  EXPECT_NE(server.error.find("config.yaml:1:1: bad"), std::string::npos) << server.error;
}

}  // namespace
}  // namespace llmtap::test
