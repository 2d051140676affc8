#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "providers/bedrock/sigv4.h"

namespace llmtap::providers::bedrock {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

// The suite's credentials, scope and time (tests/data/aws-sig-v4/README.md).
constexpr std::string_view kAccessKeyId = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSuiteDate = "20150830T123600Z";
const std::chrono::system_clock::time_point kSuiteTime =
    sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One `.req` file: the request line, the headers (a line starting with a space or tab continues
// the previous header's value), a blank line and the body.
struct SuiteRequest {
  std::string method;
  std::string path;
  std::string query;
  std::string host;
  std::string amz_date;
  std::string session_token;
  std::vector<std::pair<std::string, std::string>> headers;  // the others, in file order
  std::string body;
};

SuiteRequest parse_request(std::string_view text) {
  SuiteRequest request;
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
    if (lines.back().empty()) {  // the blank line: the body follows
      request.body = std::string(text.substr(start));
      break;
    }
  }
  // "METHOD <uri> HTTP/1.1": the uri may hold spaces (get-space), so cut at the first and last.
  const std::string_view request_line = lines.front();
  const std::size_t method_end = request_line.find(' ');
  const std::size_t uri_end = request_line.rfind(' ');
  request.method = std::string(request_line.substr(0, method_end));
  const std::string_view uri = request_line.substr(method_end + 1, uri_end - method_end - 1);
  const std::size_t question = uri.find('?');
  request.path = std::string(uri.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(uri.substr(question + 1));

  std::vector<std::pair<std::string, std::string>> all;
  for (std::size_t i = 1; i < lines.size() && !lines[i].empty(); ++i) {
    const std::string_view line = lines[i];
    if ((line.front() == ' ' || line.front() == '\t') && !all.empty()) {
      all.back().second += '\n';
      all.back().second += line;
      continue;
    }
    const std::size_t colon = line.find(':');
    all.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
  }
  for (auto& [name, value] : all) {
    // The signer writes these itself, from SigningRequest.host, `now` and the credentials.
    if (name == "Host") {
      request.host = value;
    } else if (name == "X-Amz-Date") {
      request.amz_date = value;
    } else if (name == "X-Amz-Security-Token") {
      request.session_token = value;
    } else {
      request.headers.emplace_back(std::move(name), std::move(value));
    }
  }
  return request;
}

struct SuiteCase {
  const char* name;
  // The suite's own .sts and .authz were computed without the Content-Length its .creq signs
  // (README.md): only the canonical request can be checked.
  bool canonical_request_only = false;
};

const SuiteCase kSuiteCases[] = {
    {"get-header-key-duplicate"},
    {"get-header-value-order"},
    {"get-header-value-trim"},
    {"get-unreserved"},
    {"get-vanilla"},
    {"get-vanilla-empty-query-key"},
    {"get-vanilla-query"},
    {"get-vanilla-query-order-key"},
    {"get-vanilla-query-order-key-case"},
    {"get-vanilla-query-order-value"},
    {"get-vanilla-query-unreserved"},
    {"get-vanilla-utf8-query"},
    {"post-header-key-case"},
    {"post-header-key-sort"},
    {"post-header-value-case"},
    {"post-vanilla"},
    {"post-vanilla-empty-query-value"},
    {"post-vanilla-query"},
    {"post-vanilla-query-nonunreserved"},
    {"post-x-www-form-urlencoded", true},
    {"post-x-www-form-urlencoded-parameters", true},
    {"get-relative"},
    {"get-relative-relative"},
    {"get-slash"},
    {"get-slash-dot-slash"},
    {"get-slash-pointless-dot"},
    {"get-slashes"},
    {"get-space"},
    {"post-sts-header-after"},
    {"post-sts-header-before"},
};

class Sigv4SuiteTest : public testing::TestWithParam<SuiteCase> {};

// Verifies that signing the suite's request gives its canonical request, string to sign and
// Authorization header byte for byte.
TEST_P(Sigv4SuiteTest, MatchesTheSuiteFiles) {
  const std::string name = GetParam().name;
  const std::string base = std::string(LLMTAP_TEST_DATA_DIR) + "/aws-sig-v4/" + name + "/" + name;
  const SuiteRequest parsed = parse_request(read_file(base + ".req"));
  ASSERT_EQ(parsed.amz_date, kSuiteDate);

  std::vector<SigningHeader> headers;
  for (const auto& [header_name, value] : parsed.headers) headers.push_back({header_name, value});
  SigningRequest request;
  request.method = parsed.method;
  request.host = parsed.host;
  request.path = parsed.path;
  request.query = parsed.query;
  request.headers = headers;
  request.payload = parsed.body;
  const AwsCredentials credentials{kAccessKeyId, kSecret, parsed.session_token};
  const SignedHeaders signed_headers =
      sign_v4(request, credentials, SigningScope{"us-east-1", "service"}, kSuiteTime);

  EXPECT_EQ(signed_headers.amz_date, kSuiteDate);
  EXPECT_EQ(signed_headers.security_token, parsed.session_token);
  EXPECT_EQ(signed_headers.canonical_request, read_file(base + ".creq"));
  if (GetParam().canonical_request_only) return;
  EXPECT_EQ(signed_headers.string_to_sign, read_file(base + ".sts"));
  EXPECT_EQ(signed_headers.authorization, read_file(base + ".authz"));
}

INSTANTIATE_TEST_SUITE_P(AwsSigV4TestSuite, Sigv4SuiteTest, testing::ValuesIn(kSuiteCases),
                         [](const testing::TestParamInfo<SuiteCase>& case_info) {
                           std::string test_name = case_info.param.name;
                           for (char& c : test_name) {
                             if (c == '-') c = '_';
                           }
                           return test_name;
                         });

// A Converse call as LiteLLM sends it; the expected values are botocore 1.43.11's
// SigV4Auth(credentials, "bedrock", "us-east-1") on the same request at the same time.
constexpr std::string_view kConverseBody =
    R"({"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":256}})";
const SigningHeader kJsonContentType[] = {{"Content-Type", "application/json"}};

SigningRequest converse_request() {
  SigningRequest request;
  request.method = "POST";
  request.host = "bedrock-runtime.us-east-1.amazonaws.com";
  request.path = "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse";
  request.headers = kJsonContentType;
  request.payload = kConverseBody;
  return request;
}

constexpr SigningScope kBedrockScope{"us-east-1", "bedrock"};

// Verifies that a Bedrock path's `%3A` is signed as `%253A`, under the `bedrock` service, with
// the Authorization botocore computes for the same request.
TEST(Sigv4Test, SignsABedrockConverseCallAsBotocoreDoes) {
  const SignedHeaders signed_headers =
      sign_v4(converse_request(), {kAccessKeyId, kSecret, ""}, kBedrockScope, kSuiteTime);
  EXPECT_EQ(signed_headers.canonical_request,
            "POST\n"
            "/model/anthropic.claude-3-sonnet-20240229-v1%253A0/converse\n"
            "\n"
            "content-type:application/json\n"
            "host:bedrock-runtime.us-east-1.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n"
            "\n"
            "content-type;host;x-amz-date\n"
            "d8695502972bd4d482308b656a524b7a7efcebba591a06801fadba6b39700dd1");
  EXPECT_EQ(signed_headers.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=f0b18e7e041b5957c718c3b39c65653a991126546028c699398ed4da202a2697");
  EXPECT_EQ(signed_headers.security_token, "");
}

// Verifies that a session token is signed as x-amz-security-token and handed back to be sent,
// with botocore's signature for the same request.
TEST(Sigv4Test, SignsTheSessionTokenAndReturnsIt) {
  constexpr std::string_view kToken = "FQoGZXIvYXdzEXAMPLEtoken//+/=";
  const SignedHeaders signed_headers =
      sign_v4(converse_request(), {kAccessKeyId, kSecret, kToken}, kBedrockScope, kSuiteTime);
  EXPECT_NE(
      signed_headers.canonical_request.find(
          "x-amz-date:20150830T123600Z\nx-amz-security-token:FQoGZXIvYXdzEXAMPLEtoken//+/=\n\n"
          "content-type;host;x-amz-date;x-amz-security-token\n"),
      std::string::npos)
      << signed_headers.canonical_request;
  EXPECT_EQ(signed_headers.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
            "Signature=ddfd3e321463d0a52e9d8118749b06e08a1ea955c460335c2258c612562412fe");
  EXPECT_EQ(signed_headers.security_token, kToken);
}

// Verifies AWS's published IAM example ("Create a signed AWS API request"): its canonical
// request hashes to f536975d…, and its signature is 5d672d79….
TEST(Sigv4Test, MatchesThePublishedIamExample) {
  const SigningHeader content_type[] = {
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  SigningRequest request;
  request.method = "GET";
  request.host = "iam.amazonaws.com";
  request.query = "Action=ListUsers&Version=2010-05-08";
  request.headers = content_type;
  const SignedHeaders signed_headers =
      sign_v4(request, {kAccessKeyId, kSecret, ""}, {"us-east-1", "iam"}, kSuiteTime);
  EXPECT_EQ(signed_headers.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  EXPECT_EQ(signed_headers.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

// Verifies that neither the secret nor the first key derived from it ("AWS4" + secret) is in
// anything the signer returns.
TEST(Sigv4Test, NoSecretInTheResult) {
  const SignedHeaders signed_headers =
      sign_v4(converse_request(), {kAccessKeyId, kSecret, "token"}, kBedrockScope, kSuiteTime);
  for (const std::string* text :
       {&signed_headers.amz_date, &signed_headers.authorization, &signed_headers.security_token,
        &signed_headers.canonical_request, &signed_headers.string_to_sign}) {
    EXPECT_EQ(text->find(kSecret), std::string::npos) << *text;
    EXPECT_EQ(text->find("wJalrXUtnFEMI"), std::string::npos) << *text;
  }
}

// Verifies that the caller's own Host, X-Amz-Date, X-Amz-Security-Token and Authorization
// headers are not signed: the signer's values are the ones sent.
TEST(Sigv4Test, IgnoresTheHeadersTheSignerWrites) {
  const SigningHeader headers[] = {{"Content-Type", "application/json"},
                                   {"HOST", "elsewhere.example.com"},
                                   {"x-amz-date", "19990101T000000Z"},
                                   {"X-Amz-Security-Token", "stale"},
                                   {"Authorization", "Bearer x"}};
  SigningRequest request = converse_request();
  request.headers = headers;
  const SignedHeaders with_extra =
      sign_v4(request, {kAccessKeyId, kSecret, ""}, kBedrockScope, kSuiteTime);
  const SignedHeaders plain =
      sign_v4(converse_request(), {kAccessKeyId, kSecret, ""}, kBedrockScope, kSuiteTime);
  EXPECT_EQ(with_extra.canonical_request, plain.canonical_request);
  EXPECT_EQ(with_extra.authorization, plain.authorization);
}

// Line `index` of the canonical request of a GET of `path?query` (1: the URI, 2: the query).
std::string canonical_line(std::string_view path, std::string_view query, int index) {
  SigningRequest request;
  request.method = "GET";
  request.host = "example.amazonaws.com";
  request.path = path;
  request.query = query;
  const std::string canonical =
      sign_v4(request, {kAccessKeyId, kSecret, ""}, {"us-east-1", "service"}, kSuiteTime)
          .canonical_request;
  std::size_t start = 0;
  for (int line = 0; line < index; ++line) start = canonical.find('\n', start) + 1;
  return canonical.substr(start, canonical.find('\n', start) - start);
}

std::string canonical_uri_of(std::string_view path) { return canonical_line(path, "", 1); }

std::string canonical_query_of(std::string_view query) { return canonical_line("/", query, 2); }

// Verifies the canonical URI's rules beyond the suite: raw UTF-8 and '%' are encoded (once more),
// an empty path is "/", a trailing slash stays, ".." never climbs above the root.
TEST(Sigv4Test, CanonicalUriEncodesAgainAndNormalizes) {
  EXPECT_EQ(canonical_uri_of("/\xe1\x88\xb4"), "/%E1%88%B4");
  EXPECT_EQ(canonical_uri_of("/a%2Fb/c%20d"), "/a%252Fb/c%2520d");
  EXPECT_EQ(canonical_uri_of(""), "/");
  EXPECT_EQ(canonical_uri_of("/a/b/"), "/a/b/");
  EXPECT_EQ(canonical_uri_of("/a/b/.."), "/a/");
  EXPECT_EQ(canonical_uri_of("/../../a"), "/a");
  EXPECT_EQ(canonical_uri_of("/a/./b/../c"), "/a/c");
}

// Verifies the canonical query's rules beyond the suite: escapes are decoded and written again
// in upper case, a name without '=' gets one, empty pieces are dropped, '+' is a literal plus.
TEST(Sigv4Test, CanonicalQueryDecodesThenEncodesAndSorts) {
  EXPECT_EQ(canonical_query_of("b=%3a&a"), "a=&b=%3A");
  EXPECT_EQ(canonical_query_of("&x=1&&y=a+b&"), "x=1&y=a%2Bb");
  EXPECT_EQ(canonical_query_of("k=%E1%88%b4&k=%zz"), "k=%25zz&k=%E1%88%B4");
}

// Verifies that the amz date is the UTC time of `now`, to the second.
TEST(Sigv4Test, AmzDateIsUtcToTheSecond) {
  const auto now = sys_days{std::chrono::year{2024} / 2 / 29} + 1h + 2min + 3s + 999ms;
  const SignedHeaders signed_headers =
      sign_v4(converse_request(), {kAccessKeyId, kSecret, ""}, kBedrockScope, now);
  EXPECT_EQ(signed_headers.amz_date, "20240229T010203Z");
  EXPECT_NE(signed_headers.authorization.find("Credential=AKIDEXAMPLE/20240229/us-east-1/bedrock/"),
            std::string::npos);
}

}  // namespace
}  // namespace llmtap::providers::bedrock
