// sign_aws_request(): the headers that make a request to a Bedrock deployment signed with SigV4
// (config::UpstreamAuth::aws_sigv4) — X-Amz-Date, X-Amz-Security-Token when the credentials
// have a session token, and Authorization — as LiteLLM signs them (botocore's SigV4Auth with
// service "bedrock" and the deployment's region; only host, content-type and x-amz-* headers
// signed). Signed per request, at send time: a signature is valid for five minutes only.
//
// Pure function of its input (the caller passes the time); thread-safe.
#pragma once

#include <chrono>
#include <string_view>

#include "config/config.h"
#include "http/message.h"
#include "http/url.h"

namespace llmtap::gateway {

// Appends the signature's headers to `headers` (which hold the request's Content-Type) for a
// POST of `body` to `target`.
void sign_aws_request(const config::AwsSigning& aws, const http::Target& target,
                      http::Headers& headers, std::string_view body,
                      std::chrono::system_clock::time_point now);

}  // namespace llmtap::gateway
