#include "delivery/dead_letter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace llmtap::delivery {
namespace {

// Verifies that a dead-letter file stays readable when the receiver's answer is not valid UTF-8
// (a Latin-1 body, or an excerpt cut inside a character) or holds quotes and control characters:
// the header line is escaped and repaired like any JSON llmtap writes, so replay can read it.
TEST(DeadLetterTest, HeaderWithInvalidUtf8AndControlCharactersIsReadBack) {
  test::TempDir dir;
  FileDeadLetterSink sink(dir.path());
  Batch batch;
  batch.idempotency_key = "key-1";
  RejectInfo info;
  info.status = 400;
  info.reason = "HTTP 400 \"caf\xE9\"\x01";
  info.body_excerpt = "{\"error\":\"caf\xC3";
  ASSERT_TRUE(sink.store("my_api", batch, info));
  const std::vector<std::string> files = list_dead_letter_files(dir.path());
  ASSERT_EQ(files.size(), 1u);
  const auto file = read_dead_letter_file(files[0]);
  ASSERT_TRUE(file) << file.error().message() << "\n" << test::read_file(files[0]);
  EXPECT_EQ(file->callback, "my_api");
  EXPECT_EQ(file->status, 400);
  EXPECT_EQ(file->reason, "HTTP 400 \"caf\xEF\xBF\xBD\"\x01");
  EXPECT_EQ(sink.write_errors(), 0u);
}

}  // namespace
}  // namespace llmtap::delivery
