// Pure checks of config text: numbers, counts, booleans, durations, URLs, webhook secrets and
// header names. No YAML and no diagnostics: the loader turns a failed check into a message
// "expected <what>, got '<text>'" naming the key. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace llmtap::config {

// A checked value, or what the text should have been ("a positive integer") when it is not.
template <typename T>
struct Checked {
  std::optional<T> value;
  std::string_view expected;
};

// A finite decimal number ("1.5", "+2", "1e3"), surrounding spaces allowed.
std::optional<double> parse_number(std::string_view text);
// A non-negative integer in decimal.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);
// true/yes/on/1 and false/no/off/0, any case.
std::optional<bool> parse_bool(std::string_view text);

Checked<std::size_t> parse_count(std::string_view text);  // a positive integer
// A retry, fallback or allowed-fails count: 0 to kMaxRetryCount, far beyond any real setting.
inline constexpr int kMaxRetryCount = 1000;
Checked<int> parse_retry_count(std::string_view text);
Checked<double> parse_non_negative(std::string_view text);  // prices per token
Checked<bool> parse_flag(std::string_view text);            // true or false

// Durations are written in seconds (fractions allowed) and kept to the millisecond: rounded to
// the nearest millisecond, and a positive value below that rounds up to 1 ms, so a tiny timeout
// never becomes a 0 ms deadline. At most kMaxDurationSeconds, far beyond any real setting and
// well inside what a steady_clock deadline can hold.
enum class DurationBound { positive, non_negative };
inline constexpr double kMaxDurationSeconds = 1e9;
Checked<std::chrono::milliseconds> parse_duration(std::string_view seconds, DurationBound bound);

// An http:// or https:// URL with a host and no spaces.
bool is_http_url(std::string_view url);
// `whsec_` + standard base64 (padded) of the key bytes, as Standard Webhooks secrets are written.
bool is_webhook_secret(std::string_view secret);
// An RFC 7230 token, as a header name must be.
bool is_header_token(std::string_view name);
// CR, LF or NUL: a header value with one would split or end the header.
bool has_control_break(std::string_view value);

}  // namespace llmtap::config
