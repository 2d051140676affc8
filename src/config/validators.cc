#include "config/validators.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/ascii.h"

namespace llmtap::config {

std::optional<double> parse_number(std::string_view text) {
  text = ascii::trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  text = ascii::trim(text);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  text = ascii::trim(text);
  for (auto yes : {"true", "yes", "on", "1"}) {
    if (ascii::iequals(text, yes)) return true;
  }
  for (auto no : {"false", "no", "off", "0"}) {
    if (ascii::iequals(text, no)) return false;
  }
  return std::nullopt;
}

Checked<std::size_t> parse_count(std::string_view text) {
  auto number = parse_unsigned(text);
  if (number && *number > 0) return {static_cast<std::size_t>(*number), {}};
  return {std::nullopt, "a positive integer"};
}

Checked<int> parse_retry_count(std::string_view text) {
  auto number = parse_unsigned(text);
  if (number && *number <= static_cast<std::uint64_t>(kMaxRetryCount)) {
    return {static_cast<int>(*number), {}};
  }
  return {std::nullopt, "a whole number from 0 to 1000"};
}

Checked<double> parse_non_negative(std::string_view text) {
  auto number = parse_number(text);
  if (number && *number >= 0) return {number, {}};
  return {std::nullopt, "a non-negative number"};
}

Checked<bool> parse_flag(std::string_view text) {
  auto flag = parse_bool(text);
  if (flag) return {flag, {}};
  return {std::nullopt, "true or false"};
}

Checked<std::chrono::milliseconds> parse_duration(std::string_view seconds, DurationBound bound) {
  const bool positive = bound == DurationBound::positive;
  const std::string_view expected = positive ? "a positive number" : "a non-negative number";
  auto number = parse_number(seconds);
  if (!number || (positive ? !(*number > 0) : !(*number >= 0))) return {std::nullopt, expected};
  if (*number > kMaxDurationSeconds) {
    return {std::nullopt, positive ? "a positive number of seconds up to 1000000000"
                                   : "a non-negative number of seconds up to 1000000000"};
  }
  auto ms = std::chrono::milliseconds(std::llround(*number * 1000));
  if (*number > 0 && ms.count() == 0) ms = std::chrono::milliseconds(1);
  return {ms, {}};
}

bool is_http_url(std::string_view url) {
  std::string_view rest;
  if (ascii::istarts_with(url, "http://") && url.size() > 7) {
    rest = url.substr(7);
  } else if (ascii::istarts_with(url, "https://") && url.size() > 8) {
    rest = url.substr(8);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == '?' || rest.front() == ':') {
    return false;
  }
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return ascii::is_space(c) || c == '\0'; });
}

bool is_webhook_secret(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view b64 = secret.substr(kPrefix.size());
  if (b64.empty() || b64.size() % 4 != 0) return false;
  const std::size_t data_end = b64.find_last_not_of('=') + 1;
  if (b64.size() - data_end > 2) return false;
  return std::all_of(b64.begin(), b64.begin() + static_cast<std::ptrdiff_t>(data_end), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
  });
}

bool is_header_token(std::string_view name) {
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kTokenSymbols.find(c) != std::string_view::npos;
  });
}

bool has_control_break(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace llmtap::config
