#include "payload/record_builder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <string>

#include "support/chat_call.h"

namespace llmtap::payload {
namespace {

constexpr std::string_view kChatBody =
    R"({"model":"gpt-4o","messages":[{"role":"user","content":"PROMPT-TEXT-42"}],)"
    R"("temperature":0.2,"api_key":"sk-body-secret","metadata":{"tags":["prod","team-a"]},"user":"alice"})";
constexpr std::string_view kChatResponse =
    R"({"id":"chatcmpl-abc","object":"chat.completion","model":"gpt-4o",)"
    R"("choices":[{"index":0,"message":{"role":"assistant","content":"ANSWER-TEXT-99"},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120}})";

// A call and the bytes it points into (tests/support/chat_call.h), checked to parse.
struct Fixture : test::ChatCall {
  explicit Fixture(std::string_view request_body = kChatBody,
                   std::string_view response_body = kChatResponse,
                   CallType type = CallType::completion)
      : ChatCall(std::string(request_body), std::string(response_body), type) {
    EXPECT_NE(call.request, nullptr) << parse_error.message;
  }
};

std::shared_ptr<const PriceMap> test_prices() {
  auto map = PriceMap::parse(
      R"({"gpt-4o":{"litellm_provider":"openai","input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05}})");
  return std::make_shared<const PriceMap>(std::move(*map));
}

Record build(const CallInfo& call, BuilderOptions options = {}) {
  if (!options.prices) options.prices = test_prices();
  return RecordBuilder(std::move(options)).build(call);
}

// Parses a record with simdjson's DOM (which validates JSON and UTF-8 fully).
struct Parsed {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  explicit Parsed(const Record& record) {
    auto error = parser.parse(record.bytes().data(), record.size()).get_object().get(root);
    EXPECT_EQ(error, simdjson::SUCCESS) << record.bytes();
  }
  simdjson::dom::element at(std::string_view pointer) {
    simdjson::dom::element element;
    EXPECT_EQ(root.at_pointer(pointer).get(element), simdjson::SUCCESS) << pointer;
    return element;
  }
  std::string str(std::string_view pointer) {
    return std::string(at(pointer).get_string().value_unsafe());
  }
  double num(std::string_view pointer) { return at(pointer).get_double().value_unsafe(); }
  std::int64_t integer(std::string_view pointer) { return at(pointer).get_int64().value_unsafe(); }
  bool is_null(std::string_view pointer) { return at(pointer).is_null(); }
  std::string json(std::string_view pointer) { return simdjson::minify(at(pointer)); }
};

std::set<std::string> keys_of(simdjson::dom::object object) {
  std::set<std::string> keys;
  for (auto [key, value] : object) keys.emplace(key);
  return keys;
}

std::set<std::string> keys_of(simdjson::dom::element element) {
  return keys_of(element.get_object().value_unsafe());
}

const std::set<std::string> kTopLevelKeys = {"id",
                                             "litellm_call_id",
                                             "trace_id",
                                             "call_type",
                                             "stream",
                                             "response_cost",
                                             "cost_breakdown",
                                             "response_cost_failure_debug_info",
                                             "status",
                                             "status_fields",
                                             "custom_llm_provider",
                                             "total_tokens",
                                             "prompt_tokens",
                                             "completion_tokens",
                                             "startTime",
                                             "endTime",
                                             "completionStartTime",
                                             "response_time",
                                             "model_map_information",
                                             "model",
                                             "model_id",
                                             "model_group",
                                             "api_base",
                                             "metadata",
                                             "cache_hit",
                                             "cache_key",
                                             "saved_cache_cost",
                                             "request_tags",
                                             "end_user",
                                             "requester_ip_address",
                                             "user_agent",
                                             "messages",
                                             "response",
                                             "error_str",
                                             "error_information",
                                             "model_parameters",
                                             "hidden_params",
                                             "guardrail_information",
                                             "standard_built_in_tools_params",
                                             "usage",
                                             "cost",
                                             "llmtap_attempt"};
const std::set<std::string> kMetadataKeys = {"user_api_key_hash",
                                             "user_api_key_alias",
                                             "user_api_key_spend",
                                             "user_api_key_max_budget",
                                             "user_api_key_budget_reset_at",
                                             "user_api_key_org_id",
                                             "user_api_key_team_id",
                                             "user_api_key_user_id",
                                             "user_api_key_user_email",
                                             "user_api_key_team_alias",
                                             "user_api_key_end_user_id",
                                             "user_api_key_request_route",
                                             "user_api_key_auth_metadata",
                                             "spend_logs_metadata",
                                             "requester_ip_address",
                                             "requester_metadata",
                                             "requester_custom_headers",
                                             "prompt_management_metadata",
                                             "mcp_tool_call_metadata",
                                             "vector_store_request_metadata",
                                             "applied_guardrails",
                                             "usage_object",
                                             "cold_storage_object_key",
                                             "user_agent"};
const std::set<std::string> kHiddenParamsKeys = {"model_id",
                                                 "cache_key",
                                                 "api_base",
                                                 "response_cost",
                                                 "litellm_overhead_time_ms",
                                                 "additional_headers",
                                                 "batch_models",
                                                 "litellm_model_name",
                                                 "usage_object"};

// Verifies the full StandardLoggingPayload key set (top level, metadata, hidden_params).
TEST(RecordBuilderTest, EveryKeyIsPresentOnSuccessAndFailure) {
  Fixture success;
  Fixture failure;
  failure.fail("connection refused");
  for (const Record& record : {build(success.call), build(failure.call)}) {
    Parsed parsed(record);
    EXPECT_EQ(keys_of(parsed.root), kTopLevelKeys);
    EXPECT_EQ(keys_of(parsed.at("/metadata")), kMetadataKeys);
    EXPECT_EQ(keys_of(parsed.at("/hidden_params")), kHiddenParamsKeys);
    EXPECT_EQ(keys_of(parsed.at("/model_map_information")),
              (std::set<std::string>{"model_map_key", "model_map_value"}));
    EXPECT_EQ(keys_of(parsed.at("/status_fields")),
              (std::set<std::string>{"llm_api_status", "guardrail_status"}));
    EXPECT_EQ(keys_of(parsed.at("/usage")),
              (std::set<std::string>{"prompt_tokens", "completion_tokens", "total_tokens"}));
  }
}

// Verifies the values of a successful chat record.
TEST(RecordBuilderTest, SuccessRecordCarriesCallFacts) {
  Fixture f;
  const Record record = build(f.call);
  EXPECT_EQ(record.status, RecordStatus::success);
  EXPECT_EQ(record.call_id, "call-uuid-1");
  Parsed p(record);
  EXPECT_EQ(p.str("/id"), "chatcmpl-abc");
  EXPECT_EQ(p.str("/litellm_call_id"), "call-uuid-1");
  EXPECT_EQ(p.str("/trace_id"), "call-uuid-1");
  EXPECT_EQ(p.str("/call_type"), "acompletion");
  EXPECT_EQ(p.str("/status"), "success");
  EXPECT_EQ(p.str("/status_fields/llm_api_status"), "success");
  EXPECT_EQ(p.str("/status_fields/guardrail_status"), "not_run");
  EXPECT_EQ(p.integer("/prompt_tokens"), 100);
  EXPECT_EQ(p.integer("/completion_tokens"), 20);
  EXPECT_EQ(p.integer("/total_tokens"), 120);
  EXPECT_EQ(p.integer("/usage/total_tokens"), 120);
  EXPECT_DOUBLE_EQ(p.num("/startTime"), 1700000000.25);
  EXPECT_DOUBLE_EQ(p.num("/endTime"), 1700000001.75);
  EXPECT_DOUBLE_EQ(p.num("/completionStartTime"), 1700000001.75);
  EXPECT_DOUBLE_EQ(p.num("/response_time"), 1.5);
  EXPECT_EQ(p.str("/model"), "gpt-4o");
  EXPECT_EQ(p.str("/model_id"), "deployment-1");
  EXPECT_EQ(p.str("/model_group"), "gpt-4o");
  EXPECT_EQ(p.str("/api_base"), "https://api.openai.com/v1");
  EXPECT_EQ(p.str("/custom_llm_provider"), "openai");
  EXPECT_EQ(p.json("/request_tags"), R"(["prod","team-a"])");
  EXPECT_EQ(p.str("/end_user"), "alice");
  EXPECT_EQ(p.str("/requester_ip_address"), "10.0.0.7");
  EXPECT_EQ(p.str("/user_agent"), "curl/8.0");
  EXPECT_EQ(p.json("/messages"), R"([{"role":"user","content":"PROMPT-TEXT-42"}])");
  EXPECT_EQ(p.json("/response"), kChatResponse);
  EXPECT_TRUE(p.is_null("/error_str"));
  EXPECT_TRUE(p.is_null("/error_information"));
  EXPECT_EQ(p.json("/model_parameters"), R"({"temperature":0.2,"user":"alice"})");
  EXPECT_EQ(p.json("/metadata/requester_metadata"), R"({"tags":["prod","team-a"]})");
  EXPECT_EQ(p.json("/metadata/requester_custom_headers"), R"({"x-request-source":"unit-test"})");
  EXPECT_EQ(p.json("/metadata/usage_object"),
            R"({"prompt_tokens":100,"completion_tokens":20,"total_tokens":120})");
  EXPECT_EQ(
      p.json("/hidden_params/additional_headers"),
      R"({"x_ratelimit_remaining_requests":4999,"x_ratelimit_reset_tokens":"6ms",)"
      R"("llm_provider-x-ratelimit-remaining-requests":"4999",)"
      R"("llm_provider-x-ratelimit-reset-tokens":"6ms","llm_provider-content-type":"application/json"})");
  EXPECT_DOUBLE_EQ(p.num("/hidden_params/litellm_overhead_time_ms"), 0.5);
  EXPECT_EQ(p.at("/cache_hit").get_bool().value_unsafe(), false);
  EXPECT_TRUE(p.is_null("/guardrail_information"));
  EXPECT_TRUE(p.is_null("/standard_built_in_tools_params"));
}

// Verifies that the body's "user" is both the record's end_user and one of its model_parameters,
// as LiteLLM's own generic_api logger test expects (model_parameters.user == "test_user").
TEST(RecordBuilderTest, UserIsEndUserAndAModelParameter) {
  Fixture f(R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"user":"test_user",)"
            R"("max_tokens":5})");
  Parsed p(build(f.call));
  EXPECT_EQ(p.str("/end_user"), "test_user");
  EXPECT_EQ(p.str("/model_parameters/user"), "test_user");
  EXPECT_EQ(p.json("/model_parameters"), R"({"user":"test_user","max_tokens":5})");
}

// Verifies that a streamed call reports response_time up to its first token (as LiteLLM does),
// while a non-streamed call reports the whole call.
TEST(RecordBuilderTest, StreamResponseTimeIsTimeToFirstToken) {
  Fixture f;
  f.call.stream = true;
  f.call.completion_start_time = 1700000000.75;
  Parsed streamed(build(f.call));
  EXPECT_DOUBLE_EQ(streamed.num("/completionStartTime"), 1700000000.75);
  EXPECT_DOUBLE_EQ(streamed.num("/response_time"), 0.5);
  f.call.stream = false;
  Parsed whole(build(f.call));
  EXPECT_DOUBLE_EQ(whole.num("/response_time"), 1.5);
}

// Verifies a failure record: call id as id, empty response, zero tokens and cost, error details.
TEST(RecordBuilderTest, FailureRecordCarriesError) {
  Fixture f;
  f.fail("Connection refused");
  const Record record = build(f.call);
  EXPECT_EQ(record.status, RecordStatus::failure);
  Parsed p(record);
  EXPECT_EQ(p.str("/id"), "call-uuid-1");
  EXPECT_EQ(p.str("/status"), "failure");
  EXPECT_EQ(p.str("/status_fields/llm_api_status"), "failure");
  EXPECT_EQ(p.json("/response"), "{}");
  EXPECT_EQ(p.integer("/total_tokens"), 0);
  EXPECT_EQ(p.num("/response_cost"), 0);
  EXPECT_TRUE(p.is_null("/response_cost_failure_debug_info"));
  EXPECT_EQ(p.str("/error_str"), "Connection refused");
  EXPECT_EQ(p.str("/error_information/error_code"), "502");
  EXPECT_EQ(p.str("/error_information/error_class"), "APIConnectionError");
  EXPECT_EQ(p.str("/error_information/llm_provider"), "openai");
  EXPECT_EQ(p.str("/error_information/traceback"), "");
  EXPECT_EQ(p.str("/error_information/error_message"), "Connection refused");
  EXPECT_EQ(p.json("/messages"), R"([{"role":"user","content":"PROMPT-TEXT-42"}])");
}

// Verifies that the deployment's own prices win over the price map.
TEST(RecordBuilderTest, CostUsesDeploymentPricesFirst) {
  Fixture f;
  f.call.input_cost_per_token = 1e-3;
  f.call.output_cost_per_token = 2e-3;
  Parsed p(build(f.call));
  EXPECT_DOUBLE_EQ(p.num("/response_cost"), 100 * 1e-3 + 20 * 2e-3);
  EXPECT_DOUBLE_EQ(p.num("/cost"), 100 * 1e-3 + 20 * 2e-3);
  EXPECT_DOUBLE_EQ(p.num("/cost_breakdown/input_cost"), 100 * 1e-3);
  EXPECT_DOUBLE_EQ(p.num("/cost_breakdown/output_cost"), 20 * 2e-3);
  EXPECT_TRUE(p.is_null("/response_cost_failure_debug_info"));
}

// Verifies cost and model_map_information from the price map.
TEST(RecordBuilderTest, CostFallsBackToPriceMap) {
  Fixture f;
  Parsed p(build(f.call));
  EXPECT_DOUBLE_EQ(p.num("/response_cost"), 100 * 2.5e-06 + 20 * 1e-05);
  EXPECT_DOUBLE_EQ(p.num("/hidden_params/response_cost"), 100 * 2.5e-06 + 20 * 1e-05);
  EXPECT_DOUBLE_EQ(p.num("/cost_breakdown/total_cost"), 100 * 2.5e-06 + 20 * 1e-05);
  EXPECT_EQ(p.str("/model_map_information/model_map_key"), "gpt-4o");
  EXPECT_EQ(
      p.json("/model_map_information/model_map_value"),
      R"({"litellm_provider":"openai","input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05})");
  EXPECT_TRUE(p.is_null("/response_cost_failure_debug_info"));
}

// Verifies that an unmapped model costs 0 and explains why.
TEST(RecordBuilderTest, UnknownModelCostsZeroWithDebugInfo) {
  Fixture f;
  f.call.model = "my-private-model";
  Parsed p(build(f.call));
  EXPECT_EQ(p.num("/response_cost"), 0);
  EXPECT_TRUE(p.is_null("/model_map_information/model_map_value"));
  EXPECT_EQ(p.str("/model_map_information/model_map_key"), "my-private-model");
  EXPECT_EQ(p.str("/response_cost_failure_debug_info/model"), "my-private-model");
  EXPECT_EQ(p.str("/response_cost_failure_debug_info/custom_llm_provider"), "openai");
  EXPECT_EQ(p.str("/response_cost_failure_debug_info/call_type"), "acompletion");
  EXPECT_NE(p.str("/response_cost_failure_debug_info/error_str").find("my-private-model"),
            std::string::npos);
}

// Verifies user_api_key_hash against the FIPS 180-2 test vector sha256("abc"), and null without
// a key.
TEST(RecordBuilderTest, HashesClientKeyWithSha256) {
  Fixture f;
  f.call.client_api_key = "abc";
  EXPECT_EQ(Parsed(build(f.call)).str("/metadata/user_api_key_hash"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  f.call.client_api_key = "";
  EXPECT_TRUE(Parsed(build(f.call)).is_null("/metadata/user_api_key_hash"));
}

// Verifies that invalid bytes from upstream become U+FFFD and the record stays valid JSON.
TEST(RecordBuilderTest, RepairsInvalidUtf8InResponse) {
  Fixture f(kChatBody, "{\"id\":\"x\",\"choices\":[{\"text\":\"bad \xFF\xFE byte\"}]}");
  const Record record = build(f.call);
  Parsed p(record);
  EXPECT_EQ(p.str("/response/choices/0/text"), "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
  EXPECT_EQ(p.str("/id"), "x");
}

// Verifies that a body that is not JSON is recorded as a string, control characters escaped.
TEST(RecordBuilderTest, KeepsNonJsonResponseAsEscapedString) {
  Fixture f(kChatBody, std::string("oops\x01\"<html>\xC3", 13));
  Parsed p(build(f.call));
  EXPECT_EQ(p.str("/response"), "oops\x01\"<html>\xEF\xBF\xBD");
  EXPECT_EQ(p.str("/id"), "call-uuid-1");
}

// Verifies that error text with control characters and quotes round-trips through the record.
TEST(RecordBuilderTest, EscapesControlCharactersInErrorText) {
  Fixture f;
  const std::string message("bad \"thing\"\n\x01\x1f end");
  f.fail(message);
  const Record record = build(f.call);
  EXPECT_NE(record.bytes().find("\\u0001\\u001f"), std::string_view::npos);
  EXPECT_EQ(Parsed(record).str("/error_str"), message);
}

// Verifies turn_off_message_logging on success: no prompt or answer text anywhere.
TEST(RecordBuilderTest, RedactsContentOnSuccess) {
  Fixture f;
  BuilderOptions options;
  options.turn_off_message_logging = true;
  const Record record = build(f.call, options);
  EXPECT_EQ(record.bytes().find("PROMPT-TEXT-42"), std::string_view::npos);
  EXPECT_EQ(record.bytes().find("ANSWER-TEXT-99"), std::string_view::npos);
  Parsed p(record);
  EXPECT_EQ(p.str("/messages/0/content"), "redacted-by-litellm");
  EXPECT_EQ(p.str("/response/choices/0/message/content"), "redacted-by-litellm");
  EXPECT_EQ(p.str("/response/choices/0/finish_reason"), "stop");
  EXPECT_EQ(p.integer("/usage/total_tokens"), 120);
}

// Verifies turn_off_message_logging on failure, including error text that echoes the prompt.
TEST(RecordBuilderTest, RedactsContentAndErrorTextOnFailure) {
  Fixture f;
  f.fail("invalid content: PROMPT-TEXT-42");
  BuilderOptions options;
  options.turn_off_message_logging = true;
  const Record record = build(f.call, options);
  EXPECT_EQ(record.bytes().find("PROMPT-TEXT-42"), std::string_view::npos);
  Parsed p(record);
  EXPECT_EQ(p.str("/error_str"), "redacted-by-litellm");
  EXPECT_EQ(p.str("/error_information/error_message"), "redacted-by-litellm");
}

// Verifies that a text prompt and the completion text are replaced by the marker.
TEST(RecordBuilderTest, RedactsTextCompletionPrompt) {
  Fixture f(R"({"model":"m","prompt":"PROMPT-TEXT-42"})",
            R"({"id":"cmpl-1","choices":[{"text":"ANSWER-TEXT-99","index":0}]})",
            CallType::text_completion);
  BuilderOptions options;
  options.turn_off_message_logging = true;
  const Record record = build(f.call, options);
  EXPECT_EQ(record.bytes().find("PROMPT-TEXT-42"), std::string_view::npos);
  EXPECT_EQ(record.bytes().find("ANSWER-TEXT-99"), std::string_view::npos);
  EXPECT_EQ(Parsed(record).str("/messages"), "redacted-by-litellm");
}

// Verifies that standard_logging_payload_excluded_fields removes exactly those keys.
TEST(RecordBuilderTest, DropsExcludedFields) {
  Fixture f;
  BuilderOptions options;
  options.excluded_fields = {"messages", "response", "id"};
  Parsed p(build(f.call, options));
  std::set<std::string> expected = kTopLevelKeys;
  for (const char* key : {"messages", "response", "id"}) expected.erase(key);
  EXPECT_EQ(keys_of(p.root), expected);
}

// Verifies that the client key, Authorization / api-key / cookie headers and body api_key stay out.
TEST(RecordBuilderTest, NeverRecordsSecrets) {
  Fixture success;
  Fixture failure;
  failure.fail("upstream said no");
  for (const Fixture* f : {&success, &failure}) {
    const Record record = build(f->call);
    for (std::string_view secret :
         {"sk-client-123", "sk-body-secret", "session=abc", "upstream-session", "Bearer"}) {
      EXPECT_EQ(record.bytes().find(secret), std::string_view::npos) << secret;
    }
  }
}

// Verifies every secret word of the header filter, in mixed case and at any position, on both
// the client's x-* headers and the upstream's headers; harmless names that share first letters
// with them (x-request-source, x-trace-context, x-cache-status) are kept.
TEST(RecordBuilderTest, HeadersNamingACredentialStayOutWhateverTheirCase) {
  Fixture f;
  f.call.request_headers = {
      {"X-Upstream-AUTH", "a1"},     {"x-my-Key", "a2"},          {"X-Refresh-Token", "a3"},
      {"x-client-secret", "a4"},     {"X-Cookie-Jar", "a5"},      {"x-PASSWORD", "a6"},
      {"X-Signature", "a7"},         {"x-aws-credentials", "a8"}, {"X-Session-Id", "a9"},
      {"x-request-source", "kept1"}, {"X-Trace-Context", "kept2"}};
  f.call.response_headers = {
      {"X-Session-Token", "b1"}, {"Set-Cookie", "b2"}, {"X-Cache-Status", "kept3"}};
  Parsed p(build(f.call));
  EXPECT_EQ(p.json("/metadata/requester_custom_headers"),
            R"({"x-request-source":"kept1","x-trace-context":"kept2"})");
  EXPECT_EQ(p.json("/hidden_params/additional_headers"),
            R"({"llm_provider-x-cache-status":"kept3"})");
}

// Verifies that a record built from the gateway's facts is byte for byte the one the builder
// reads itself, with and without redaction, and that facts read for the other redaction
// decision are not used (the answer's content must not leak into a redacted record).
TEST(RecordBuilderTest, FactsReadBeforehandGiveTheSameRecord) {
  BuilderOptions options;
  options.prices = test_prices();
  const RecordBuilder builder(options);
  for (bool redact : {false, true}) {
    Fixture f;
    const Record fresh = builder.build(f.call, redact);
    const ResponseFacts facts =
        read_response(f.response, {.drop_vectors = false, .redact = redact});
    f.call.response_facts = &facts;
    const Record reused = builder.build(f.call, redact);
    EXPECT_EQ(reused.bytes(), fresh.bytes()) << redact;
  }
  Fixture f;
  const ResponseFacts unredacted = read_response(f.response, {});
  f.call.response_facts = &unredacted;
  const Record redacted = builder.build(f.call, true);
  EXPECT_EQ(redacted.bytes().find("ANSWER-TEXT-99"), std::string_view::npos) << redacted.bytes();
  // And the facts are what the record reports: usage from a (different) precomputed read shows.
  const std::string other =
      R"({"id":"chatcmpl-other","usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}})";
  const ResponseFacts other_facts = read_response(other, {});
  f.call.response_facts = &other_facts;
  Parsed p(build(f.call));
  EXPECT_EQ(p.str("/id"), "chatcmpl-other");
  EXPECT_EQ(p.at("/total_tokens").get_int64().value_unsafe(), 11);
}

// Verifies that non-finite numbers become null and the record still parses.
TEST(RecordBuilderTest, NeverEmitsNaN) {
  Fixture f;
  f.call.start_time = std::nan("");
  f.call.input_cost_per_token = std::numeric_limits<double>::infinity();
  const Record record = build(f.call);
  for (std::string_view bad : {"NaN", ":nan", ":-nan", ":inf", ":-inf", "Infinity"}) {
    EXPECT_EQ(record.bytes().find(bad), std::string_view::npos) << bad;
  }
  Parsed p(record);
  EXPECT_TRUE(p.is_null("/startTime"));
  EXPECT_TRUE(p.is_null("/response_cost"));
}

// Verifies that embeddings are recorded without their vectors, keeping one object per input.
TEST(RecordBuilderTest, DropsEmbeddingVectors) {
  Fixture f(
      R"({"model":"text-embedding-3-small","input":["a","b"]})",
      R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]},)"
      R"({"object":"embedding","index":1,"embedding":[0.3,0.4]}],"model":"text-embedding-3-small",)"
      R"("usage":{"prompt_tokens":2,"total_tokens":2}})",
      CallType::embedding);
  Parsed p(build(f.call));
  EXPECT_EQ(
      p.json("/response"),
      R"({"object":"list","data":[{"object":"embedding","index":0},{"object":"embedding","index":1}],)"
      R"("model":"text-embedding-3-small","usage":{"prompt_tokens":2,"total_tokens":2}})");
  EXPECT_EQ(p.str("/call_type"), "aembedding");
  EXPECT_EQ(p.integer("/prompt_tokens"), 2);
  EXPECT_EQ(p.integer("/total_tokens"), 2);
  EXPECT_EQ(p.json("/messages"), R"(["a","b"])");
}

}  // namespace
}  // namespace llmtap::payload
