// Config: the typed, validated, fully resolved configuration (README "Configuration"). Plain
// values: every `os.environ/NAME` and `${NAME}` is already replaced, presets are already layered,
// defaults are already applied, durations are whole milliseconds (at least 1 ms when positive).
// Built by load_config() (config/loader.h); read-only afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llmtap::config {

// The API a deployment's upstream speaks: OpenAI's (requests and answers pass through nearly
// byte for byte) or a provider's own, translated by src/providers/.
enum class UpstreamApi { openai, anthropic, gemini, cohere, bedrock };

// How an upstream takes the deployment's key: `Authorization: Bearer <key>` (OpenAI and most
// others), Azure's `api-key: <key>`, Anthropic's `x-api-key: <key>`, Google's
// `x-goog-api-key: <key>`, or no key but an AWS Signature V4 of each request (Bedrock with the
// deployment's AwsSigning).
enum class UpstreamAuth {
  bearer,
  api_key_header,
  x_api_key,
  x_goog_api_key,
  aws_sigv4,
  // `Authorization: Bearer <access token>` from the deployment's Google service account
  // (VertexSettings::credentials_json), fetched and refreshed by the gateway.
  google_service_account,
};

// How the URL of a route is made from api_base (gateway/upstream_url.h): the route's path
// appended (`/chat/completions`…), Azure OpenAI's
// `/openai/deployments/<deployment>/…?api-version=`, Azure AI's model inference form, Gemini's
// `…/models/<model>:<method>` (the method per route and per stream), or Cohere's full URLs
// (api_base for every route; by default /v2/chat, and /v2/embed on its own host for embeddings),
// or Bedrock's `{endpoint}/model/<model id, percent-encoded>/converse` (`/converse-stream`).
// Vertex AI: Gemini's `…/projects/<p>/locations/<l>/publishers/google/models/<model>:<method>`
// and the OpenAI-compatible `…/projects/<p>/locations/<l>/endpoints/openapi/chat/completions` of
// its partner and open models.
enum class UrlForm {
  openai,
  azure,
  azure_ai,
  gemini,
  cohere,
  bedrock,
  vertex_gemini,
  vertex_anthropic,  // …/publishers/anthropic/models/<model>:rawPredict (:streamRawPredict)
  vertex_openapi,
};

// What a vertex_ai/ deployment calls with: its project and location, and the service account's
// key file (its JSON text, read at start-up) that access tokens are made from. Empty for every
// other deployment. The key never reaches a record or a log line.
struct VertexSettings {
  std::string project;
  std::string location;  // "us-central1", or "global"
  std::string credentials_json;
  // Why credentials_json is empty (the file could not be read): every call fails saying so.
  std::string credentials_problem;
  bool custom_base = false;  // api_base was configured: it is the model's resource URL
  bool operator==(const VertexSettings&) const = default;
};

// What a bedrock/ deployment signs its requests with (UpstreamAuth::aws_sigv4): the access key,
// secret and session token from litellm_params.aws_* or the AWS_* variables, and the region its
// endpoint and signature name. Empty for every other deployment. The secret and the token go
// into signatures only, never a record or a log line.
struct AwsSigning {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term credentials
  std::string region;         // "us-west-2"
  bool operator==(const AwsSigning&) const = default;
};

// One `model_list` entry that llmtap can route to.
struct Deployment {
  std::string model_name;      // public name clients ask for (model_group in records)
  std::string model;           // litellm_params.model as written, e.g. "openai/gpt-4o"
  std::string provider;        // prefix before the first '/', e.g. "openai"
  std::string upstream_model;  // the rest, sent upstream as "model", e.g. "gpt-4o"
  std::string api_key;         // resolved secret; empty when none configured
  // Resolved, or the provider's public default; no trailing '/'. For Anthropic the full URL of
  // its chat endpoint (…/v1/messages); for Gemini the base its model URLs are made from
  // (gateway/upstream_url.h); for Azure the resource endpoint as configured (LiteLLM logs that).
  std::string api_base;
  UpstreamApi api = UpstreamApi::openai;
  UpstreamAuth auth = UpstreamAuth::bearer;
  UrlForm url_form = UrlForm::openai;
  // litellm_params.api_version (Azure: else AZURE_API_VERSION, else LiteLLM's default); empty
  // when none applies.
  std::string api_version;
  AwsSigning aws;         // bedrock/ deployments signed with SigV4; empty otherwise
  VertexSettings vertex;  // vertex_ai/ deployments; empty otherwise
  // Parameters the provider does not take are dropped instead of failing the request
  // (litellm_params.drop_params, else litellm_settings.drop_params).
  bool drop_params = false;
  std::optional<std::string> mock_response;                      // answer locally with this content
  std::chrono::milliseconds timeout{std::chrono::seconds(600)};  // upstream request deadline
  std::optional<double> input_cost_per_token;
  std::optional<double> output_cost_per_token;
  std::string id;  // model_info.id, or a stable id derived from the entry
  // litellm_params.num_retries: this deployment's failures are retried this many times (the
  // group's count otherwise); litellm_params.cooldown_time: its cooldown (0: never cooled).
  std::optional<int> num_retries;
  std::optional<std::chrono::milliseconds> cooldown_time;
  // Simple shuffle's weights (litellm_params.weight, else rpm, else tpm; rpm and tpm also from
  // model_info): the share of its group's requests a deployment gets. Not limits.
  std::optional<double> weight;
  std::optional<double> rpm;
  std::optional<double> tpm;
  bool operator==(const Deployment&) const = default;
};

// One fallback rule: when `group` has failed (after its retries), `targets` are tried in order.
// default_fallbacks are stored as the rule for "*", after the others (as LiteLLM stores them).
struct FallbackRule {
  std::string group;
  std::vector<std::string> targets;
  bool operator==(const FallbackRule&) const = default;
};

// How a failed call is retried, where it falls back to and when a deployment cools down
// (README "router_settings"; router/ decides with these). Defaults are LiteLLM's.
struct RouterSettings {
  int num_retries = 2;  // openai.DEFAULT_MAX_RETRIES: 3 attempts in all
  // The least a backed-off retry waits (router_settings.retry_after).
  std::chrono::milliseconds retry_after{0};
  std::vector<FallbackRule> fallbacks;
  // Unset (nullopt) and set-but-empty differ: once set, an error of that kind goes only to the
  // rule's own list (a group without a rule there gets no fallback at all).
  std::optional<std::vector<FallbackRule>> context_window_fallbacks;
  std::optional<std::vector<FallbackRule>> content_policy_fallbacks;
  int max_fallbacks = 5;  // ROUTER_MAX_FALLBACKS: hops deeper than this are not taken
  // allowed_fails other than LiteLLM's default (3) switches cooldowns from the failure-rate rule
  // to the count rule: more than this many failures within cooldown_time cool the deployment.
  std::optional<int> allowed_fails;
  std::chrono::milliseconds cooldown_time{std::chrono::seconds(5)};
  bool disable_cooldowns = false;
  bool operator==(const RouterSettings&) const = default;
};

enum class LogFormat { json_array, ndjson, single };
enum class WhenFull { drop_oldest, drop_newest, block };
enum class BufferKind { memory, disk };
// When the disk buffer calls fdatasync: never (page cache only; survives kill -9, not power loss),
// batch (off the request path, before each batch is sent), always (after every append).
enum class FsyncPolicy { never, batch, always };
enum class Compression { none, gzip, zstd };
// How each record is wrapped before batching (delivery/record_shaper.h): none, Splunk HEC event
// objects, Datadog log objects (envelope_fields merged into the record), or ClickHouse JSONEachRow
// rows (delivery/clickhouse_row.h).
enum class Envelope { none, splunk_hec, datadog, clickhouse };

// callback_settings.<name>.tls: how the logger's HTTPS connections are made.
struct CallbackTls {
  std::string ca_file;    // empty: the system CA store
  std::string cert_file;  // client certificate (mutual TLS), with key_file
  std::string key_file;
  bool verify = true;  // false: no certificate or host name check (warned about at start-up)
  bool operator==(const CallbackTls&) const = default;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One resolved generic API logger (README "callback_settings.<name>"). Its keys, their defaults
// and bounds are declared in config/callback_schema.h.
struct CallbackConfig {
  std::string name;         // the name listed in callbacks / success_callback / failure_callback
  std::string endpoint;     // http:// or https:// URL
  HeaderList headers;       // final merged headers, Content-Type included
  bool log_success = true;  // event_types ∩ which callback list(s) named it
  bool log_failure = true;
  LogFormat log_format = LogFormat::json_array;
  std::size_t batch_size = 100;
  std::chrono::milliseconds flush_interval{std::chrono::seconds(60)};
  // Delivery bounds (README documents each key).
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};  // one delivery request
  std::size_t max_in_flight = 4;
  std::chrono::milliseconds max_retry_time{std::chrono::seconds(300)};  // per batch; 0: no retry
  std::size_t max_queue_records = 100000;
  std::size_t max_queue_bytes = 256 * 1024 * 1024;
  std::size_t max_batch_bytes = 5 * 1024 * 1024;  // one request body at most (json_array / ndjson)
  WhenFull when_full = WhenFull::drop_oldest;
  // Request signing, body compression, envelopes, TLS.
  std::string signing_secret;  // Standard Webhooks secret (`whsec_<base64>`); empty: unsigned
  Compression compression = Compression::none;
  Envelope envelope = Envelope::none;
  HeaderList envelope_fields;  // string fields added to each envelope (sourcetype, service, …)
  CallbackTls tls;
  // Durability (docs/DESIGN.md). Paths are relative to the working directory; an empty
  // dead_letter_path means given-up batches are only logged.
  BufferKind buffer = BufferKind::memory;
  std::string buffer_path;                              // default ./.llmtap/<name>
  std::size_t buffer_max_bytes = std::size_t{1} << 30;  // disk budget of the buffer's segments
  FsyncPolicy fsync = FsyncPolicy::batch;
  std::string dead_letter_path;  // default ./.llmtap/<name>/dead-letter
  bool operator==(const CallbackConfig&) const = default;
};

struct Config {
  std::string source_path;
  std::vector<Deployment> deployments;   // only usable ones (see warnings for the rest)
  std::vector<std::string> model_names;  // every model_name in model_list order, routable or not
  std::vector<CallbackConfig> callbacks;
  std::string master_key;  // empty: no auth
  bool turn_off_message_logging = false;
  std::vector<std::string> excluded_fields;  // standard_logging_payload_excluded_fields
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(30)};
  // general_settings.request_read_timeout: how long a client may take to send a whole request
  // once it has begun (a slow or stalled client is cut off with 408).
  std::chrono::milliseconds request_read_timeout{std::chrono::seconds(30)};
  std::string model_prices_file;     // empty: the built-in price map
  HeaderList environment_variables;  // to set into the process environment
  RouterSettings router;
  bool operator==(const Config&) const = default;
};

}  // namespace llmtap::config
