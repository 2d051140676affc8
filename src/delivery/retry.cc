#include "delivery/retry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <memory>
#include <random>
#include <utility>

#include "base/ascii.h"

namespace llmtap::delivery {
namespace {

using std::chrono::nanoseconds;

// Looked up here rather than with http::find_header so the sans-I/O core links without http.
std::string_view retry_after_header(const http::Headers& headers) {
  for (const auto& h : headers) {
    if (ascii::iequals(h.name, "Retry-After")) return h.value;
  }
  return {};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// IMF-fixdate, the only HTTP-date form senders may generate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!parse_int(s.substr(5, 2), day) || !parse_int(s.substr(12, 4), year) ||
      !parse_int(s.substr(17, 2), hour) || !parse_int(s.substr(20, 2), minute) ||
      !parse_int(s.substr(23, 2), second)) {
    return std::nullopt;
  }
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), s.substr(8, 3));
  if (month_it == kMonths.end() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::year_month_day ymd{
      std::chrono::year(year),
      std::chrono::month(static_cast<unsigned>(month_it - kMonths.begin() + 1)),
      std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

RetryPolicy::RandomSource default_random() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

}  // namespace

const char* to_string(Disposition disposition) {
  switch (disposition) {
    case Disposition::deliver:
      return "deliver";
    case Disposition::retry:
      return "retry";
    case Disposition::reject:
      return "reject";
  }
  return "unknown";
}

Disposition classify(const http::ClientResult& result) {
  switch (result.error) {
    case http::ClientError::none:
      break;
    case http::ClientError::bad_url:
      return Disposition::reject;  // no later attempt can succeed
    case http::ClientError::resolve:
    case http::ClientError::connect:
    case http::ClientError::tls:
    case http::ClientError::timeout:
    case http::ClientError::io:
    case http::ClientError::protocol:
    case http::ClientError::too_large:
    case http::ClientError::cancelled:
      // The receiver may or may not have stored the batch; resending under the same
      // idempotency key is the at-least-once answer.
      return Disposition::retry;
  }
  const int status = result.response.status;
  if (status >= 200 && status < 300) return Disposition::deliver;
  if (status == 408 || status == 429 || (status >= 500 && status < 600)) return Disposition::retry;
  return Disposition::reject;
}

std::optional<nanoseconds> parse_retry_after(std::string_view value,
                                             std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // Saturate rather than overflow on absurd values; the policy caps the delay anyway.
    if (value.size() > 9)
      return std::chrono::duration_cast<nanoseconds>(std::chrono::hours(24 * 365));
    int seconds = 0;
    if (!parse_int(value, seconds)) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  const auto when = parse_http_date(value);
  if (!when) return std::nullopt;
  if (*when <= now) return nanoseconds(0);
  return std::chrono::duration_cast<nanoseconds>(*when - now);
}

std::string body_excerpt(std::string_view body, std::size_t max_bytes) {
  std::string out;
  const std::size_t n = std::min(body.size(), max_bytes);
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    // Keeps log lines single and readable; UTF-8 bytes pass through.
    out.push_back(c < 0x20 || c == 0x7f ? ' ' : body[i]);
  }
  if (body.size() > max_bytes) out += "...";
  return out;
}

std::string describe(const http::ClientResult& result) {
  if (!result.ok()) {
    const char* name = http::to_string(result.error);
    return result.error_message.empty() ? std::string(name)
                                        : fmt::format("{}: {}", name, result.error_message);
  }
  return fmt::format("HTTP {}", result.response.status);
}

RetryOptions RetryOptions::from_config(const config::CallbackConfig& callback) {
  RetryOptions options;
  options.budget = callback.max_retry_time;
  return options;
}

RetryPolicy::RetryPolicy(RetryOptions options, RandomSource random)
    : options_(options), random_(random ? std::move(random) : default_random()) {}

nanoseconds RetryPolicy::backoff(std::uint32_t failed_attempt,
                                 std::optional<nanoseconds> retry_after) {
  // initial * 2^n without overflow: stop doubling once the cap is reached.
  nanoseconds ceiling = options_.initial_backoff;
  for (std::uint32_t i = 0; i < failed_attempt && ceiling < options_.max_backoff; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, options_.max_backoff);
  const double u = std::clamp(random_(), 0.0, 1.0);
  auto delay = nanoseconds(static_cast<nanoseconds::rep>(u * static_cast<double>(ceiling.count())));
  if (retry_after) delay = std::max(delay, std::min(*retry_after, options_.max_retry_after));
  return delay;
}

RetryDecision RetryPolicy::decide(const http::ClientResult& result, std::uint32_t attempt,
                                  nanoseconds elapsed,
                                  std::chrono::system_clock::time_point system_now) {
  RetryDecision decision;
  decision.disposition = classify(result);
  if (decision.disposition == Disposition::deliver) return decision;
  decision.reason = describe(result);
  if (decision.disposition == Disposition::reject) return decision;
  std::optional<nanoseconds> retry_after;
  if (result.ok())
    retry_after = parse_retry_after(retry_after_header(result.response.headers), system_now);
  decision.delay = backoff(attempt, retry_after);
  if (elapsed + decision.delay > options_.budget) {
    decision.disposition = Disposition::reject;
    decision.budget_exhausted = true;
    decision.reason =
        fmt::format("{} (retry budget of {:.0f}s spent after {} attempts)", decision.reason,
                    std::chrono::duration<double>(options_.budget).count(), attempt + 1);
  }
  return decision;
}

}  // namespace llmtap::delivery
