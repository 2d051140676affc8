#include "providers/bedrock/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <vector>

#include "base/ascii.h"
#include "base/sha256.h"

namespace llmtap::providers::bedrock {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr std::string_view kUpperHex = "0123456789ABCDEF";

constexpr std::size_t kHexDigestSize = 2 * kSha256Size;

// Appends `parts` with one allocation, room left for `extra` bytes more (a hex digest).
void append_parts(std::string& out, std::initializer_list<std::string_view> parts,
                  std::size_t extra = 0) {
  std::size_t size = out.size() + extra;
  for (const std::string_view part : parts) size += part.size();
  out.reserve(size);
  for (const std::string_view part : parts) out += part;
}

constexpr bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// RFC 3986 percent-encoding with upper-case hex, as SigV4 asks: every byte but the unreserved
// ones (and '/' in a path) is escaped, '%' included — which is why a path that already holds
// `%3A` is signed as `%253A`.
void append_uri_encoded(std::string& out, std::string_view bytes, bool keep_slash) {
  for (const char c : bytes) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out += c;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kUpperHex[byte >> 4U];
    out += kUpperHex[byte & 0xFU];
  }
}

constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A query name or value as SigV4 signs it: its escapes decoded, then encoded again, so `%3a`,
// `%3A` and a raw ':' all sign as `%3A`, and raw UTF-8 or spaces as their escapes. A '%' that
// starts no escape is a literal '%' (`%25`); '+' is a literal '+' (`%2B`), not a space.
void append_query_component(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        c = static_cast<char>((high << 4) | low);
        i += 2;
      }
    }
    append_uri_encoded(out, std::string_view(&c, 1), /*keep_slash=*/false);
  }
}

// The canonical URI of a non-S3 service: the path's dot segments removed and its empty segments
// (duplicate slashes) dropped, as the suite's normalize-path cases expect, then each segment
// encoded again. A trailing slash stays, and so does the one a final "." or ".." stands for.
void append_canonical_uri(std::string& out, std::string_view path) {
  const std::size_t base = out.size();
  bool trailing_slash = false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    const bool last = end == path.size();
    if (segment == "..") {
      // Encoded segments hold no '/', so the previous one starts at the last '/' written.
      const std::size_t previous = out.rfind('/');
      if (previous != std::string::npos && previous >= base) out.resize(previous);
      trailing_slash = last;
    } else if (segment == ".") {
      trailing_slash = last;
    } else if (!segment.empty()) {
      out += '/';
      append_uri_encoded(out, segment, /*keep_slash=*/false);
      trailing_slash = false;
    } else {
      trailing_slash = last && end > 0;
    }
    start = end + 1;
  }
  if (out.size() == base || trailing_slash) out += '/';
}

struct QueryParameter {
  std::string name;   // canonical (encoded) form
  std::string value;  // canonical (encoded) form, empty for `a` and `a=`
};

// Parameters sorted by encoded name, then value; `a` signs as `a=`; empty pieces are dropped.
void append_canonical_query(std::string& out, std::string_view query) {
  if (query.empty()) return;
  std::vector<QueryParameter> parameters;
  parameters.reserve(static_cast<std::size_t>(std::count(query.begin(), query.end(), '&')) + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    if (!piece.empty()) {
      const std::size_t equals = piece.find('=');
      QueryParameter& parameter = parameters.emplace_back();
      append_query_component(parameter.name, piece.substr(0, equals));
      if (equals != std::string_view::npos) {
        append_query_component(parameter.value, piece.substr(equals + 1));
      }
    }
    start = end + 1;
  }
  std::sort(parameters.begin(), parameters.end(),
            [](const QueryParameter& a, const QueryParameter& b) {
              return a.name != b.name ? a.name < b.name : a.value < b.value;
            });
  bool first = true;
  for (const QueryParameter& parameter : parameters) {
    if (!first) out += '&';
    first = false;
    out += parameter.name;
    out += '=';
    out += parameter.value;
  }
}

struct HeaderToSign {
  std::string_view name;  // as given; lowercased when written
  std::string_view value;
};

// The headers the signer writes itself: a caller's copy would be signed twice or be stale.
bool is_signer_header(std::string_view name) {
  return ascii::iequals(name, "host") || ascii::iequals(name, "x-amz-date") ||
         ascii::iequals(name, "x-amz-security-token") || ascii::iequals(name, "authorization");
}

bool name_less(const HeaderToSign& a, const HeaderToSign& b) {
  return std::lexicographical_compare(a.name.begin(), a.name.end(), b.name.begin(), b.name.end(),
                                      [](char x, char y) {
                                        return static_cast<unsigned char>(ascii::to_lower(x)) <
                                               static_cast<unsigned char>(ascii::to_lower(y));
                                      });
}

void append_lower(std::string& out, std::string_view text) {
  for (const char c : text) out += ascii::to_lower(c);
}

// Surrounding whitespace trimmed, inner runs of it (a folded line's too) as one space.
void append_header_value(std::string& out, std::string_view value) {
  bool pending_space = false;
  for (const char c : ascii::trim(value)) {
    if (ascii::is_space(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
}

// `name:value\n` per signed header, sorted by name, a repeated name's values joined by ',' in
// the order given; and the names joined by ';' into `signed_headers`.
void append_canonical_headers(std::string& out, std::string& signed_headers,
                              std::vector<HeaderToSign>& headers) {
  std::stable_sort(headers.begin(), headers.end(), name_less);
  for (std::size_t i = 0; i < headers.size();) {
    if (!signed_headers.empty()) signed_headers += ';';
    append_lower(signed_headers, headers[i].name);
    append_lower(out, headers[i].name);
    out += ':';
    append_header_value(out, headers[i].value);
    std::size_t next = i + 1;
    for (; next < headers.size() && ascii::iequals(headers[next].name, headers[i].name); ++next) {
      out += ',';
      append_header_value(out, headers[next].value);
    }
    out += '\n';
    i = next;
  }
}

void append_digits(std::string& out, unsigned value, int width) {
  std::array<char, 4> digits{};
  for (int i = width - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits.data(), static_cast<std::size_t>(width));
}

// `yyyymmddThhmmssZ` in UTC.
std::string amz_date(std::chrono::system_clock::time_point now) {
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(now - day)};
  std::string out;
  out.reserve(16);
  append_digits(out, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  append_digits(out, static_cast<unsigned>(date.month()), 2);
  append_digits(out, static_cast<unsigned>(date.day()), 2);
  out += 'T';
  append_digits(out, static_cast<unsigned>(time.hours().count()), 2);
  append_digits(out, static_cast<unsigned>(time.minutes().count()), 2);
  append_digits(out, static_cast<unsigned>(time.seconds().count()), 2);
  out += 'Z';
  return out;
}

// kSigning = HMAC chain "AWS4"+secret → date → region → service → "aws4_request", then the
// signature over the string to sign. Every intermediate key is wiped before it goes.
Sha256Digest signature_of(std::string_view string_to_sign, std::string_view secret,
                          std::string_view date, const SigningScope& scope) {
  std::string secret_key;
  secret_key.reserve(4 + secret.size());
  secret_key += "AWS4";
  secret_key += secret;
  Sha256Digest key = hmac_sha256(secret_key, date);
  OPENSSL_cleanse(secret_key.data(), secret_key.size());
  key = hmac_sha256(key, scope.region);
  key = hmac_sha256(key, scope.service);
  key = hmac_sha256(key, kScopeTerminator);
  const Sha256Digest signature = hmac_sha256(key, string_to_sign);
  OPENSSL_cleanse(key.data(), key.size());
  return signature;
}

}  // namespace

SignedHeaders sign_v4(const SigningRequest& request, const AwsCredentials& credentials,
                      const SigningScope& scope, std::chrono::system_clock::time_point now) {
  SignedHeaders result;
  result.amz_date = amz_date(now);
  const std::string_view date = std::string_view(result.amz_date).substr(0, 8);

  std::string credential_scope;
  append_parts(credential_scope,
               {date, "/", scope.region, "/", scope.service, "/", kScopeTerminator});

  std::vector<HeaderToSign> headers;
  headers.reserve(request.headers.size() + 3);
  headers.push_back({"host", request.host});
  headers.push_back({"x-amz-date", result.amz_date});
  if (!credentials.session_token.empty()) {
    headers.push_back({"x-amz-security-token", credentials.session_token});
  }
  std::size_t header_bytes = request.host.size() + credentials.session_token.size() + 64;
  for (const SigningHeader& header : request.headers) {
    if (is_signer_header(header.name)) continue;
    headers.push_back({header.name, header.value});
    header_bytes += header.name.size() + header.value.size() + 2;
  }

  std::string signed_headers;
  signed_headers.reserve(64);
  std::string& canonical = result.canonical_request;
  // An encoded byte takes at most 3; the payload hash 64 hex digits.
  canonical.reserve(request.method.size() + 3 * (request.path.size() + request.query.size()) +
                    2 * header_bytes + kHexDigestSize + 8);
  canonical += request.method;
  canonical += '\n';
  append_canonical_uri(canonical, request.path);
  canonical += '\n';
  append_canonical_query(canonical, request.query);
  canonical += '\n';
  append_canonical_headers(canonical, signed_headers, headers);
  canonical += '\n';
  canonical += signed_headers;
  canonical += '\n';
  append_hex_lower(canonical, sha256(request.payload));

  std::string& string_to_sign = result.string_to_sign;
  append_parts(string_to_sign, {kAlgorithm, "\n", result.amz_date, "\n", credential_scope, "\n"},
               kHexDigestSize);
  append_hex_lower(string_to_sign, sha256(canonical));

  const Sha256Digest signature =
      signature_of(string_to_sign, credentials.secret_access_key, date, scope);

  std::string& authorization = result.authorization;
  append_parts(authorization,
               {kAlgorithm, " Credential=", credentials.access_key_id, "/", credential_scope,
                ", SignedHeaders=", signed_headers, ", Signature="},
               kHexDigestSize);
  append_hex_lower(authorization, signature);

  result.security_token = credentials.session_token;
  return result;
}

}  // namespace llmtap::providers::bedrock
