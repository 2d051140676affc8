#include "payload/record_builder.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/ascii.h"
#include "payload/cost.h"
#include "payload/json_writer.h"
#include "payload/redaction_marker.h"
#include "payload/response_reader.h"

namespace llmtap::payload {
namespace {

using ascii::iequals;
using ascii::to_lower;

// Lower-case ASCII words grouped by first letter when the set is built (at compile time), so a
// scan compares at each byte only the words that start with it.
class WordSet {
 public:
  constexpr WordSet(std::initializer_list<std::string_view> words) {
    std::size_t count = 0;
    for (std::size_t letter = 0; letter < 26; ++letter) {
      first_[letter] = static_cast<std::uint8_t>(count);
      for (std::string_view word : words) {
        if (static_cast<std::size_t>(word[0] - 'a') == letter) words_[count++] = word;
      }
    }
    first_[26] = static_cast<std::uint8_t>(count);
  }

  // Whether `text` contains any of the words, ignoring ASCII case. Header names are checked
  // against the secret words several times per record; a scan per word was a visible share of the
  // build time.
  bool found_in(std::string_view text) const {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = to_lower(text[i]);
      if (c < 'a' || c > 'z') continue;
      const auto letter = static_cast<std::size_t>(c - 'a');
      for (std::size_t k = first_[letter]; k < first_[letter + 1]; ++k) {
        const std::string_view word = words_[k];
        if (word.size() > text.size() - i) continue;
        std::size_t j = 1;
        while (j < word.size() && to_lower(text[i + j]) == word[j]) ++j;
        if (j == word.size()) return true;
      }
    }
    return false;
  }

 private:
  std::string_view words_[16] = {};
  std::uint8_t first_[27] = {};  // words starting with letter L: words_[first_[L], first_[L + 1])
};

constexpr WordSet kSecretHeaderWords{"auth",     "key",       "token",      "secret", "cookie",
                                     "password", "signature", "credential", "session"};
constexpr WordSet kSecretParameterWords{"api_key", "secret", "password", "credential"};

bool is_ratelimit_header(std::string_view name) {
  constexpr std::string_view kPrefix = "x-ratelimit-";
  return name.size() > kPrefix.size() && ascii::istarts_with(name, kPrefix);
}

// Header names that may carry a credential. Deny by pattern rather than allow by name, so an
// unusual header (x-goog-api-key, x-portkey-api-key, set-cookie…) is still kept out.
bool is_secret_header(std::string_view name) {
  if (is_ratelimit_header(name)) return false;  // x-ratelimit-*-tokens are counters
  return kSecretHeaderWords.found_in(name);
}

// Body parameters that carry credentials (LiteLLM lets clients pass some of these per request).
bool is_secret_parameter(std::string_view name) {
  if (kSecretParameterWords.found_in(name)) return true;
  for (std::string_view exact :
       {"azure_ad_token", "aws_session_token", "aws_access_key_id", "headers", "extra_headers"}) {
    if (name == exact) return true;
  }
  return false;
}

void lowercase_into(std::string& out, std::string_view prefix, std::string_view name) {
  out.resize(prefix.size() + name.size());
  char* p = std::copy(prefix.begin(), prefix.end(), out.data());
  for (char c : name) *p++ = to_lower(c);
}

void write_sha256_hex(JsonWriter& writer, std::string_view key) {
  // Most traffic comes with a handful of keys, and a digest costs more than the rest of the
  // metadata: remember the last one per thread.
  thread_local std::string last_key;
  thread_local std::string last_hex;
  if (!last_hex.empty() && key == last_key) {
    writer.string(last_hex);
    return;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(key.data(), key.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    writer.null();
    return;
  }
  constexpr char kHex[] = "0123456789abcdef";
  char hex[2 * EVP_MAX_MD_SIZE];
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  last_key.assign(key);
  last_hex.assign(hex, 2 * length);
  writer.string(last_hex);
}

// LiteLLM's shape: x-ratelimit-* as x_ratelimit_* (integers when numeric), and every header as
// "llm_provider-<name>" with its value as sent.
void write_additional_headers(JsonWriter& w, const std::vector<HeaderView>& headers,
                              std::string& name) {
  w.begin_object();
  for (const auto& [header, value] : headers) {
    if (!is_ratelimit_header(header)) continue;  // rate-limit counters are never secrets
    name.clear();
    for (char c : header) name.push_back(c == '-' ? '_' : to_lower(c));
    w.key(name);
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error == std::errc() && end == value.data() + value.size() && !value.empty()) {
      w.integer(number);
    } else {
      w.string(value);
    }
  }
  for (const auto& [header, value] : headers) {
    if (is_secret_header(header)) continue;
    lowercase_into(name, "llm_provider-", header);
    w.key(name);
    w.string(value);
  }
  w.end_object();
}

// The client's x-* headers, minus anything that may hold a credential; first occurrence wins.
void write_custom_headers(JsonWriter& w, const std::vector<HeaderView>& headers,
                          std::string& name) {
  w.begin_object();
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const std::string_view header = headers[i].first;
    if (header.size() < 3 || to_lower(header[0]) != 'x' || header[1] != '-') continue;
    if (is_secret_header(header)) continue;
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = iequals(headers[j].first, header);
    if (seen) continue;
    lowercase_into(name, "", header);
    w.key(name);
    w.string(headers[i].second);
  }
  w.end_object();
}

// What every section writer reads: the call, the answer's facts, the cost, and the decisions
// build() made once.
struct RecordContext {
  const CallInfo& call;
  const ResponseFacts& response;
  const Cost& cost;
  bool success;
  bool redact;
  std::string_view status;      // "success" or "failure", as LiteLLM spells them
  std::string_view error_text;  // the error message, or the marker when redacting; empty on success
  std::int64_t total_tokens;    // the answer's total, else prompt + completion
  std::string& scratch;         // reused for lower-cased header names
};

// Writes a top-level key unless it is excluded. A template so that a literal key reaches
// JsonWriter's literal overload (no escaping pass).
class FieldFilter {
 public:
  FieldFilter(JsonWriter& w, const std::vector<std::string>& excluded)
      : w_(w), excluded_(excluded) {}

  template <std::size_t N>
  bool operator()(const char (&key)[N]) {
    for (const auto& name : excluded_) {
      if (name == key) return false;
    }
    w_.key(key);
    return true;
  }

 private:
  JsonWriter& w_;
  const std::vector<std::string>& excluded_;
};

void write_raw_or_null(JsonWriter& w, std::string_view raw) {
  if (raw.empty()) {
    w.null();
  } else {
    w.raw(raw);
  }
}

void write_id(JsonWriter& w, const RecordContext& ctx) {
  if (ctx.success && !ctx.response.id_raw.empty()) {
    w.raw(ctx.response.id_raw);
  } else {
    w.string(ctx.call.call_id);
  }
}

void write_cost_breakdown(JsonWriter& w, const Cost& cost) {
  w.begin_object();
  w.key("input_cost");
  w.number(cost.input);
  w.key("output_cost");
  w.number(cost.output);
  w.key("total_cost");
  w.number(cost.total);
  w.key("tool_usage_cost");
  w.number(0);
  w.end_object();
}

// Why a successful call costs 0: its model has no price (LiteLLM's shape and wording).
void write_cost_failure_debug_info(JsonWriter& w, const RecordContext& ctx) {
  if (!ctx.success || ctx.cost.known) {
    w.null();
    return;
  }
  const CallInfo& call = ctx.call;
  w.begin_object();
  w.key("error_str");
  std::string message = "This model isn't mapped yet. model=";
  message.append(call.model).append(", custom_llm_provider=").append(call.custom_llm_provider);
  message += ". Add it to the model price map or set input_cost_per_token/output_cost_per_token.";
  w.string(message);
  w.key("traceback_str");
  w.string("");
  w.key("model");
  w.string(call.model);
  w.key("cache_hit");
  w.boolean(false);
  w.key("custom_llm_provider");
  w.string_or_null(call.custom_llm_provider);
  w.key("base_model");
  w.null();
  w.key("call_type");
  w.string(to_string(call.call_type));
  w.key("custom_pricing");
  w.boolean(false);
  w.end_object();
}

void write_status_fields(JsonWriter& w, const RecordContext& ctx) {
  w.begin_object();
  w.key("llm_api_status");
  w.string(ctx.status);
  w.key("guardrail_status");
  w.string("not_run");
  w.end_object();
}

// For streams LiteLLM reports the time to the first token; otherwise the whole call.
void write_response_time(JsonWriter& w, const CallInfo& call) {
  const bool to_first_token = call.stream && call.completion_start_time.has_value();
  w.seconds((to_first_token ? *call.completion_start_time : call.end_time) - call.start_time);
}

void write_model_map_information(JsonWriter& w, const RecordContext& ctx) {
  const ModelPrice* price = ctx.cost.price;
  w.begin_object();
  w.key("model_map_key");
  w.string(price ? std::string_view(price->key) : ctx.call.model);
  w.key("model_map_value");
  if (price) {
    w.raw(price->raw_json);
  } else {
    w.null();
  }
  w.end_object();
}

void write_metadata(JsonWriter& w, const RecordContext& ctx) {
  const CallInfo& call = ctx.call;
  w.begin_object();
  w.key("user_api_key_hash");
  if (call.client_api_key.empty()) {
    w.null();
  } else {
    write_sha256_hex(w, call.client_api_key);
  }
  // Key facts a LiteLLM key database would know and llmtap does not: one constant run.
  w.raw_members(
      "\"user_api_key_alias\":null,\"user_api_key_spend\":null,\"user_api_key_max_budget\":null,"
      "\"user_api_key_budget_reset_at\":null,\"user_api_key_org_id\":null,"
      "\"user_api_key_team_id\":null,\"user_api_key_user_id\":null,"
      "\"user_api_key_user_email\":null,\"user_api_key_team_alias\":null,"
      "\"user_api_key_end_user_id\":null,\"user_api_key_request_route\":null,"
      "\"user_api_key_auth_metadata\":null,\"spend_logs_metadata\":null");
  w.key("requester_ip_address");
  w.string_or_null(call.requester_ip);
  w.key("requester_metadata");
  write_raw_or_null(w, call.request ? call.request->metadata_raw : std::string_view());
  w.key("requester_custom_headers");
  write_custom_headers(w, call.request_headers, ctx.scratch);
  w.raw_members(
      "\"prompt_management_metadata\":null,\"mcp_tool_call_metadata\":null,"
      "\"vector_store_request_metadata\":null,\"applied_guardrails\":[]");
  w.key("usage_object");
  write_raw_or_null(w, ctx.response.usage_raw);
  w.key("cold_storage_object_key");
  w.null();
  w.key("user_agent");
  w.string_or_null(call.user_agent);
  w.end_object();
}

void write_request_tags(JsonWriter& w, const RequestSummary* request) {
  if (request && !request->tags_raw.empty()) {
    w.raw(request->tags_raw);
  } else {
    w.begin_array();
    w.end_array();
  }
}

void write_end_user(JsonWriter& w, const RequestSummary* request) {
  if (request && !request->user_raw.empty()) {
    w.raw(request->user_raw);
  } else {
    w.string("");
  }
}

void write_messages(JsonWriter& w, const RecordContext& ctx) {
  const RequestSummary* request = ctx.call.request;
  if (!request || request->input_raw.empty()) {
    w.null();
  } else if (!ctx.redact) {
    w.raw(request->input_raw);
  } else if (ctx.call.call_type == CallType::completion) {
    w.raw(kRedactedMessages);
  } else {
    w.string(kRedacted);
  }
}

void write_response(JsonWriter& w, const RecordContext& ctx) {
  const ResponseFacts& response = ctx.response;
  if (!ctx.success) {
    w.begin_object();
    w.end_object();
  } else if (!response.valid) {
    // Not a JSON object: LiteLLM's type allows a string, so keep what came, as text.
    w.string(ctx.redact ? kRedacted : ctx.call.response_body);
  } else if (!response.rewritten.empty()) {
    w.raw(response.rewritten);
  } else {
    w.raw(response.json);
  }
}

void write_error_str(JsonWriter& w, const RecordContext& ctx) {
  if (ctx.success) {
    w.null();
  } else {
    w.string(ctx.error_text);
  }
}

void write_error_information(JsonWriter& w, const RecordContext& ctx) {
  if (ctx.success) {
    w.null();
    return;
  }
  const ErrorInfo& error = *ctx.call.error;
  w.begin_object();
  w.key("error_code");
  if (error.error_code.empty()) {
    char buf[16];
    auto result = std::to_chars(buf, buf + sizeof buf, error.http_status);
    w.string(std::string_view(buf, static_cast<std::size_t>(result.ptr - buf)));
  } else {
    w.string(error.error_code);
  }
  w.key("error_class");
  w.string_or_null(error.error_class);
  w.key("llm_provider");
  w.string_or_null(error.llm_provider.empty() ? ctx.call.custom_llm_provider : error.llm_provider);
  w.key("traceback");
  w.string("");
  w.key("error_message");
  w.string(ctx.error_text);
  w.end_object();
}

void write_model_parameters(JsonWriter& w, const RequestSummary* request) {
  w.begin_object();
  if (request) {
    for (const auto& [key, value] : request->parameters) {
      if (is_secret_parameter(key)) continue;
      w.raw_key(key);
      w.raw(value);
    }
  }
  w.end_object();
}

void write_hidden_params(JsonWriter& w, const RecordContext& ctx) {
  const CallInfo& call = ctx.call;
  w.begin_object();
  w.key("model_id");
  w.string_or_null(call.model_id);
  w.key("cache_key");
  w.null();
  w.key("api_base");
  w.string_or_null(call.api_base);
  w.key("response_cost");
  w.number(ctx.cost.total);
  w.key("litellm_overhead_time_ms");
  w.number(call.overhead_ms);
  w.key("additional_headers");
  write_additional_headers(w, call.response_headers, ctx.scratch);
  w.key("batch_models");
  w.null();
  w.key("litellm_model_name");
  w.string_or_null(call.model);
  w.key("usage_object");
  write_raw_or_null(w, ctx.response.usage_raw);
  w.end_object();
}

// llmtap's own field (not LiteLLM's): the attempt of the client's request this record is, so a log
// platform can group a request's attempts (request_id) and count each request once (final).
void write_attempt(JsonWriter& w, const CallInfo& call) {
  w.begin_object();
  w.key("request_id");
  w.string(call.call_id);
  w.key("number");
  w.integer(call.attempt.number);
  w.key("fallback_depth");
  w.integer(call.attempt.fallback_depth);
  w.key("final");
  w.boolean(call.attempt.final);
  w.end_object();
}

void write_usage(JsonWriter& w, const RecordContext& ctx) {
  w.begin_object();
  w.key("prompt_tokens");
  w.integer(ctx.response.prompt_tokens);
  w.key("completion_tokens");
  w.integer(ctx.response.completion_tokens);
  w.key("total_tokens");
  w.integer(ctx.total_tokens);
  w.end_object();
}

// Every top-level key of the record, in LiteLLM's order, each unless excluded.
void write_record(JsonWriter& w, const RecordContext& ctx, FieldFilter field) {
  const CallInfo& call = ctx.call;
  const ResponseFacts& response = ctx.response;
  w.begin_object();
  if (field("id")) write_id(w, ctx);
  if (field("litellm_call_id")) w.string(call.call_id);
  if (field("trace_id")) w.string(call.call_id);
  if (field("call_type")) w.string(to_string(call.call_type));
  if (field("stream")) w.boolean(call.stream);
  if (field("response_cost")) w.number(ctx.cost.total);
  if (field("cost_breakdown")) write_cost_breakdown(w, ctx.cost);
  if (field("response_cost_failure_debug_info")) write_cost_failure_debug_info(w, ctx);
  if (field("status")) w.string(ctx.status);
  if (field("status_fields")) write_status_fields(w, ctx);
  if (field("custom_llm_provider")) w.string_or_null(call.custom_llm_provider);
  if (field("total_tokens")) w.integer(ctx.total_tokens);
  if (field("prompt_tokens")) w.integer(response.prompt_tokens);
  if (field("completion_tokens")) w.integer(response.completion_tokens);
  if (field("startTime")) w.seconds(call.start_time);
  if (field("endTime")) w.seconds(call.end_time);
  if (field("completionStartTime")) w.seconds(call.completion_start_time.value_or(call.end_time));
  if (field("response_time")) write_response_time(w, call);
  if (field("model_map_information")) write_model_map_information(w, ctx);
  if (field("model")) w.string(call.model);
  if (field("model_id")) w.string_or_null(call.model_id);
  if (field("model_group")) w.string_or_null(call.model_group);
  if (field("api_base")) w.string_or_null(call.api_base);
  if (field("metadata")) write_metadata(w, ctx);
  if (field("cache_hit")) w.boolean(false);
  if (field("cache_key")) w.null();
  if (field("saved_cache_cost")) w.number(0);
  if (field("request_tags")) write_request_tags(w, call.request);
  if (field("end_user")) write_end_user(w, call.request);
  if (field("requester_ip_address")) w.string_or_null(call.requester_ip);
  if (field("user_agent")) w.string_or_null(call.user_agent);
  if (field("messages")) write_messages(w, ctx);
  if (field("response")) write_response(w, ctx);
  if (field("error_str")) write_error_str(w, ctx);
  if (field("error_information")) write_error_information(w, ctx);
  if (field("model_parameters")) write_model_parameters(w, call.request);
  if (field("hidden_params")) write_hidden_params(w, ctx);
  if (field("guardrail_information")) w.null();
  if (field("standard_built_in_tools_params")) w.null();
  if (field("usage")) write_usage(w, ctx);
  if (field("cost")) w.number(ctx.cost.total);
  if (field("llmtap_attempt")) write_attempt(w, call);
  w.end_object();
}

}  // namespace

RecordBuilder::RecordBuilder(BuilderOptions options) : options_(std::move(options)) {}

Record RecordBuilder::build(const CallInfo& call) const {
  return build(call, options_.turn_off_message_logging);
}

Record RecordBuilder::build(const CallInfo& call, bool redact_messages) const {
  const bool success = !call.error.has_value();
  const bool redact = redact_messages;

  // The gateway read the answer before replying to the client; read it here only when it did not,
  // or read it for another redaction decision.
  ResponseFacts own_facts;
  const ResponseFacts* facts = &own_facts;
  if (success) {
    const ResponseReadOptions options{call.call_type == CallType::embedding, redact};
    if (call.response_facts != nullptr && call.response_facts->options == options) {
      facts = call.response_facts;
    } else {
      own_facts = read_response(call.response_body, options);
    }
  }
  const ResponseFacts& response = *facts;
  const Cost cost = compute_cost(call, response, options_.prices.get());

  auto json = std::make_shared<std::string>();
  json->reserve(2048 + call.request_body.size() + call.response_body.size() +
                96 * (call.request_headers.size() + call.response_headers.size()));
  JsonWriter w(*json);
  std::string scratch;
  const RecordContext context{
      .call = call,
      .response = response,
      .cost = cost,
      .success = success,
      .redact = redact,
      .status = success ? "success" : "failure",
      .error_text = success ? "" : (redact ? kRedacted : call.error->message),
      .total_tokens = response.total_tokens >= 0
                          ? response.total_tokens
                          : response.prompt_tokens + response.completion_tokens,
      .scratch = scratch,
  };
  write_record(w, context, FieldFilter(w, options_.excluded_fields));
  w.finish();

  Record record;
  record.json = std::move(json);
  record.status = success ? RecordStatus::success : RecordStatus::failure;
  record.call_id.assign(call.call_id);
  return record;
}

}  // namespace llmtap::payload
