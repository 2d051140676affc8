// The pure checks of config text (config/validators.h) and the "did you mean" of an unknown key
// (config/diagnostics.h), without YAML.
#include "config/validators.h"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

#include "config/diagnostics.h"

namespace llmtap::config {
namespace {

using std::chrono::milliseconds;

// Verifies that numbers, counts and booleans accept what YAML writers write and nothing else.
TEST(ValidatorsTest, NumbersCountsAndFlags) {
  EXPECT_EQ(parse_number(" +1.5 "), 1.5);
  EXPECT_EQ(parse_number("1e3"), 1000);
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("1.5s"));
  EXPECT_FALSE(parse_number(""));
  EXPECT_EQ(parse_unsigned("42"), 42u);
  EXPECT_FALSE(parse_unsigned("-1"));
  EXPECT_EQ(parse_count("7").value, 7u);
  EXPECT_FALSE(parse_count("0").value);
  EXPECT_EQ(parse_count("0").expected, "a positive integer");
  EXPECT_EQ(parse_retry_count("0").value, 0);
  EXPECT_EQ(parse_retry_count("1000").value, 1000);
  EXPECT_FALSE(parse_retry_count("1001").value);
  EXPECT_FALSE(parse_retry_count("-1").value);
  EXPECT_EQ(parse_retry_count("x").expected, "a whole number from 0 to 1000");
  EXPECT_EQ(parse_non_negative("0").value, 0.0);
  EXPECT_EQ(parse_non_negative("-0.1").expected, "a non-negative number");
  EXPECT_EQ(parse_flag("Yes").value, true);
  EXPECT_EQ(parse_flag("off").value, false);
  EXPECT_EQ(parse_flag("maybe").expected, "true or false");
}

// Verifies that durations in seconds become whole milliseconds, rounded to the nearest one.
TEST(ValidatorsTest, DurationsAreMilliseconds) {
  EXPECT_EQ(parse_duration("600", DurationBound::positive).value, milliseconds(600000));
  EXPECT_EQ(parse_duration("0.25", DurationBound::positive).value, milliseconds(250));
  EXPECT_EQ(parse_duration("0.1", DurationBound::positive).value, milliseconds(100));
  EXPECT_EQ(parse_duration("1.0006", DurationBound::positive).value, milliseconds(1001));
  EXPECT_EQ(parse_duration("0", DurationBound::non_negative).value, milliseconds(0));
}

// Verifies that a positive duration below the millisecond is 1 ms, never a 0 ms deadline.
TEST(ValidatorsTest, TinyPositiveDurationRoundsUpToOneMillisecond) {
  EXPECT_EQ(parse_duration("0.0004", DurationBound::positive).value, milliseconds(1));
  EXPECT_EQ(parse_duration("1e-300", DurationBound::non_negative).value, milliseconds(1));
}

// Verifies the bounds of a duration and what each failure says was expected.
TEST(ValidatorsTest, DurationBounds) {
  EXPECT_EQ(parse_duration("0", DurationBound::positive).expected, "a positive number");
  EXPECT_EQ(parse_duration("-1", DurationBound::non_negative).expected, "a non-negative number");
  EXPECT_EQ(parse_duration("soon", DurationBound::positive).expected, "a positive number");
  EXPECT_EQ(parse_duration("1000000000", DurationBound::positive).value,
            milliseconds(1000000000000));
  EXPECT_EQ(parse_duration("1e12", DurationBound::positive).expected,
            "a positive number of seconds up to 1000000000");
}

// Verifies URLs, webhook secrets, header names and header values.
TEST(ValidatorsTest, UrlsSecretsAndHeaders) {
  EXPECT_TRUE(is_http_url("https://logs.example.com/in"));
  EXPECT_TRUE(is_http_url("HTTP://h"));
  EXPECT_FALSE(is_http_url("ftp://h/x"));
  EXPECT_FALSE(is_http_url("http://"));
  EXPECT_FALSE(is_http_url("http:///path"));
  EXPECT_FALSE(is_http_url("http://h/a b"));
  EXPECT_TRUE(is_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_FALSE(is_webhook_secret("whsec_abc"));
  EXPECT_FALSE(is_webhook_secret("hunter2"));
  EXPECT_TRUE(is_header_token("X-Api-Key"));
  EXPECT_FALSE(is_header_token("Bad Name"));
  EXPECT_FALSE(is_header_token(""));
  EXPECT_TRUE(has_control_break("a\r\nb"));
  EXPECT_TRUE(has_control_break(std::string_view("a\0b", 3)));
  EXPECT_FALSE(has_control_break("plain"));
}

// Verifies that one close known key is suggested, and none when nothing or two are close.
TEST(ClosestSpellingTest, SuggestsOnlyOneCloseKey) {
  constexpr std::array<std::string_view, 5> known{"batch_size", "timeout", "max_queue_bytes",
                                                  "max_batch_bytes", "tls"};
  EXPECT_EQ(closest_spelling("batchsize", known), "batch_size");
  EXPECT_EQ(closest_spelling("Batch_Size", known), "batch_size");
  EXPECT_EQ(closest_spelling("timeuot", known), "timeout");  // a swap is one edit
  EXPECT_EQ(closest_spelling("max_queue_byte", known), "max_queue_bytes");
  EXPECT_EQ(closest_spelling("tsl", known), "tls");
  EXPECT_FALSE(closest_spelling("pin", known));
  EXPECT_FALSE(closest_spelling("retries", known));
  constexpr std::array<std::string_view, 2> kTwins{"abcd_x", "abcd_y"};
  EXPECT_FALSE(closest_spelling("abcd_z", kTwins));
  EXPECT_EQ(unknown_key_message("tiemout", known),
            "unknown key 'tiemout'; did you mean 'timeout'? (known: batch_size, timeout, "
            "max_queue_bytes, max_batch_bytes, tls)");
  EXPECT_EQ(
      unknown_key_message("pin", known),
      "unknown key 'pin' (known: batch_size, timeout, max_queue_bytes, max_batch_bytes, tls)");
}

}  // namespace
}  // namespace llmtap::config
