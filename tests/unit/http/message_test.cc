#include "http/message.h"

#include <gtest/gtest.h>

#include "base/ascii.h"

namespace llmtap::http {
namespace {

// Verifies that header names match case-insensitively and the first match wins.
TEST(MessageTest, HeaderLookupIgnoresCase) {
  Headers headers{{"Content-Type", "a"}, {"content-type", "b"}};
  EXPECT_EQ(find_header(headers, "CONTENT-TYPE"), "a");
  EXPECT_EQ(find_header(headers, "x-missing"), "");
  EXPECT_TRUE(ascii::iequals("Keep-Alive", "keep-alive"));
  EXPECT_FALSE(ascii::iequals("Keep-Alive", "keep-alivE2"));
}

// Verifies that set_header leaves exactly one header of that name.
TEST(MessageTest, SetHeaderReplacesEveryCopy) {
  Headers headers{{"X-A", "1"}, {"Other", "o"}, {"x-a", "2"}};
  set_header(headers, "X-a", "3");
  EXPECT_EQ(headers, (Headers{{"Other", "o"}, {"X-a", "3"}}));
}

// Verifies that Request::path() strips the query string.
TEST(MessageTest, PathDropsQuery) {
  Request request;
  request.target = "/v1/chat/completions?x=1";
  EXPECT_EQ(request.path(), "/v1/chat/completions");
  request.target = "/plain";
  EXPECT_EQ(request.path(), "/plain");
  request.target = "/frag#x?y";  // whichever comes first ends the path
  EXPECT_EQ(request.path(), "/frag");
  request.target = "/q?a#b";
  EXPECT_EQ(request.path(), "/q");
  request.target = "?only";
  EXPECT_EQ(request.path(), "");
  request.target = "";
  EXPECT_EQ(request.path(), "");
}

}  // namespace
}  // namespace llmtap::http
