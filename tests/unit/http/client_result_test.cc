#include "http/client_result.h"

#include <gtest/gtest.h>

namespace llmtap::http {
namespace {

// Verifies that a ClientError converts to an ErrorCode of the http category, `none` being success,
// and that its message is the error's name.
TEST(ClientResultTest, ClientErrorIsAnErrorCode) {
  const ErrorCode none = ClientError::none;
  EXPECT_FALSE(none);
  ClientResult result;
  result.error = ClientError::timeout;
  const ErrorCode code = result.code();
  EXPECT_TRUE(code);
  EXPECT_EQ(code, ClientError::timeout);
  EXPECT_STREQ(code.category().name(), "llmtap.http");
  EXPECT_EQ(code.message(), "timeout");
  EXPECT_EQ(std::string(to_string(ClientError::too_large)), "too_large");
}

}  // namespace
}  // namespace llmtap::http
