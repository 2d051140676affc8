#include "gateway/aws_request_signing.h"

#include <array>
#include <cstddef>

#include "base/ascii.h"
#include "providers/bedrock/sigv4.h"

namespace llmtap::gateway {

void sign_aws_request(const config::AwsSigning& aws, const http::Target& target,
                      http::Headers& headers, std::string_view body,
                      std::chrono::system_clock::time_point now) {
  // The headers botocore signs besides host and x-amz-*: content-type (and date, never sent).
  std::array<providers::bedrock::SigningHeader, 4> signed_headers{};
  std::size_t count = 0;
  for (const http::Header& h : headers) {
    if (count == signed_headers.size()) break;
    if (ascii::iequals(h.name, "content-type")) signed_headers[count++] = {"content-type", h.value};
  }
  std::string_view path = target.url.target;
  std::string_view query;
  if (const std::size_t mark = path.find('?'); mark != std::string_view::npos) {
    query = path.substr(mark + 1);
    path = path.substr(0, mark);
  }
  providers::bedrock::SigningRequest request;
  request.method = "POST";
  request.host = target.authority;
  request.path = path;
  request.query = query;
  request.headers = std::span(signed_headers.data(), count);
  request.payload = body;
  const providers::bedrock::SignedHeaders signature = providers::bedrock::sign_v4(
      request, {aws.access_key_id, aws.secret_access_key, aws.session_token},
      {aws.region, "bedrock"}, now);
  headers.push_back({"X-Amz-Date", signature.amz_date});
  if (!signature.security_token.empty()) {
    headers.push_back({"X-Amz-Security-Token", signature.security_token});
  }
  headers.push_back({"Authorization", signature.authorization});
}

}  // namespace llmtap::gateway
