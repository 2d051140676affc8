#include "support/mock_bedrock.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/ascii.h"
#include "providers/bedrock/eventstream.h"
#include "providers/bedrock/sigv4.h"
#include "sink/json_text.h"
#include "support/mock_markers.h"
#include "support/mock_stream.h"

namespace llmtap::test {
namespace {

using sink::json_string;

constexpr std::string_view kModelPrefix = "/model/";

// POST /model/<id>/converse[-stream], split.
struct ConverseCall {
  std::string model_id;  // percent-decoded
  bool stream = false;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_digit(text[i + 1]);
      const int lo = hex_digit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::optional<ConverseCall> converse_call(std::string_view path) {
  if (!path.starts_with(kModelPrefix)) return std::nullopt;
  std::string_view rest = path.substr(kModelPrefix.size());
  const std::size_t slash = rest.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const std::string_view method = rest.substr(slash + 1);
  if (method != "converse" && method != "converse-stream") return std::nullopt;
  return ConverseCall{percent_decoded(rest.substr(0, slash)), method == "converse-stream"};
}

http::Response aws_error(int status, std::string_view error_type, std::string_view message) {
  http::Response response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"},
                      {"x-amzn-ErrorType", std::string(error_type)},
                      {"x-amzn-RequestId", "mock-request-id"}};
  response.body = R"({"message":)" + json_string(message) + "}";
  return response;
}

std::string_view error_type_for(int status) {
  switch (status) {
    case 400:
      return "ValidationException";
    case 403:
      return "AccessDeniedException";
    case 404:
      return "ResourceNotFoundException";
    case 408:
      return "ModelTimeoutException";
    case 424:
      return "ModelErrorException";
    case 429:
      return "ThrottlingException";
    case 503:
      return "ServiceUnavailableException";
    default:
      return "InternalServerException";
  }
}

// "20150830T123600Z" as a time point; nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t n) {
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  std::tm tm{};
  tm.tm_year = number(0, 4) - 1900;
  tm.tm_mon = number(4, 2) - 1;
  tm.tm_mday = number(6, 2);
  tm.tm_hour = number(9, 2);
  tm.tm_min = number(11, 2);
  tm.tm_sec = number(13, 2);
  if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 0 || tm.tm_hour < 0 || tm.tm_min < 0 ||
      tm.tm_sec < 0) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// `Credential=…, SignedHeaders=…, Signature=…` of an AWS4-HMAC-SHA256 Authorization value.
struct AuthorizationParts {
  std::string_view access_key_id, date, region, service, signed_headers, signature;
};

std::optional<AuthorizationParts> parse_authorization(std::string_view value) {
  constexpr std::string_view kScheme = "AWS4-HMAC-SHA256 ";
  if (!value.starts_with(kScheme)) return std::nullopt;
  value.remove_prefix(kScheme.size());
  std::string_view credential, signed_headers, signature;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view part = value.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.starts_with("Credential=")) credential = part.substr(11);
    if (part.starts_with("SignedHeaders=")) signed_headers = part.substr(14);
    if (part.starts_with("Signature=")) signature = part.substr(10);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (credential.empty() || signed_headers.empty() || signature.empty()) return std::nullopt;
  std::array<std::string_view, 5> scope{};
  for (std::string_view& field : scope) {
    const std::size_t slash = credential.find('/');
    field = credential.substr(0, slash);
    credential =
        slash == std::string_view::npos ? std::string_view() : credential.substr(slash + 1);
  }
  if (scope[4] != "aws4_request" || !credential.empty()) return std::nullopt;
  return AuthorizationParts{scope[0], scope[1], scope[2], scope[3], signed_headers, signature};
}

// Values of every header named `name` (lower case), joined by ',' as SigV4 canonicalizes them.
std::string joined_header(const http::Request& request, std::string_view name) {
  std::string value;
  bool first = true;
  for (const http::Header& h : request.headers) {
    if (!ascii::iequals(h.name, name)) continue;
    if (!first) value += ',';
    value += h.value;
    first = false;
  }
  return value;
}

// The 403 AWS answers an unauthenticated request with, or nullopt when the request is signed
// with a known key's secret (or carries the mock's Bedrock API key).
std::optional<http::Response> authentication_failure(const http::Request& request) {
  const std::string_view authorization = request.header("authorization");
  if (authorization.empty()) {
    return aws_error(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  if (authorization.starts_with("Bearer ")) {
    if (authorization.substr(7) == kMockBedrockApiKey) return std::nullopt;
    return aws_error(403, "AccessDeniedException",
                     "Authentication failed: Please make sure your API Key is valid.");
  }
  const std::optional<AuthorizationParts> parts = parse_authorization(authorization);
  if (!parts) {
    return aws_error(403, "IncompleteSignatureException",
                     "Authorization header requires 'Credential', 'Signature' and "
                     "'SignedHeaders' parameters.");
  }
  const auto known = std::find_if(
      kMockAwsCredentials.begin(), kMockAwsCredentials.end(),
      [&](const MockAwsCredentials& c) { return c.access_key_id == parts->access_key_id; });
  if (known == kMockAwsCredentials.end() ||
      (!known->session_token.empty() &&
       request.header("x-amz-security-token") != known->session_token)) {
    return aws_error(403, "UnrecognizedClientException",
                     "The security token included in the request is invalid.");
  }
  const auto signed_at = parse_amz_date(request.header("x-amz-date"));
  const auto now = std::chrono::system_clock::now();
  if (!signed_at || *signed_at < now - std::chrono::minutes(5) ||
      *signed_at > now + std::chrono::minutes(5) ||
      request.header("x-amz-date").substr(0, 8) != parts->date) {
    return aws_error(403, "InvalidSignatureException",
                     "Signature expired or not yet current: the X-Amz-Date is more than 5 "
                     "minutes away from the server's time.");
  }
  // Sign again over what the request says it signed (host, x-amz-date and the token are the
  // signer's own).
  std::vector<std::string> names, values;
  for (std::string_view list = parts->signed_headers; !list.empty();) {
    const std::size_t semi = list.find(';');
    names.emplace_back(list.substr(0, semi));
    list = semi == std::string_view::npos ? std::string_view() : list.substr(semi + 1);
  }
  values.reserve(names.size());
  std::vector<providers::bedrock::SigningHeader> headers;
  for (const std::string& name : names) {
    values.push_back(joined_header(request, name));
    if (name == "host" || name == "x-amz-date" || name == "x-amz-security-token") continue;
    headers.push_back({name, values.back()});
  }
  const std::string target = request.target;
  const std::size_t mark = target.find('?');
  providers::bedrock::SigningRequest again;
  again.method = request.method;
  const std::string host = joined_header(request, "host");
  again.host = host;
  again.path = std::string_view(target).substr(0, mark);
  if (mark != std::string::npos) again.query = std::string_view(target).substr(mark + 1);
  again.headers = headers;
  again.payload = request.body;
  const providers::bedrock::SignedHeaders expected = providers::bedrock::sign_v4(
      again, {known->access_key_id, known->secret_access_key, known->session_token},
      {parts->region, parts->service}, *signed_at);
  const std::string_view expected_signature =
      std::string_view(expected.authorization).substr(expected.authorization.rfind('=') + 1);
  if (parts->service != "bedrock" || expected_signature != parts->signature ||
      expected.authorization.find("SignedHeaders=" + std::string(parts->signed_headers) + ",") ==
          std::string::npos) {
    return aws_error(403, "InvalidSignatureException",
                     "The request signature we calculated does not match the signature you "
                     "provided. Check your AWS Secret Access Key and signing method. Consult the "
                     "service documentation for details.");
  }
  return std::nullopt;
}

// What a request asks for, read once from its body.
struct Ask {
  std::string first_user_text;
  std::optional<std::string> first_tool;  // toolConfig.tools[0].toolSpec.name
};

constexpr std::array<std::string_view, 10> kConverseKeys{
    "messages",        "system",
    "inferenceConfig", "toolConfig",
    "guardrailConfig", "additionalModelRequestFields",
    "promptVariables", "additionalModelResponseFieldPaths",
    "requestMetadata", "performanceConfig"};

// The ValidationException message of a body Converse rejects, or nullopt with `ask` filled.
std::optional<std::string> rejected_body(const std::string& body, Ask& ask) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body).get(root)) return "Malformed input request, please reformat your input.";
  for (auto field : root) {
    if (std::find(kConverseKeys.begin(), kConverseKeys.end(), field.key) == kConverseKeys.end()) {
      return "Malformed input request: extraneous key [" + std::string(field.key) +
             "] is not permitted, please reformat your input and try again.";
    }
  }
  simdjson::dom::array messages;
  if (root["messages"].get_array().get(messages) || messages.size() == 0) {
    return "A conversation must start with a user message. Try again with a conversation that "
           "starts with a user message.";
  }
  std::string_view previous;
  std::size_t m = 0;
  for (simdjson::dom::element message : messages) {
    std::string_view role;
    if (message["role"].get_string().get(role) || (role != "user" && role != "assistant")) {
      return "Malformed input request: messages." + std::to_string(m) + ".role is invalid.";
    }
    if (m == 0 && role != "user") {
      return "A conversation must start with a user message. Try again with a conversation that "
             "starts with a user message.";
    }
    if (role == previous) {
      return "A conversation must alternate between user and assistant roles. Make sure the "
             "conversation alternates between user and assistant roles and try again.";
    }
    previous = role;
    simdjson::dom::array content;
    if (message["content"].get_array().get(content)) {
      return "Malformed input request: messages." + std::to_string(m) + ".content is invalid.";
    }
    std::size_t c = 0;
    for (simdjson::dom::element block : content) {
      std::string_view text;
      if (!block["text"].get_string().get(text)) {
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
          return "The text field in the ContentBlock object at messages." + std::to_string(m) +
                 ".content." + std::to_string(c) +
                 " is blank. Add text to the text field, and try again.";
        }
        if (role == "user" && ask.first_user_text.empty()) ask.first_user_text = text;
      }
      ++c;
    }
    ++m;
  }
  std::string_view tool;
  if (!root.at_pointer("/toolConfig/tools/0/toolSpec/name").get_string().get(tool)) {
    ask.first_tool = std::string(tool);
  }
  return std::nullopt;
}

constexpr std::string_view kToolUseId = "tooluse_mock1";
constexpr std::string_view kArguments = R"({"city":"Paris"})";
// AWS pads each event's payload with a `p` field of varying length (so sizes leak nothing).
constexpr std::string_view kPadding = R"(,"p":"abcdefghijklmnopqrstuvwxyzABCDEF")";

std::string usage(const ProviderMarkers& markers) {
  std::string out = R"({"inputTokens":11,"outputTokens":7,"totalTokens":)";
  out += markers.cache ? "26" : "18";
  if (markers.cache) out += R"(,"cacheReadInputTokens":5,"cacheWriteInputTokens":3)";
  return out + "}";
}

bool uses_tool(const Ask& ask, const ProviderMarkers& markers) {
  return markers.tool && ask.first_tool.has_value();
}

std::string whole_answer(const Ask& ask, const ProviderMarkers& markers) {
  const bool tool = uses_tool(ask, markers);
  std::string content = tool ? R"([{"text":"I will call the tool."},{"toolUse":{"toolUseId":")" +
                                   std::string(kToolUseId) + R"(","name":)" +
                                   json_string(*ask.first_tool) + R"(,"input":)" +
                                   std::string(kArguments) + "}}]"
                             : std::string(R"([{"text":"mock answer"}])");
  return R"({"output":{"message":{"role":"assistant","content":)" + content +
         R"(}},"stopReason":)" + (tool ? R"("tool_use")" : R"("end_turn")") + R"(,"usage":)" +
         usage(markers) + R"(,"metrics":{"latencyMs":42}})";
}

std::string event(std::string_view type, std::string payload) {
  payload.insert(payload.size() - 1, kPadding);
  return providers::bedrock::encode_event(type, payload);
}

std::string text_delta(std::string_view text) {
  return event("contentBlockDelta",
               R"({"contentBlockIndex":0,"delta":{"text":)" + json_string(text) + "}}");
}

// The frames of a streamed answer, in Bedrock's order.
std::vector<std::string> stream_frames(const Ask& ask, const ProviderMarkers& markers,
                                       bool bad_frame) {
  std::vector<std::string> frames;
  frames.push_back(event("messageStart", R"({"role":"assistant"})"));
  frames.push_back(text_delta("mock"));
  if (markers.midstream_error) {
    frames.push_back(providers::bedrock::encode_exception(
        "throttlingException",
        R"({"message":"Too many tokens, please wait before trying again."})"));
    return frames;
  }
  if (bad_frame) {
    std::string broken = text_delta(" broken");
    broken.back() = static_cast<char>(broken.back() ^ 0x5a);  // the message CRC no longer holds
    frames.push_back(std::move(broken));
    return frames;
  }
  frames.push_back(text_delta(" "));
  frames.push_back(text_delta("answer"));
  frames.push_back(event("contentBlockStop", R"({"contentBlockIndex":0})"));
  const bool tool = uses_tool(ask, markers);
  if (tool) {
    frames.push_back(
        event("contentBlockStart", R"({"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":")" +
                                       std::string(kToolUseId) + R"(","name":)" +
                                       json_string(*ask.first_tool) + "}}}"));
    for (std::string_view piece : {R"({"city")", R"(:"Par)", R"(is"})"}) {
      frames.push_back(event(
          "contentBlockDelta",
          R"({"contentBlockIndex":1,"delta":{"toolUse":{"input":)" + json_string(piece) + "}}}"));
    }
    frames.push_back(event("contentBlockStop", R"({"contentBlockIndex":1})"));
  }
  frames.push_back(event("messageStop", std::string(R"({"stopReason":)") +
                                            (tool ? R"("tool_use")" : R"("end_turn")") + "}"));
  frames.push_back(
      event("metadata", R"({"usage":)" + usage(markers) + R"(,"metrics":{"latencyMs":42}})"));
  return frames;
}

}  // namespace

bool is_bedrock_path(std::string_view path) { return converse_call(path).has_value(); }

void answer_bedrock(http::Runtime& runtime, const http::Request& request,
                    const std::shared_ptr<http::Responder>& responder) {
  const std::optional<ConverseCall> call = converse_call(request.path());
  if (std::optional<http::Response> denied = authentication_failure(request)) {
    return responder->respond(std::move(*denied));
  }
  Ask ask;
  if (std::optional<std::string> problem = rejected_body(request.body, ask)) {
    return responder->respond(aws_error(400, "ValidationException", *problem));
  }
  const ProviderMarkers markers = provider_markers(call->model_id);
  const bool bad_frame = call->model_id.find("badframe") != std::string::npos;
  const bool stream = call->stream;
  answer_after(runtime, markers.delay, [&runtime, ask, markers, bad_frame, stream, responder] {
    if (markers.status) {
      return responder->respond(aws_error(*markers.status, error_type_for(*markers.status),
                                          "upstream error for: " + ask.first_user_text));
    }
    if (!stream) {
      return responder->respond(
          {200,
           {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "mock-request-id"}},
           whole_answer(ask, markers)});
    }
    responder->begin_stream(200, {{"Content-Type", "application/vnd.amazon.eventstream"},
                                  {"x-amzn-RequestId", "mock-request-id"}});
    write_events(runtime, responder, stream_frames(ask, markers, bad_frame), markers.drip);
  });
}

}  // namespace llmtap::test
