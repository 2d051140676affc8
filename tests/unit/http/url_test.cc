#include "http/url.h"

#include <gtest/gtest.h>

namespace llmtap::http {
namespace {

// Verifies that http and https get ports 80 and 443 and an empty path becomes "/".
TEST(UrlTest, ParsesDefaultPorts) {
  EXPECT_EQ(parse_url("http://example.com"), (Url{"http", "example.com", 80, "/"}));
  EXPECT_EQ(parse_url("HTTPS://api.openai.com/v1/chat?x=1#frag"),
            (Url{"https", "api.openai.com", 443, "/v1/chat?x=1"}));
  EXPECT_EQ(parse_url("http://h?q=1"), (Url{"http", "h", 80, "/?q=1"}));
}

// Verifies explicit ports and bracketed IPv6 literals, and the Host header built back from them.
TEST(UrlTest, ParsesExplicitPortAndIpv6) {
  const auto v4 = parse_url("http://127.0.0.1:8080/log");
  ASSERT_TRUE(v4);
  EXPECT_EQ(*v4, (Url{"http", "127.0.0.1", 8080, "/log"}));
  EXPECT_EQ(v4->authority(), "127.0.0.1:8080");
  const auto v6 = parse_url("https://[::1]:8443/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(*v6, (Url{"https", "::1", 8443, "/x"}));
  EXPECT_EQ(v6->authority(), "[::1]:8443");
  EXPECT_EQ(parse_url("https://[2001:db8::1]")->authority(), "[2001:db8::1]");
}

// Verifies that other schemes, empty hosts, bad ports and user info are refused.
TEST(UrlTest, RejectsWhatWeCannotConnectTo) {
  for (const char* text : {"ftp://h/", "http://", "http:///x", "http://h:0/", "http://h:65536/",
                           "http://h:x/", "http://h:/", "http://user:pw@h/", "http://[::1/",
                           "http://[]/", "http://[::1]x/", "example.com/path", "http://ho st/"}) {
    EXPECT_FALSE(parse_url(text)) << text;
  }
}

// Verifies that a Target carries what the client formats per request: the Host value and the pool
// key, which must tell apart schemes and ports on one host (and leave the default port out, as
// Host does).
TEST(UrlTest, TargetHoldsTheParsedUrlItsHostValueAndPoolKey) {
  const auto plain = make_target("http://127.0.0.1:8080/v1/chat/completions?x=1#frag");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->url, (Url{"http", "127.0.0.1", 8080, "/v1/chat/completions?x=1"}));
  EXPECT_EQ(plain->authority, "127.0.0.1:8080");
  EXPECT_EQ(plain->pool_key, "http://127.0.0.1:8080");
  const auto tls = make_target("HTTPS://[::1]/embeddings");
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->authority, "[::1]");
  EXPECT_EQ(tls->pool_key, "https://[::1]");
  EXPECT_NE(make_target("http://[::1]/")->pool_key, tls->pool_key);
  EXPECT_EQ(make_target("ftp://h/"), nullptr);
  EXPECT_EQ(make_target(""), nullptr);
}

}  // namespace
}  // namespace llmtap::http
