// describe(): check-config's report. Every secret goes through config/mask.h.
#include <fmt/format.h>

#include <algorithm>

#include "config/loader.h"
#include "config/mask.h"

namespace llmtap::config {
namespace {

std::string_view format_name(LogFormat format) {
  switch (format) {
    case LogFormat::json_array: return "json_array";
    case LogFormat::ndjson: return "ndjson";
    case LogFormat::single: return "single";
  }
  return "?";
}

std::string_view when_full_name(WhenFull policy) {
  switch (policy) {
    case WhenFull::drop_oldest: return "drop_oldest";
    case WhenFull::drop_newest: return "drop_newest";
    case WhenFull::block: return "block";
  }
  return "?";
}

bool is_public_header(std::string_view name) {
  auto lower = std::string(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "content-type";
}

// signing_secret, compression, envelope and tls, printed only when set away from the defaults.
template <typename Line>
void describe_beyond(const CallbackConfig& cb, const Line& line) {
  std::vector<std::string> parts;
  if (!cb.signing_secret.empty()) parts.push_back("signing_secret " + mask_secret(cb.signing_secret));
  if (cb.compression != Compression::none) {
    parts.push_back(cb.compression == Compression::gzip ? "compression gzip" : "compression zstd");
  }
  if (cb.envelope != Envelope::none) {
    std::string text = cb.envelope == Envelope::splunk_hec ? "envelope splunk_hec"
                       : cb.envelope == Envelope::datadog  ? "envelope datadog"
                                                           : "envelope clickhouse";
    for (const auto& [name, value] : cb.envelope_fields) text += fmt::format(" {}={}", name, value);
    parts.push_back(std::move(text));
  }
  if (!parts.empty()) line(fmt::format("    {}", fmt::join(parts, ", ")));
  if (!cb.tls.verify) line("    tls.verify false (certificates NOT checked)");
  if (!cb.tls.ca_file.empty()) line("    tls.ca_file " + cb.tls.ca_file);
  if (!cb.tls.cert_file.empty()) line(fmt::format("    tls.cert_file {}, tls.key_file {}", cb.tls.cert_file, cb.tls.key_file));
}

}  // namespace

std::string describe(const Config& config) {
  std::string out;
  auto line = [&](std::string text) {
    out += text;
    out += '\n';
  };
  line(fmt::format("config: {}", config.source_path));
  line(fmt::format("master_key: {}", config.master_key.empty() ? "none (no client auth)"
                                                                : mask_secret(config.master_key)));
  line(fmt::format("deployments ({}):", config.deployments.size()));
  for (const Deployment& d : config.deployments) {
    std::string target = d.mock_response ? std::string("mock_response (answered locally)")
                                         : fmt::format("{}/{} @ {}", d.provider, d.upstream_model,
                                                       mask_url(d.api_base));
    line(fmt::format("  {} -> {}", d.model_name, target));
    std::string details = fmt::format("id {}, timeout {}s, api_key {}", d.id, d.timeout_seconds,
                                      d.api_key.empty() ? "none" : mask_secret(d.api_key));
    if (d.input_cost_per_token || d.output_cost_per_token) {
      details += fmt::format(", cost/token in {} out {}", d.input_cost_per_token.value_or(0),
                             d.output_cost_per_token.value_or(0));
    }
    line("    " + details);
  }
  std::vector<std::string> unroutable;
  for (const std::string& name : config.model_names) {
    if (std::none_of(config.deployments.begin(), config.deployments.end(),
                     [&](const Deployment& d) { return d.model_name == name; })) {
      unroutable.push_back(name);
    }
  }
  if (!unroutable.empty()) {
    line(fmt::format("models with no usable deployment: {}", fmt::join(unroutable, ", ")));
  }
  line(fmt::format("callbacks ({}):", config.callbacks.size()));
  for (const CallbackConfig& cb : config.callbacks) {
    std::vector<std::string_view> events;
    if (cb.log_success) events.push_back("llm_api_success");
    if (cb.log_failure) events.push_back("llm_api_failure");
    line(fmt::format("  {} -> {}", cb.name, mask_url(cb.endpoint)));
    line(fmt::format("    log_format {}, events {}, batch_size {}, flush_interval {}s",
                     format_name(cb.log_format), fmt::join(events, ", "), cb.batch_size,
                     cb.flush_interval_seconds));
    line(fmt::format("    timeout {}s, max_in_flight {}, max_retry_time {}s, max_queue_records {}, "
                     "max_queue_bytes {}, max_batch_bytes {}, when_full {}",
                     cb.timeout_seconds, cb.max_in_flight, cb.max_retry_time_seconds,
                     cb.max_queue_records, cb.max_queue_bytes, cb.max_batch_bytes,
                     when_full_name(cb.when_full)));
    line(fmt::format("    buffer {}{}, dead_letter_path {}",
                     cb.buffer == BufferKind::disk ? "disk" : "memory",
                     cb.buffer == BufferKind::disk
                         ? fmt::format(" at {} (buffer_max_bytes {}, fsync {})", cb.buffer_path,
                                       cb.buffer_max_bytes,
                                       cb.fsync == FsyncPolicy::never   ? "never"
                                       : cb.fsync == FsyncPolicy::batch ? "batch"
                                                                        : "always")
                         : std::string(),
                     cb.dead_letter_path.empty() ? std::string("none") : cb.dead_letter_path));
    for (const auto& [name, value] : cb.headers) {
      line(fmt::format("    {}: {}", name, is_public_header(name) ? value : mask_secret(value)));
    }
    describe_beyond(cb, line);
  }
  if (config.turn_off_message_logging) line("turn_off_message_logging: true");
  if (!config.excluded_fields.empty()) {
    line(fmt::format("standard_logging_payload_excluded_fields: {}",
                     fmt::join(config.excluded_fields, ", ")));
  }
  if (!config.model_prices_file.empty()) line("model_prices_file: " + config.model_prices_file);
  line(fmt::format("shutdown_timeout: {}s", config.shutdown_timeout_seconds));
  line(fmt::format("request_read_timeout: {}s", config.request_read_timeout_seconds));
  if (!config.environment_variables.empty()) {
    std::vector<std::string> names;
    for (const auto& [name, value] : config.environment_variables) names.push_back(name);
    line(fmt::format("environment_variables set: {}", fmt::join(names, ", ")));
  }
  return out;
}

}  // namespace llmtap::config
