// answer_bedrock(): Bedrock Runtime's Converse and ConverseStream as the mock upstream serves
// them (mock_upstream.cc dispatches POST /model/<model id>/converse and /converse-stream here),
// shaped as AWS's API reference and the official @aws-sdk/client-bedrock-runtime define them.
//
// Every request is authenticated first, as AWS does: an `Authorization: AWS4-HMAC-SHA256
// Credential=…, SignedHeaders=…, Signature=…` header is verified by signing the request again
// (providers/bedrock/sigv4.h) with the secret of its access key — one of kMockAwsCredentials —
// over exactly the headers it says it signed. What AWS answers 403 to is answered 403 with AWS's
// `x-amzn-ErrorType` and `{"message": …}`: no Authorization (MissingAuthenticationTokenException),
// a malformed one (IncompleteSignatureException), an unknown key or a session key without its
// X-Amz-Security-Token (UnrecognizedClientException), an X-Amz-Date more than 5 minutes off or a
// signature that differs (InvalidSignatureException). `Authorization: Bearer <kMockBedrockApiKey>`
// (a Bedrock API key) is accepted too; another bearer token is a 403.
//
// The body is checked as Converse checks it (400 ValidationException, AWS's wording): a JSON
// object with no key Converse does not define (LiteLLM's issue #9916: a leaked key is a 400), a
// non-empty `messages` array starting with a user message, roles alternating, no blank text block.
// Converse answers {"output":{"message":{"role":"assistant","content":[{"text":"mock answer"}]}},
// "stopReason":"end_turn","usage":{"inputTokens":11,"outputTokens":7,"totalTokens":18},
// "metrics":{"latencyMs":42}}. ConverseStream answers `application/vnd.amazon.eventstream`
// frames (providers/bedrock/eventstream.h), one write per frame: messageStart,
// contentBlockDelta ×3 ("mock", " ", "answer"), contentBlockStop, messageStop, metadata (usage,
// metrics); each payload carries AWS's `p` padding field.
//
// The model id (percent-decoded from the path) steers the behaviour, as with the other mocks:
//   status-NNN       answer status NNN with the x-amzn-ErrorType AWS gives it (400
//                    ValidationException, 403 AccessDeniedException, 404
//                    ResourceNotFoundException, 408 ModelTimeoutException, 424
//                    ModelErrorException, 429 ThrottlingException, 500
//                    InternalServerException, 503 ServiceUnavailableException) and
//                    {"message":"upstream error for: <first user text>"}
//   tool             when the request has toolConfig: one toolUse {toolUseId "tooluse_mock1",
//                    name: the first tool's, input {"city":"Paris"}}, stopReason tool_use
//                    (streamed: contentBlockStart with the toolUse, three input pieces)
//   cache            usage with cacheReadInputTokens 5 and cacheWriteInputTokens 3
//   sleep-MS         wait MS milliseconds (on a timer) before answering
//   drip-MS          streams: wait MS milliseconds between frames
//   midstream-error  streams: after the first delta, a throttlingException exception frame
//                    ({"message":"Too many tokens, please wait before trying again."}), then
//                    the stream ends
//   badframe         streams: after the first delta, a frame whose message CRC is wrong
// Markers combine (`anthropic.claude-tool-drip-20`).
//
// Thread-safety: stateless apart from what each call owns; call from any runtime thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "http/message.h"
#include "http/runtime.h"
#include "http/server.h"

namespace llmtap::test {

struct MockAwsCredentials {
  std::string_view access_key_id;
  std::string_view secret_access_key;
  std::string_view session_token;  // empty: long-term credentials
};

// The credentials the mock knows: long-term ones, and temporary ones with a session token.
inline constexpr std::array<MockAwsCredentials, 2> kMockAwsCredentials{{
    {"AKIDMOCKBEDROCK", "mock/bedrock+secret", ""},
    {"ASIAMOCKSESSION", "mock-session-secret", "mock-session-token"},
}};

inline constexpr std::string_view kMockBedrockApiKey = "bedrock-mock-api-key";

// Whether `path` is one of Bedrock Runtime's routes the mock serves.
bool is_bedrock_path(std::string_view path);

// Answers one POST to a Bedrock path.
void answer_bedrock(http::Runtime& runtime, const http::Request& request,
                    const std::shared_ptr<http::Responder>& responder);

}  // namespace llmtap::test
