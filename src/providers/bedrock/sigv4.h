// AWS Signature Version 4 for one HTTP request, as botocore's SigV4Auth and the AWS SDK for
// JavaScript sign Bedrock calls (docs: "Create a signed AWS API request"; test vectors: AWS's
// aws-sig-v4-test-suite, tests/data/aws-sig-v4/README.md):
//   canonical request = METHOD \n canonical URI \n canonical query \n canonical headers \n
//                       signed headers \n hex(SHA-256(payload))
//   string to sign    = "AWS4-HMAC-SHA256" \n amz-date \n date/region/service/aws4_request \n
//                       hex(SHA-256(canonical request))
//   signing key       = HMAC chain "AWS4"+secret → date → region → service → "aws4_request"
// The canonical URI is the request path with its dot segments and empty segments removed, then
// URI-encoded once more (non-S3 services: a path holding `%3A` is signed as `%253A`, as botocore
// and the JS SDK do for Bedrock's model ids); the canonical query decodes each name and value,
// encodes it again (RFC 3986 unreserved kept, `a` as `a=`) and sorts by name, then value; each
// signed header is `lowercase(name):value` with surrounding whitespace trimmed and inner runs
// collapsed to one space, sorted by name, values of a repeated name joined by ','. `host` and
// `x-amz-date` are always signed, `x-amz-security-token` too when there is a session token; a
// caller's own host, x-amz-date, x-amz-security-token or authorization header is ignored.
//
// Secrets never leave this file: the result holds only the signature and what it covers.
// Pure functions of their input (the caller passes the time); thread-safe.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

namespace llmtap::providers::bedrock {

struct AwsCredentials {
  std::string_view access_key_id;
  std::string_view secret_access_key;
  std::string_view session_token;  // empty for long-term credentials
};

struct SigningHeader {
  std::string_view name;
  std::string_view value;
};

struct SigningRequest {
  std::string_view method = "POST";
  // The Host header's value: host, and ":port" when it is not the scheme's default.
  std::string_view host;
  // The path as it is sent on the request line (already percent-encoded once), "/" when empty.
  std::string_view path = "/";
  // The raw query after '?', without it; empty when none.
  std::string_view query;
  // Headers to sign besides host, x-amz-date and x-amz-security-token (Bedrock: content-type).
  std::span<const SigningHeader> headers;
  std::string_view payload;
};

struct SigningScope {
  std::string_view region;   // "us-east-1"
  std::string_view service;  // "bedrock" for bedrock-runtime (LiteLLM's and the SDK's name)
};

struct SignedHeaders {
  std::string amz_date;  // X-Amz-Date: 20150830T123600Z
  // Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…
  std::string authorization;
  std::string security_token;  // X-Amz-Security-Token (the session token), empty when none
  // What was signed, for tests and debugging (no secret in either).
  std::string canonical_request;
  std::string string_to_sign;
};

SignedHeaders sign_v4(const SigningRequest& request, const AwsCredentials& credentials,
                      const SigningScope& scope, std::chrono::system_clock::time_point now);

}  // namespace llmtap::providers::bedrock
